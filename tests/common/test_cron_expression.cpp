#include <doctest/doctest.h>

#include "common/cron_expression.hpp"

using namespace std::chrono;
using castline::CronExpression;

namespace {
local_seconds at(int y, unsigned mo, unsigned d, int h = 0, int mi = 0) {
    return local_seconds{local_days{year{y} / mo / d}} + hours{h} + minutes{mi};
}
local_seconds next(const char* expression, local_seconds after) {
    const auto parsed = CronExpression::parse(expression);
    REQUIRE_MESSAGE(parsed.expression, parsed.error);
    const auto result = parsed.expression->next_after(after);
    REQUIRE(result);
    return *result;
}
}  // namespace

TEST_CASE("cron: steps, ranges and weekday names") {
    // 2026-11-21 is a Saturday: the next weekday slot is Monday 09:00.
    CHECK(next("*/15 9-17 * * mon-fri", at(2026, 11, 21, 12, 0)) == at(2026, 11, 23, 9, 0));
    CHECK(next("*/15 9-17 * * mon-fri", at(2026, 11, 23, 9, 0)) == at(2026, 11, 23, 9, 15));
    CHECK(next("*/15 9-17 * * mon-fri", at(2026, 11, 23, 17, 45)) == at(2026, 11, 24, 9, 0));
    CHECK(next("30 2 * * 7", at(2026, 11, 21)) == at(2026, 11, 22, 2, 30));  // 7 is Sunday too
    CHECK(next("0 3 * jan,jul *", at(2026, 2, 1)) == at(2026, 7, 1, 3, 0));
    CHECK(next("@daily", at(2026, 12, 31, 23, 59)) == at(2027, 1, 1));
}

TEST_CASE("cron: month ends and leap days") {
    CHECK(next("0 0 31 * *", at(2026, 4, 1)) == at(2026, 5, 31));
    CHECK(next("0 0 29 2 *", at(2026, 1, 1)) == at(2028, 2, 29));
}

TEST_CASE("cron: both day fields restricted means either (Vixie cron)") {
    // 2026-12-01 is a Tuesday; the 7th is a Monday.
    CHECK(next("0 0 1 * mon", at(2026, 12, 1, 1)) == at(2026, 12, 7));
    CHECK(next("0 0 1 * mon", at(2026, 12, 7, 1)) == at(2026, 12, 14));
}

TEST_CASE("cron: errors name the field and the problem") {
    const auto error = [](const char* text) {
        const auto parsed = CronExpression::parse(text);
        CHECK_FALSE(parsed.expression);
        return parsed.error;
    };
    CHECK(error("60 * * * *") == "field 1 (minute): 60 is out of range 0-59");
    CHECK(error("* 24 * * *") == "field 2 (hour): 24 is out of range 0-23");
    CHECK(error("* * 0 * *") == "field 3 (day of month): 0 is out of range 1-31");
    CHECK(error("* * * foo *") == "field 4 (month): 'foo' is not a number or a name");
    CHECK(error("* * * * 5-1") == "field 5 (day of week): range 5-1 runs backwards");
    CHECK(error("*/0 * * * *") == "field 1 (minute): step '0' must be a number from 1 to 59");
    CHECK(error("* * * *").starts_with("expected 5 fields"));
    CHECK(error("@sometimes").starts_with("expected 5 fields"));
}

TEST_CASE("cron: an impossible date never runs") {
    const auto parsed = CronExpression::parse("0 0 30 2 *");
    REQUIRE(parsed.expression);
    CHECK_FALSE(parsed.expression->next_after(at(2026, 1, 1)));
}
