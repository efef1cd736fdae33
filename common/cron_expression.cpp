#include "common/cron_expression.hpp"

#include <array>
#include <charconv>
#include <vector>

namespace castline {
namespace {

struct FieldSpec {
    const char* name;
    int low;
    int high;
    std::array<const char*, 12> names;  // names[i] means low + i
};

constexpr std::array<FieldSpec, 5> fields{{
    {"minute", 0, 59, {}},
    {"hour", 0, 23, {}},
    {"day of month", 1, 31, {}},
    {"month",
     1,
     12,
     {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}},
    {"day of week", 0, 7, {"sun", "mon", "tue", "wed", "thu", "fri", "sat"}},
}};

std::vector<std::string_view> split(std::string_view text, char separator) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        const auto end = text.find(separator, start);
        parts.push_back(text.substr(start, end - start));
        if (end == std::string_view::npos) return parts;
        start = end + 1;
    }
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if ((a[i] | 0x20) != b[i]) return false;
    return true;
}

// A number or a name of the field; nullopt with `error` set when neither.
std::optional<int> parse_value(std::string_view text, const FieldSpec& spec, std::string& error) {
    for (std::size_t i = 0; i < spec.names.size(); ++i)
        if (spec.names[i] && equals_ignoring_case(text, spec.names[i]))
            return spec.low + static_cast<int>(i);
    int value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) {
        error = "'" + std::string(text) + "' is not a number" + (spec.names[0] ? " or a name" : "");
        return std::nullopt;
    }
    if (value < spec.low || value > spec.high) {
        error = std::to_string(value) + " is out of range " + std::to_string(spec.low) + "-" +
                std::to_string(spec.high);
        return std::nullopt;
    }
    return value;
}

// Sets the bits of one field; returns false with `error` set on bad syntax.
template <std::size_t N>
bool parse_field(std::string_view text, const FieldSpec& spec, std::bitset<N>& bits,
                 std::string& error) {
    for (const auto item : split(text, ',')) {
        auto range = item;
        int step = 1;
        if (const auto slash = item.find('/'); slash != std::string_view::npos) {
            range = item.substr(0, slash);
            const auto step_text = item.substr(slash + 1);
            const auto [end, ec] =
                std::from_chars(step_text.data(), step_text.data() + step_text.size(), step);
            if (step_text.empty() || ec != std::errc{} ||
                end != step_text.data() + step_text.size() || step < 1 || step > spec.high) {
                error = "step '" + std::string(step_text) + "' must be a number from 1 to " +
                        std::to_string(spec.high);
                return false;
            }
        }
        int first = spec.low;
        int last = spec.high;
        if (range != "*") {
            const auto dash = range.find('-');
            const auto from = parse_value(range.substr(0, dash), spec, error);
            if (!from) return false;
            first = *from;
            if (dash != std::string_view::npos) {
                const auto to = parse_value(range.substr(dash + 1), spec, error);
                if (!to) return false;
                last = *to;
                if (last < first) {
                    error = "range " + std::string(range) + " runs backwards";
                    return false;
                }
            } else if (item.find('/') == std::string_view::npos) {
                last = first;
            }
        }
        for (int v = first; v <= last; v += step) bits.set(static_cast<std::size_t>(v));
    }
    return true;
}

std::string_view expand_macro(std::string_view text) {
    if (text == "@hourly") return "0 * * * *";
    if (text == "@daily" || text == "@midnight") return "0 0 * * *";
    if (text == "@weekly") return "0 0 * * 0";
    if (text == "@monthly") return "0 0 1 * *";
    if (text == "@yearly" || text == "@annually") return "0 0 1 1 *";
    return text;
}

}  // namespace

CronExpression::ParseResult CronExpression::parse(std::string_view text) {
    ParseResult result;
    text = expand_macro(text);
    std::vector<std::string_view> parts;
    for (const auto part : split(text, ' '))
        if (!part.empty()) parts.push_back(part);
    if (parts.size() != 5) {
        result.error =
            "expected 5 fields (minute hour day-of-month month day-of-week) or a macro "
            "like @daily, found " +
            std::to_string(parts.size());
        return result;
    }
    CronExpression cron;
    std::bitset<8> weekdays;  // 0..7; 7 is folded into Sunday below
    std::string error;
    std::size_t failed = 0;
    const bool ok = (failed = 0, parse_field(parts[0], fields[0], cron.minutes_, error)) &&
                    (failed = 1, parse_field(parts[1], fields[1], cron.hours_, error)) &&
                    (failed = 2, parse_field(parts[2], fields[2], cron.days_of_month_, error)) &&
                    (failed = 3, parse_field(parts[3], fields[3], cron.months_, error)) &&
                    (failed = 4, parse_field(parts[4], fields[4], weekdays, error));
    if (!ok) {
        result.error =
            "field " + std::to_string(failed + 1) + " (" + fields[failed].name + "): " + error;
        return result;
    }
    for (std::size_t d = 0; d < 7; ++d) cron.days_of_week_[d] = weekdays[d];
    if (weekdays[7]) cron.days_of_week_.set(0);
    cron.day_of_month_restricted_ = parts[2] != "*";
    cron.day_of_week_restricted_ = parts[4] != "*";
    result.expression = cron;
    return result;
}

bool CronExpression::matches_day(std::chrono::year_month_day day) const {
    if (!months_[static_cast<unsigned>(day.month())]) return false;
    const bool dom = days_of_month_[static_cast<unsigned>(day.day())];
    const bool dow = days_of_week_[std::chrono::weekday{std::chrono::sys_days{day}}.c_encoding()];
    if (day_of_month_restricted_ && day_of_week_restricted_) return dom || dow;
    return dom && dow;
}

std::optional<std::chrono::local_seconds> CronExpression::next_after(
    std::chrono::local_seconds after) const {
    using namespace std::chrono;
    const auto start = floor<minutes>(after) + minutes{1};
    auto day = floor<days>(start);
    auto first_minute = duration_cast<minutes>(start - day);
    for (int i = 0; i < 5 * 366 + 1; ++i, day += days{1}, first_minute = minutes{0}) {
        if (!matches_day(year_month_day{sys_days{day.time_since_epoch()}})) continue;
        for (int m = static_cast<int>(first_minute.count()); m < 24 * 60; ++m) {
            if (!hours_[static_cast<std::size_t>(m / 60)]) {
                m = (m / 60) * 60 + 59;
                continue;
            }
            if (minutes_[static_cast<std::size_t>(m % 60)]) return local_seconds{day + minutes{m}};
        }
    }
    return std::nullopt;
}

}  // namespace castline
