#include <doctest/doctest.h>

#include "daemon/job_store.hpp"
#include "daemon/state_store.hpp"
#include "tests/imager/imager_test_support.hpp"

using namespace castline::daemon;
using castline::imager::testing::TempDir;

TEST_CASE("a job from creation through progress to its result, kept across reopening") {
    TempDir dir;
    {
        StateStore state(dir.path);
        JobStore jobs(state.database());
        jobs.create({.token = "aa01", .host = "ws01", .mac = "52:54:00:00:00:01", .image = "base"});
        CHECK(jobs.latest_for("52:54:00:00:00:01")->state == JobState::pending);
        jobs.record_progress("aa01", {.item = "restore",
                                      .percent = 40,
                                      .done_bytes = 4,
                                      .total_bytes = 10,
                                      .rate_bytes_per_s = 2,
                                      .remaining_s = 3});
        const auto running = jobs.find("aa01");
        REQUIRE(running);
        CHECK(running->state == JobState::running);
        CHECK(running->stage == "restore");
        CHECK(running->progress.done_bytes == 4);
        jobs.record_result("aa01", JobState::done, "done", "");
    }
    StateStore state(dir.path);
    JobStore jobs(state.database());
    const auto done = jobs.find("aa01");
    REQUIRE(done);
    CHECK(done->state == JobState::done);
    CHECK(done->progress.percent == 100);
    CHECK(done->finished_at.has_value());
    CHECK(!jobs.find("bb02"));
}

TEST_CASE("the newest job of a host decides; lists filter by host name or MAC") {
    TempDir dir;
    StateStore state(dir.path);
    JobStore jobs(state.database());
    jobs.create({.token = "01", .host = "ws01", .mac = "52:54:00:00:00:01", .image = "base"});
    jobs.record_result("01", JobState::failed, "restore", "target too small");
    jobs.create({.token = "02", .host = "ws01", .mac = "52:54:00:00:00:01", .image = "base"});
    jobs.create({.token = "03", .host = "ws02", .mac = "52:54:00:00:00:02", .image = "base"});
    CHECK(jobs.latest_for("52:54:00:00:00:01")->token == "02");
    CHECK(jobs.list("ws01").size() == 2);
    CHECK(jobs.list("52:54:00:00:00:02").size() == 1);
    CHECK(jobs.list().size() == 3);
    CHECK(jobs.find("01")->error == "target too small");
}
