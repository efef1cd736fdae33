#include <doctest/doctest.h>

#include <limits>

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

TEST_CASE("a job is bound to the first address it is handed to, across reopening") {
    TempDir dir;
    const castline::Ipv4Address first{0xC6120002}, second{0xC6120003};
    {
        StateStore state(dir.path);
        JobStore jobs(state.database());
        jobs.create({.token = "b1", .host = "ws01", .mac = "52:54:00:00:00:01", .image = "base"});
        CHECK(!jobs.find("b1")->client);
        CHECK(jobs.bind_client("b1", first) == first);
        CHECK(jobs.bind_client("b1", second) == first);
    }
    StateStore state(dir.path);
    JobStore jobs(state.database());
    CHECK(jobs.find("b1")->client == first);
    CHECK(jobs.latest_for("52:54:00:00:00:01")->client == first);
}

TEST_CASE("revoking ends a host's unfinished jobs only; pruning keeps each host's latest") {
    TempDir dir;
    StateStore state(dir.path);
    JobStore jobs(state.database());
    jobs.create({.token = "r1", .host = "ws01", .mac = "52:54:00:00:00:01", .image = "base"});
    jobs.record_result("r1", JobState::done, "done", "");
    jobs.create({.token = "r2", .host = "ws01", .mac = "52:54:00:00:00:01", .image = "base"});
    jobs.record_progress("r2", {.item = "restore"});
    jobs.create({.token = "r3", .host = "ws02", .mac = "52:54:00:00:00:02", .image = "base"});
    jobs.bind_client("r2", castline::Ipv4Address{0xC6120002});
    CHECK(jobs.revoke_unfinished("52:54:00:00:00:01") == 1);
    CHECK(jobs.find("r1")->state == JobState::done);
    CHECK(jobs.find("r2")->state == JobState::revoked);
    CHECK(finished(*jobs.find("r2")));
    CHECK(jobs.find("r3")->state == JobState::pending);

    CHECK(jobs.prune(0) == 0);  // nothing ended before 1970
    jobs.create({.token = "r4", .host = "ws01", .mac = "52:54:00:00:00:01", .image = "base"});
    CHECK(jobs.prune(std::numeric_limits<std::int64_t>::max()) == 2);  // r1, r2
    CHECK(!jobs.find("r1"));
    CHECK(!jobs.find("r2"));
    CHECK(jobs.find("r3"));  // ws02's latest, unfinished
    CHECK(jobs.find("r4"));
    // The binding went with its job.
    auto left = state.database().prepare("SELECT count(*) FROM job_clients");
    REQUIRE(left.step());
    CHECK(left.integer(0) == 0);
}
