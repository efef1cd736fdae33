#pragma once
// When a schedule runs: once, daily, weekly, monthly, every N days or weeks, or a cron expression,
// in a time zone, optionally until an end date. Pure computation over the system tz database.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/cron_expression.hpp"

namespace date {
class time_zone;
}

namespace castline {

struct RecurrenceSpec {
    std::string kind;  // once | daily | weekly | monthly | every | cron
    std::string at;    // once/every: "YYYY-MM-DD HH:MM[:SS]"; daily/weekly/monthly: "HH:MM[:SS]"
    std::vector<std::string> days;  // weekly: mon..sun
    int day_of_month = 0;           // monthly: 1..31; past a month's end it runs on the last day
    std::string every;              // every: "3d", "2w"
    std::string cron;               // cron: five fields or a macro
    std::string until;              // optional: "YYYY-MM-DD" (through that day) or a date-time
    std::string time_zone = "UTC";  // IANA name, e.g. Europe/Berlin
};

// Whether the system's tz database knows this IANA zone name.
bool is_known_time_zone(const std::string& name);

class Recurrence {
  public:
    struct ParseResult;
    static ParseResult parse(const RecurrenceSpec& spec);

    // The first run strictly after `after`. A local time skipped by a daylight-saving jump runs at
    // the jump; a local time that occurs twice runs at its first occurrence only.
    std::optional<std::chrono::sys_seconds> next_after(std::chrono::sys_seconds after) const;

  private:
    enum class Kind { once, daily, weekly, monthly, every, cron };
    std::optional<std::chrono::local_seconds> next_local_after(
        std::chrono::local_seconds after) const;

    Kind kind_ = Kind::once;
    std::chrono::local_seconds at_{};      // once, every (anchor)
    std::chrono::seconds time_of_day_{0};  // daily, weekly, monthly, every
    unsigned weekdays_ = 0;                // bit n: weekday with c_encoding n
    int day_of_month_ = 0;
    std::chrono::days period_{0};  // every
    std::optional<CronExpression> cron_;
    std::optional<std::chrono::local_seconds> until_;
    const date::time_zone* zone_ = nullptr;
};

struct Recurrence::ParseResult {
    std::optional<Recurrence> recurrence;
    std::string
        field;  // the key at fault: kind, at, days, day_of_month, every, cron, until, time_zone
    std::string error;
};

}  // namespace castline
