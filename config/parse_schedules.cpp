// schedules: when rollouts start — once, daily, weekly, monthly, every N days or weeks, or cron.
#include <algorithm>
#include <charconv>
#include <chrono>

#include "common/cron_expression.hpp"
#include "common/recurrence.hpp"
#include "config/section_parsers.hpp"

namespace castline::config::detail {
namespace {
bool read_number(std::string_view text, std::size_t digits, int min, int max, int& out) {
    if (text.size() < digits) return false;
    const auto [end, problem] = std::from_chars(text.data(), text.data() + digits, out);
    return problem == std::errc{} && end == text.data() + digits && out >= min && out <= max;
}

// "HH:MM" or "HH:MM:SS".
bool is_time_of_day(std::string_view t) {
    int h = 0, m = 0, s = 0;
    if (t.size() != 5 && t.size() != 8) return false;
    if (t[2] != ':' || (t.size() == 8 && t[5] != ':')) return false;
    return read_number(t, 2, 0, 23, h) && read_number(t.substr(3), 2, 0, 59, m) &&
           (t.size() == 5 || read_number(t.substr(6), 2, 0, 59, s));
}

// "YYYY-MM-DD", a real calendar day.
bool is_date(std::string_view t) {
    int y = 0, m = 0, d = 0;
    if (t.size() != 10 || t[4] != '-' || t[7] != '-') return false;
    if (!read_number(t, 4, 1970, 9999, y) || !read_number(t.substr(5), 2, 1, 12, m) ||
        !read_number(t.substr(8), 2, 1, 31, d))
        return false;
    return std::chrono::year_month_day(std::chrono::year(y),
                                       std::chrono::month(static_cast<unsigned>(m)),
                                       std::chrono::day(static_cast<unsigned>(d)))
        .ok();
}

bool is_date_time(std::string_view t) {
    return t.size() > 11 && (t[10] == ' ' || t[10] == 'T') && is_date(t.substr(0, 10)) &&
           is_time_of_day(t.substr(11));
}

bool is_every(std::string_view t) {
    if (t.size() < 2 || (t.back() != 'd' && t.back() != 'w')) return false;
    int n = 0;
    return read_number(t, t.size() - 1, 1, 3650, n) && t.size() - 1 <= 4;
}

// IANA zone names: "UTC", "Europe/Berlin", "America/Argentina/Buenos_Aires", "Etc/GMT+2".
bool is_time_zone(std::string_view t) {
    if (t.empty() || t.size() > 64 || t.front() == '/' || t.find("..") != std::string_view::npos)
        return false;
    return std::all_of(t.begin(), t.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '-' || c == '+' || c == '/';
    });
}

void parse_schedule(Reader& reader, MapView& map, Schedule& s) {
    const auto* kind_node = map.require("kind", "once, daily, weekly, monthly, every or cron");
    if (kind_node) {
        if (auto kind = reader.choice<std::string_view>(*kind_node, map.path("kind"),
                                                        {{"once", "once"},
                                                         {"daily", "daily"},
                                                         {"weekly", "weekly"},
                                                         {"monthly", "monthly"},
                                                         {"every", "every"},
                                                         {"cron", "cron"}}))
            s.kind = *kind;
    }
    if (const auto* v = map.require("rollout", "the rollout it starts"))
        if (auto ref = reader.name(*v, map.path("rollout"), "rollout")) s.rollout = *ref;
    const std::string& k = s.kind;

    // Which keys each kind needs and allows.
    auto needs = [&](std::string_view key, bool needed, std::string_view what) {
        const auto* v = map.get(key);
        if (k.empty()) return v;  // the kind was bad: judge nothing else by it
        if (needed && !v)
            reader.error(map.location(), map.path(key),
                         "missing, kind " + k + " needs " + std::string(what));
        if (!needed && v) {
            reader.error(*v, map.path(key),
                         "is not used by kind " + k + ", expected no " + std::string(key) +
                             " for this kind");
            return static_cast<const YAML::Node*>(nullptr);
        }
        return v;
    };
    const bool dated_at = k == "once" || k == "every";
    if (const auto* v = needs(
            "at", k != "cron",
            dated_at ? "a start like \"2026-12-01 22:00\"" : "a time of day like \"22:00\"")) {
        if (auto text = reader.text(*v, map.path("at"))) {
            const bool good = dated_at ? is_date_time(*text) : is_time_of_day(*text);
            if (good || k.empty())
                s.at = *text;
            else
                reader.error(*v, map.path("at"),
                             quote(*text) + " is not " +
                                 (dated_at ? "a date and time, expected \"YYYY-MM-DD HH:MM\" like "
                                             "\"2026-12-01 22:00\""
                                           : "a time of day, expected \"HH:MM\" like \"22:00\""));
        }
    }
    if (const auto* v = needs("days", k == "weekly", "days: [mon, ..., sun]")) {
        if (auto days = reader.string_list(*v, map.path("days"))) {
            static constexpr std::string_view names[] = {"mon", "tue", "wed", "thu",
                                                         "fri", "sat", "sun"};
            const std::vector<std::string_view> all(std::begin(names), std::end(names));
            std::size_t index = 0;
            for (const auto& day : *days) {
                const std::string day_path = map.path("days") + "[" + std::to_string(index) + "]";
                if (std::find(all.begin(), all.end(), day) == all.end())
                    reader.error((*v)[index], day_path,
                                 quote(day) + " is not a day" +
                                     suggestion_suffix(did_you_mean(day, all)) + ", expected " +
                                     one_of(all));
                else
                    s.days.push_back(day);
                ++index;
            }
            if (days->empty())
                reader.error(*v, map.path("days"), "is empty, expected at least one day");
        }
    }
    if (const auto* v = needs("day_of_month", k == "monthly", "day_of_month: 1..31"))
        if (auto n = reader.integer(*v, map.path("day_of_month"), 1, 31))
            s.day_of_month = static_cast<int>(*n);
    if (const auto* v = needs("every", k == "every", "every: like 3d or 2w")) {
        if (auto text = reader.text(*v, map.path("every"))) {
            if (is_every(*text))
                s.every = *text;
            else
                reader.error(*v, map.path("every"),
                             quote(*text) +
                                 " is not a period, expected days or weeks like 3d "
                                 "or 2w");
        }
    }
    if (const auto* v = needs("cron", k == "cron", "a cron expression like \"0 22 * * 1-5\"")) {
        if (auto text = reader.text(*v, map.path("cron"))) {
            if (const auto parsed = CronExpression::parse(*text); parsed.expression)
                s.cron = *text;
            else
                reader.error(*v, map.path("cron"),
                             quote(*text) + " is not a cron expression: " + parsed.error +
                                 "; expected five fields (minute hour day month weekday) like "
                                 "\"0 22 * * 1-5\" or a macro like @daily");
        }
    }
    // until is optional for repeating kinds and means nothing for once.
    const YAML::Node* until = map.get("until");
    if (until && k == "once") {
        reader.error(*until, map.path("until"),
                     "is not used by kind once, expected no until for this kind");
        until = nullptr;
    }
    if (const auto* v = until) {
        if (auto text = reader.text(*v, map.path("until"))) {
            if (is_date(*text) || is_date_time(*text))
                s.until = *text;
            else
                reader.error(*v, map.path("until"),
                             quote(*text) +
                                 " is not a date, expected \"YYYY-MM-DD\" or "
                                 "\"YYYY-MM-DD HH:MM\"");
        }
    }
    if (const auto* v = map.get("time_zone")) {
        if (auto text = reader.text(*v, map.path("time_zone"))) {
            if (is_time_zone(*text) && is_known_time_zone(*text))
                s.time_zone = *text;
            else if (is_time_zone(*text))
                reader.error(*v, map.path("time_zone"),
                             quote(*text) +
                                 " is not in this system's time zone database (tzdata), expected "
                                 "an IANA name like UTC or Europe/Berlin");
            else
                reader.error(*v, map.path("time_zone"),
                             quote(*text) +
                                 " is not a time zone name, expected an IANA name "
                                 "like UTC or Europe/Berlin");
        }
    }
}
}  // namespace

void parse_schedules(Reader& reader, const YAML::Node& node, std::vector<Schedule>& out) {
    for_each_named(reader, node, "schedules", "schedule",
                   [&](const std::string& name, const YAML::Node&, const YAML::Node& value) {
                       const std::string path = "schedules." + name;
                       MapView map(reader, value, path,
                                   {"kind", "at", "days", "day_of_month", "every", "cron", "until",
                                    "time_zone", "rollout"});
                       if (!map.is_map()) return;
                       Schedule schedule;
                       schedule.name = name;
                       schedule.location = map.location();
                       schedule.key_path = path;
                       map.record(schedule.fields);
                       parse_schedule(reader, map, schedule);
                       out.push_back(std::move(schedule));
                   });
}

}  // namespace castline::config::detail
