#include "common/recurrence.hpp"

#include <date/tz.h>

#include <charconv>

#include "common/duration.hpp"

namespace castline {
namespace {
using namespace std::chrono;

bool parse_number(std::string_view text, int& out) {
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return !text.empty() && ec == std::errc{} && end == text.data() + text.size();
}

// "HH:MM" or "HH:MM:SS".
std::optional<seconds> parse_time_of_day(std::string_view text) {
    int h = 0, m = 0, s = 0;
    if (text.size() != 5 && text.size() != 8) return std::nullopt;
    if (text[2] != ':' || (text.size() == 8 && text[5] != ':')) return std::nullopt;
    if (!parse_number(text.substr(0, 2), h) || !parse_number(text.substr(3, 2), m))
        return std::nullopt;
    if (text.size() == 8 && !parse_number(text.substr(6, 2), s)) return std::nullopt;
    if (h > 23 || m > 59 || s > 59 || h < 0 || m < 0 || s < 0) return std::nullopt;
    return hours{h} + minutes{m} + seconds{s};
}

std::optional<local_days> parse_date(std::string_view text) {
    int y = 0, mo = 0, d = 0;
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    if (!parse_number(text.substr(0, 4), y) || !parse_number(text.substr(5, 2), mo) ||
        !parse_number(text.substr(8, 2), d))
        return std::nullopt;
    const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)},
                             day{static_cast<unsigned>(d)}};
    if (!ymd.ok()) return std::nullopt;
    return local_days{ymd};
}

// "YYYY-MM-DD HH:MM[:SS]" or with a T between date and time.
std::optional<local_seconds> parse_date_time(std::string_view text) {
    if (text.size() < 16 || (text[10] != ' ' && text[10] != 'T')) return std::nullopt;
    const auto date = parse_date(text.substr(0, 10));
    const auto time = parse_time_of_day(text.substr(11));
    if (!date || !time) return std::nullopt;
    return local_seconds{*date} + *time;
}

std::optional<unsigned> parse_weekday(std::string_view text) {
    static constexpr const char* names[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
    static constexpr const char* long_names[] = {"sunday",   "monday", "tuesday", "wednesday",
                                                 "thursday", "friday", "saturday"};
    std::string lower(text);
    for (auto& c : lower) c = static_cast<char>(c | 0x20);
    for (unsigned i = 0; i < 7; ++i)
        if (lower == names[i] || lower == long_names[i]) return i;
    return std::nullopt;
}

Recurrence::ParseResult failure(std::string field, std::string error) {
    return {std::nullopt, std::move(field), std::move(error)};
}

}  // namespace

