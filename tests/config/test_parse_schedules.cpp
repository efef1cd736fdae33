#include <doctest/doctest.h>

#include "config_test_support.hpp"

using namespace castline::config;
using namespace castline::config::testing;

namespace {
const std::string head =
    base_config + "groups: {g: {}}\nrollouts: {r: {groups: [g]}}\nschedules:\n";
}

TEST_CASE("every kind of schedule") {
    const auto result =
        load_string(head +
                        "  a: {kind: once, at: \"2026-12-01 22:00\", rollout: r}\n"
                        "  b: {kind: daily, at: \"22:00\", until: 2027-01-31, rollout: r}\n"
                        "  c: {kind: weekly, days: [mon, fri], at: \"22:00:30\", rollout: r, "
                        "time_zone: Europe/Berlin}\n"
                        "  d: {kind: monthly, day_of_month: 31, at: \"03:00\", rollout: r}\n"
                        "  e: {kind: every, every: 2w, at: \"2026-12-05 01:00\", rollout: r}\n"
                        "  f: {kind: cron, cron: \"0 22 * * 1-5\", rollout: r}\n",
                    "site.yaml");
    INFO(all_text(result.diagnostics));
    REQUIRE(result.ok());
    CHECK(result.config->schedules.size() == 6);
    CHECK(result.config->schedules.at("c").days == std::vector<std::string>{"mon", "fri"});
    CHECK(result.config->schedules.at("c").time_zone == "Europe/Berlin");
}

TEST_CASE("schedule errors name the key") {
    require_single_error(
        load_string(head + "  a: {kind: weekly, at: \"22:00\", rollout: r}\n", "site.yaml"),
        "site.yaml", 8, 6, "schedules.a.days", "missing, kind weekly needs");
    require_single_error(
        load_string(head + "  a: {kind: daily, at: \"25:00\", rollout: r}\n", "site.yaml"),
        "site.yaml", 8, 24, "schedules.a.at", "\"25:00\" is not a time of day");
    require_single_error(
        load_string(head + "  a: {kind: once, at: \"2026-02-30 10:00\", rollout: r}\n",
                    "site.yaml"),
        "site.yaml", 8, 23, "schedules.a.at", "is not a date and time");
    require_single_error(
        load_string(head + "  a: {kind: weekly, days: [mon, thr], at: \"22:00\", rollout: r}\n",
                    "site.yaml"),
        "site.yaml", 8, 33, "schedules.a.days[1]", "\"thr\" is not a day (did you mean \"thu\"?)");
    require_single_error(
        load_string(head + "  a: {kind: cron, cron: \"0 22 * *\", rollout: r}\n", "site.yaml"),
        "site.yaml", 8, 25, "schedules.a.cron", "is not a cron expression");
    // Field ranges are checked when the config is read, not when the schedule first fires.
    require_single_error(
        load_string(head + "  a: {kind: cron, cron: \"0 24 * * *\", rollout: r}\n", "site.yaml"),
        "site.yaml", 8, 25, "schedules.a.cron", "out of range");
    require_single_error(
        load_string(head + "  a: {kind: daily, at: \"22:00\", days: [mon], rollout: r}\n",
                    "site.yaml"),
        "site.yaml", 8, 39, "schedules.a.days", "is not used by kind daily");
    // A zone name that looks right but that the tz database does not know fails at load, not
    // when the schedule would first fire.
    require_single_error(load_string(head + "  a: {kind: daily, at: \"22:00\", rollout: r, "
                                            "time_zone: Europe/Berln}\n",
                                     "site.yaml"),
                         "site.yaml", 8, 56, "schedules.a.time_zone",
                         "not in this system's time zone database");
}
