#pragma once
#include <bitset>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace castline {

// A standard five-field cron expression (minute hour day-of-month month day-of-week) with lists,
// ranges, steps, month and weekday names, and the @hourly/@daily/@weekly/@monthly/@yearly macros.
// As in Vixie cron, when both day fields are restricted a day matches if either matches.
class CronExpression {
  public:
    struct ParseResult;
    static ParseResult parse(std::string_view text);

    // Whether the local calendar day may run at all (month, day of month, day of week).
    bool matches_day(std::chrono::year_month_day day) const;
    // The first local minute strictly after `after` that matches, searching at most ~5 years.
    std::optional<std::chrono::local_seconds> next_after(std::chrono::local_seconds after) const;

  private:
    std::bitset<60> minutes_;
    std::bitset<24> hours_;
    std::bitset<32> days_of_month_;  // 1..31
    std::bitset<13> months_;         // 1..12
    std::bitset<7> days_of_week_;    // 0 = Sunday
    bool day_of_month_restricted_ = false;
    bool day_of_week_restricted_ = false;
};

struct CronExpression::ParseResult {
    std::optional<CronExpression> expression;
    std::string error;  // e.g. "field 2 (hour): 24 is out of range 0-23"
};

}  // namespace castline
