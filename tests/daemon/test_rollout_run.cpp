#include <doctest/doctest.h>

#include "daemon/rollout_run.hpp"

using namespace castline::daemon;
using namespace std::chrono_literals;
using castline::MacAddress;

namespace {
const TimePoint t0{std::chrono::sys_days{std::chrono::year{2026} / 11 / 22}};

MacAddress mac(std::uint8_t n) {
    return MacAddress{{0x52, 0x54, 0, 0, 0, n}};
}

std::vector<RolloutHost> hosts(int n) {
    std::vector<RolloutHost> list;
    for (int i = 1; i <= n; ++i)
        list.push_back(
            {.mac = mac(static_cast<std::uint8_t>(i)), .name = "ws" + std::to_string(i)});
    return list;
}

void image_fully(RolloutRun& run, const MacAddress& m, TimePoint now) {
    CHECK(run.booted(m, now));
    CHECK(run.imaging(m, now + 1s));
    CHECK(run.postconfig(m, now + 2s));
    CHECK(run.done(m, now + 3s));
}
}  // namespace

TEST_CASE("waves wake wave_size hosts per interval") {
    RolloutRun run("line", {.wave_size = 2, .wave_interval = 10s}, hosts(5), t0);
    CHECK(run.tick(t0) == std::vector{mac(1), mac(2)});
    CHECK(run.tick(t0 + 5s).empty());
    CHECK(run.tick(t0 + 10s) == std::vector{mac(3), mac(4)});
    CHECK(run.tick(t0 + 20s) == std::vector{mac(5)});
    CHECK(run.tick(t0 + 30s).empty());
    CHECK(run.count(HostState::woken) == 5);
    CHECK(run.hosts()[2].woken_at == t0 + 10s);
}

TEST_CASE("max_concurrent holds back waves until hosts finish") {
    RolloutRun run("line", {.wave_size = 4, .wave_interval = 1s, .max_concurrent = 2}, hosts(4),
                   t0);
    CHECK(run.tick(t0).size() == 2);
    CHECK(run.tick(t0 + 5s).empty());
    image_fully(run, mac(1), t0 + 6s);
    CHECK(run.tick(t0 + 10s) == std::vector{mac(3)});
}

TEST_CASE("all hosts done: the run succeeds with per-host timings") {
    RolloutRun run("line", {.wave_size = 2}, hosts(2), t0);
    run.tick(t0);
    image_fully(run, mac(1), t0 + 30s);
    CHECK(run.state() == RunState::running);
    image_fully(run, mac(2), t0 + 40s);
    CHECK(run.state() == RunState::succeeded);
    CHECK(run.finished() == t0 + 43s);
    CHECK(run.hosts()[0].booted_at == t0 + 30s);
    CHECK(run.hosts()[0].finished_at == t0 + 33s);
}

TEST_CASE("reports never move a host backwards or out of a final state") {
    RolloutRun run("line", {}, hosts(1), t0);
    run.tick(t0);
    CHECK(run.imaging(mac(1), t0 + 1s));
    CHECK_FALSE(run.booted(mac(1), t0 + 2s));
    CHECK_FALSE(run.booted(mac(9), t0 + 2s));  // not in the run
    CHECK(run.failed(mac(1), "disk too small", t0 + 3s));
    CHECK_FALSE(run.done(mac(1), t0 + 4s));
    CHECK(run.hosts()[0].state == HostState::failed);
    CHECK(run.hosts()[0].error == "disk too small");
}

TEST_CASE("stop on failure: no more waves, hosts under way finish, then the run fails") {
    RolloutRun run("line", {.wave_size = 2, .wave_interval = 10s, .stop_on_failure = true},
                   hosts(4), t0);
    run.tick(t0);
    run.failed(mac(1), "verify failed", t0 + 5s);
    CHECK(run.tick(t0 + 10s).empty());
    CHECK(run.state() == RunState::running);  // ws2 is still on its way
    image_fully(run, mac(2), t0 + 11s);
    CHECK(run.state() == RunState::failed);
    CHECK(run.count(HostState::skipped) == 2);
}

TEST_CASE("continue on failure: the threshold decides") {
    RolloutRun run(
        "line",
        {.wave_size = 4, .success = *SuccessThreshold::parse("75%"), .stop_on_failure = false},
        hosts(4), t0);
    run.tick(t0);
    run.failed(mac(1), "boom", t0 + 1s);
    for (std::uint8_t i = 2; i <= 4; ++i) image_fully(run, mac(i), t0 + 2s);
    CHECK(run.state() == RunState::succeeded);
}

TEST_CASE("time limit: hosts under way time out, pending ones are skipped") {
    RolloutRun run("line", {.wave_size = 1, .wave_interval = 10s, .time_limit = 60s}, hosts(3), t0);
    run.tick(t0);
    image_fully(run, mac(1), t0 + 1s);
    run.tick(t0 + 10s);
    run.booted(mac(2), t0 + 20s);
    run.tick(t0 + 60s);
    CHECK(run.hosts()[1].state == HostState::timed_out);
    CHECK(run.hosts()[2].state == HostState::skipped);
    CHECK(run.state() == RunState::failed);
}

TEST_CASE("thresholds") {
    CHECK(SuccessThreshold::parse("90%")->required(5) == 5);
    CHECK(SuccessThreshold::parse("50%")->required(5) == 3);
    CHECK(SuccessThreshold::parse("3")->required(5) == 3);
    CHECK(SuccessThreshold::parse("30")->required(5) == 5);
    for (const char* bad : {"", "%", "101%", "-1", "5x"})
        CHECK_MESSAGE(!SuccessThreshold::parse(bad), bad);
}

TEST_CASE("cancel skips what has not finished") {
    RolloutRun run("line", {.wave_size = 1}, hosts(2), t0);
    run.tick(t0);
    run.cancel(t0 + 5s);
    CHECK(run.state() == RunState::cancelled);
    CHECK(run.count(HostState::skipped) == 2);
    CHECK(run.tick(t0 + 100s).empty());
}

TEST_CASE("a restored run carries on where it was") {
    RolloutRun run("line", {.wave_size = 1, .wave_interval = 10s}, hosts(2), t0);
    run.tick(t0);
    run.booted(mac(1), t0 + 3s);
    auto restored = RolloutRun::restore(run.name(), run.policy(), run.hosts(), run.started(),
                                        run.state(), run.last_wave(), run.finished());
    CHECK(restored.tick(t0 + 5s).empty());
    CHECK(restored.tick(t0 + 10s) == std::vector{mac(2)});
    CHECK(restored.imaging(mac(1), t0 + 11s));
    CHECK(restored.done(mac(1), t0 + 12s));
    image_fully(restored, mac(2), t0 + 12s);
    CHECK(restored.state() == RunState::succeeded);
}
