#include <doctest/doctest.h>

#include "common/recurrence.hpp"

using namespace std::chrono;
using castline::Recurrence;
using castline::RecurrenceSpec;

namespace {
sys_seconds utc(int y, unsigned mo, unsigned d, int h = 0, int mi = 0) {
    return sys_seconds{sys_days{year{y} / mo / d}} + hours{h} + minutes{mi};
}
Recurrence make(RecurrenceSpec spec) {
    auto parsed = Recurrence::parse(spec);
    REQUIRE_MESSAGE(parsed.recurrence, (parsed.field + ": " + parsed.error));
    return *parsed.recurrence;
}
}  // namespace

TEST_CASE("daily in a zone: spring forward runs at the jump, fall back runs once") {
    const auto nightly = make({.kind = "daily", .at = "02:30", .time_zone = "America/New_York"});
    // 2026-03-08 02:30 does not exist in New York: the clock jumps from 02:00 EST to 03:00 EDT.
    CHECK(nightly.next_after(utc(2026, 3, 7, 12)) == utc(2026, 3, 8, 7, 0));
    CHECK(nightly.next_after(utc(2026, 3, 8, 7, 0)) == utc(2026, 3, 9, 6, 30));

    const auto early = make({.kind = "daily", .at = "01:30", .time_zone = "America/New_York"});
    // 2026-11-01 01:30 happens twice; run at the first (EDT, UTC-4) only.
    const auto first = early.next_after(utc(2026, 10, 31, 12));
    CHECK(first == utc(2026, 11, 1, 5, 30));
    CHECK(early.next_after(*first) == utc(2026, 11, 2, 6, 30));
    CHECK(early.next_after(utc(2026, 11, 1, 6, 10)) == utc(2026, 11, 2, 6, 30));
}

TEST_CASE("weekly on chosen days") {
    const auto r = make({.kind = "weekly",
                         .at = "22:00",
                         .days = {"mon", "Thursday"},
                         .time_zone = "Europe/Berlin"});
    // 2026-11-22 is a Sunday; Monday 22:00 CET is 21:00 UTC.
    CHECK(r.next_after(utc(2026, 11, 22)) == utc(2026, 11, 23, 21, 0));
    CHECK(r.next_after(utc(2026, 11, 23, 21, 0)) == utc(2026, 11, 26, 21, 0));
}

TEST_CASE("monthly past a month's end runs on its last day, leap years included") {
    const auto r = make({.kind = "monthly", .at = "03:00", .day_of_month = 31});
    CHECK(r.next_after(utc(2026, 2, 1)) == utc(2026, 2, 28, 3, 0));
    CHECK(r.next_after(utc(2026, 2, 28, 3, 0)) == utc(2026, 3, 31, 3, 0));
    CHECK(r.next_after(utc(2028, 2, 1)) == utc(2028, 2, 29, 3, 0));
    CHECK(r.next_after(utc(2026, 4, 1)) == utc(2026, 4, 30, 3, 0));
}

TEST_CASE("every N days keeps the local time across daylight-saving changes") {
    const auto r = make(
        {.kind = "every", .at = "2026-03-01 04:00", .every = "3d", .time_zone = "Europe/Berlin"});
    CHECK(r.next_after(utc(2026, 2, 1)) == utc(2026, 3, 1, 3, 0));  // CET, UTC+1
    CHECK(r.next_after(utc(2026, 3, 1, 3, 0)) == utc(2026, 3, 4, 3, 0));
    CHECK(r.next_after(utc(2026, 3, 28)) == utc(2026, 3, 28, 3, 0));     // still CET
    CHECK(r.next_after(utc(2026, 3, 28, 3)) == utc(2026, 3, 31, 2, 0));  // CEST, UTC+2
    const auto fortnightly = make({.kind = "every", .at = "2026-01-05 00:00", .every = "2w"});
    CHECK(fortnightly.next_after(utc(2026, 1, 6)) == utc(2026, 1, 19));
}

TEST_CASE("once, cron and an end date") {
    const auto once = make({.kind = "once", .at = "2026-12-24 18:00"});
    CHECK(once.next_after(utc(2026, 12, 1)) == utc(2026, 12, 24, 18, 0));
    CHECK_FALSE(once.next_after(utc(2026, 12, 24, 18, 0)));

    const auto cron =
        make({.kind = "cron", .cron = "0 2 * * 1-5", .until = "2026-11-30", .time_zone = "UTC"});
    CHECK(cron.next_after(utc(2026, 11, 27, 3)) == utc(2026, 11, 30, 2, 0));
    CHECK_FALSE(cron.next_after(utc(2026, 11, 30, 2, 0)));
}

TEST_CASE("bad specs name the field at fault") {
    const auto fails = [](RecurrenceSpec spec, const char* field) {
        const auto parsed = Recurrence::parse(spec);
        CHECK_FALSE(parsed.recurrence);
        CHECK(parsed.field == field);
        CHECK_FALSE(parsed.error.empty());
    };
    fails({.kind = "hourly", .at = "02:00"}, "kind");
    fails({.kind = "daily", .at = "25:00"}, "at");
    fails({.kind = "daily", .at = "2:00"}, "at");
    fails({.kind = "once", .at = "2026-02-30 10:00"}, "at");
    fails({.kind = "weekly", .at = "02:00"}, "days");
    fails({.kind = "weekly", .at = "02:00", .days = {"funday"}}, "days");
    fails({.kind = "monthly", .at = "02:00", .day_of_month = 32}, "day_of_month");
    fails({.kind = "every", .at = "2026-01-01 00:00", .every = "36h"}, "every");
    fails({.kind = "cron", .cron = "* * *"}, "cron");
    fails({.kind = "daily", .at = "02:00", .until = "tomorrow"}, "until");
    fails({.kind = "daily", .at = "02:00", .time_zone = "Mars/Olympus"}, "time_zone");
}