bool is_known_time_zone(const std::string& name) {
    try {
        date::locate_zone(name);
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

Recurrence::ParseResult Recurrence::parse(const RecurrenceSpec& spec) {
    Recurrence r;
    try {
        r.zone_ = date::locate_zone(spec.time_zone);
    } catch (const std::exception&) {
        return failure("time_zone", "'" + spec.time_zone +
                                        "' is not a known time zone, expected an "
                                        "IANA name like Europe/Berlin or UTC");
    }
    const auto need_time_of_day = [&]() -> std::optional<ParseResult> {
        const auto t = parse_time_of_day(spec.at);
        if (!t)
            return failure("at",
                           "'" + spec.at + "' is not a time of day, expected HH:MM or HH:MM:SS");
        r.time_of_day_ = *t;
        return std::nullopt;
    };
    const auto need_date_time = [&]() -> std::optional<ParseResult> {
        const auto t = parse_date_time(spec.at);
        if (!t)
            return failure("at",
                           "'" + spec.at + "' is not a date and time, expected YYYY-MM-DD HH:MM");
        r.at_ = *t;
        r.time_of_day_ = *t - floor<days>(*t);
        return std::nullopt;
    };
    if (spec.kind == "once") {
        r.kind_ = Kind::once;
        if (auto e = need_date_time()) return *e;
    } else if (spec.kind == "daily") {
        r.kind_ = Kind::daily;
        if (auto e = need_time_of_day()) return *e;
    } else if (spec.kind == "weekly") {
        r.kind_ = Kind::weekly;
        if (auto e = need_time_of_day()) return *e;
        if (spec.days.empty())
            return failure("days", "weekly needs at least one day, e.g. [mon, thu]");
        for (const auto& name : spec.days) {
            const auto day = parse_weekday(name);
            if (!day) return failure("days", "'" + name + "' is not a weekday, expected mon..sun");
            r.weekdays_ |= 1u << *day;
        }
    } else if (spec.kind == "monthly") {
        r.kind_ = Kind::monthly;
        if (auto e = need_time_of_day()) return *e;
        if (spec.day_of_month < 1 || spec.day_of_month > 31)
            return failure("day_of_month", std::to_string(spec.day_of_month) +
                                               " is not a day of the month, expected 1..31");
        r.day_of_month_ = spec.day_of_month;
    } else if (spec.kind == "every") {
        r.kind_ = Kind::every;
        if (auto e = need_date_time()) return *e;
        const auto period = parse_duration(spec.every);
        if (!period || *period < days{1} || *period % days{1} != seconds{0})
            return failure("every",
                           "'" + spec.every +
                               "' is not a whole number of days or weeks, expected e.g. 3d or 2w");
        r.period_ = duration_cast<days>(*period);
    } else if (spec.kind == "cron") {
        r.kind_ = Kind::cron;
        auto parsed = CronExpression::parse(spec.cron);
        if (!parsed.expression) return failure("cron", parsed.error);
        r.cron_ = parsed.expression;
    } else {
        return failure("kind", "'" + spec.kind +
                                   "' is not a schedule kind, expected once, daily, "
                                   "weekly, monthly, every or cron");
    }
    if (!spec.until.empty()) {
        if (const auto d = parse_date(spec.until)) {
            r.until_ = local_seconds{*d + days{1}} - seconds{1};
        } else if (const auto t = parse_date_time(spec.until)) {
            r.until_ = *t;
        } else {
            return failure("until", "'" + spec.until +
                                        "' is not a date, expected YYYY-MM-DD or YYYY-MM-DD HH:MM");
        }
    }
    return {r, "", ""};
}

std::optional<local_seconds> Recurrence::next_local_after(local_seconds after) const {
    const auto today = floor<days>(after);
    // The first day from `first` on whose run time lies after `after`, if `accept` takes it.
    const auto search_days = [&](auto accept) -> std::optional<local_seconds> {
        for (auto day = today; day <= today + days{5 * 366}; day += days{1}) {
            const auto candidate = day + time_of_day_;
            if (candidate > after && accept(year_month_day{sys_days{day.time_since_epoch()}}))
                return local_seconds{candidate};
        }
        return std::nullopt;
    };
    switch (kind_) {
        case Kind::once:
            return at_ > after ? std::optional{at_} : std::nullopt;
        case Kind::daily:
            return search_days([](year_month_day) { return true; });
        case Kind::weekly:
            return search_days([this](year_month_day d) {
                return (weekdays_ >> weekday{sys_days{d}}.c_encoding()) & 1u;
            });
        case Kind::monthly:
            return search_days([this](year_month_day d) {
                const auto last = year_month_day_last{d.year(), month_day_last{d.month()}}.day();
                const unsigned wanted =
                    std::min(static_cast<unsigned>(day_of_month_), static_cast<unsigned>(last));
                return static_cast<unsigned>(d.day()) == wanted;
            });
        case Kind::every: {
            if (at_ > after) return at_;
            const auto anchor_day = floor<days>(at_);
            auto periods = (today - anchor_day) / period_;
            for (int i = 0; i < 3; ++i, ++periods) {
                const auto candidate = anchor_day + period_ * periods + time_of_day_;
                if (candidate > after) return local_seconds{candidate};
            }
            return std::nullopt;
        }
        case Kind::cron:
            return cron_->next_after(after);
    }
    return std::nullopt;
}

std::optional<sys_seconds> Recurrence::next_after(sys_seconds after) const {
    auto local_after = local_seconds{zone_->to_local(after).time_since_epoch()};
    // A few rounds suffice: a candidate only maps before `after` near a backward clock change.
    for (int round = 0; round < 8; ++round) {
        const auto candidate = next_local_after(local_after);
        if (!candidate || (until_ && *candidate > *until_)) return std::nullopt;
        const date::local_seconds local{candidate->time_since_epoch()};
        const auto info = zone_->get_info(local);
        sys_seconds run;
        switch (info.result) {
            case date::local_info::unique:
            case date::local_info::ambiguous:  // the first occurrence
                run = sys_seconds{local.time_since_epoch()} - info.first.offset;
                break;
            case date::local_info::nonexistent:  // skipped by the jump: run at the jump
                run = info.first.end;
                break;
        }
        if (run > after) return run;
        local_after = *candidate;
    }
    return std::nullopt;
}

}  // namespace castline
