#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>

#include "daemon/rollout_manager.hpp"

using namespace castline::daemon;
using namespace std::chrono_literals;
using castline::MacAddress;
namespace config = castline::config;

namespace {
const TimePoint t0{std::chrono::sys_days{std::chrono::year{2026} / 11 / 22}};

struct TempDir {
    std::filesystem::path path;
    TempDir() {
        char pattern[] = "/tmp/castline-rollout.XXXXXX";
        path = ::mkdtemp(pattern);
    }
    ~TempDir() { std::filesystem::remove_all(path); }
};

MacAddress mac(std::uint8_t n) {
    return MacAddress{{0x52, 0x54, 0, 0, 0, n}};
}

config::SiteConfig site() {
    config::SiteConfig s;
    for (std::uint8_t i = 1; i <= 5; ++i) {
        config::Host h;
        h.mac = mac(i);
        h.name = "ws" + std::to_string(i);
        h.group = i <= 3 ? "line1" : "line2";
        if (i == 5) h.vars["floor"] = "2";
        s.hosts.push_back(h);
    }
    config::Rollout r;
    r.name = "line1";
    r.groups = {"line1"};
    r.wave_size = 2;
    r.wave_interval = 10s;
    s.rollouts["line1"] = r;
    config::Rollout mixed;
    mixed.name = "mixed";
    mixed.hosts = {"ws4", "ws1"};
    mixed.groups = {"line1"};
    mixed.selector = {{"floor", "2"}};
    s.rollouts["mixed"] = mixed;
    config::Schedule nightly;
    nightly.name = "nightly";
    nightly.kind = "daily";
    nightly.at = "02:00";
    nightly.rollout = "line1";
    s.schedules["nightly"] = nightly;
    return s;
}

struct Harness {
    boost::asio::io_context io;
    TimePoint now = t0;
    std::vector<MacAddress> woken;
    StateStore store;
    RolloutManager manager;
    explicit Harness(const std::filesystem::path& dir)
        : store(dir),
          manager(
              io, store, [this](const MacAddress& m) { woken.push_back(m); },
              [this] { return now; }) {}
};
}  // namespace

TEST_CASE("targets: named hosts, groups and variable selectors, in config order, each once") {
    const auto s = site();
    const auto targets = rollout_targets(s, s.rollouts.at("mixed"));
    REQUIRE(targets.size() == 5);
    CHECK(targets[0].name == "ws1");
    CHECK(targets[3].name == "ws4");
    CHECK(targets[4].name == "ws5");
    CHECK(rollout_targets(s, s.rollouts.at("line1")).size() == 3);
}

TEST_CASE("start by hand: waves wake hosts, reports finish the run, history keeps it") {
    TempDir dir;
    Harness h(dir.path);
    h.manager.apply(site());
    std::string error;
    CHECK_FALSE(h.manager.start("nosuch", error));
    CHECK(error == "no rollout named 'nosuch' in the config");
    REQUIRE(h.manager.start("line1", error));
    CHECK(h.woken == std::vector{mac(1), mac(2)});
    CHECK_FALSE(h.manager.start("line1", error));
    CHECK(error == "rollout 'line1' is already running");

    h.now += 10s;
    h.manager.tick();
    CHECK(h.woken.size() == 3);
    // Hosts the run still has to image get jobs from it; others do not.
    REQUIRE(h.manager.imaging_rollout(mac(1)) != nullptr);
    CHECK(h.manager.imaging_rollout(mac(1))->name == "line1");
    CHECK(h.manager.imaging_rollout(mac(4)) == nullptr);
    for (std::uint8_t i = 1; i <= 3; ++i) {
        h.manager.host_booted(mac(i));
        h.manager.host_imaging(mac(i));
        h.manager.host_postconfig(mac(i));
        h.manager.host_done(mac(i));
    }
    CHECK(h.manager.running().empty());
    CHECK(h.manager.imaging_rollout(mac(1)) == nullptr);  // done in the run: no new job
    const auto status = h.manager.status("line1");
    REQUIRE(status);
    CHECK(status->run.state() == RunState::succeeded);
    CHECK(h.store.history("ws3").size() == 1);
}

TEST_CASE("a schedule starts its rollout when due") {
    TempDir dir;
    Harness h(dir.path);
    h.now = t0 + 1h;
    h.manager.apply(site());
    CHECK(h.manager.next_scheduled("nightly") == t0 + 2h);
    h.now = t0 + 2h - 1s;
    h.manager.tick();
    CHECK(h.woken.empty());
    h.now = t0 + 2h;
    h.manager.tick();
    CHECK(h.woken == std::vector{mac(1), mac(2)});
    CHECK(h.manager.next_scheduled("nightly") == t0 + 26h);
}

TEST_CASE("a new manager on the same store resumes the run where it was") {
    TempDir dir;
    {
        Harness first(dir.path);
        first.manager.apply(site());
        std::string error;
        REQUIRE(first.manager.start("line1", error));
        first.manager.host_booted(mac(1));
        first.manager.host_failed(mac(2), "wrong session password");
    }
    Harness second(dir.path);
    second.now = t0 + 10s;
    second.manager.apply(site());
    CHECK(second.manager.running() == std::vector<std::string>{"line1"});
    second.manager.tick();
    CHECK(second.woken.empty());  // stop_on_failure: no new wave after ws2 failed
    second.manager.host_done(mac(1));
    const auto status = second.manager.status("line1");
    REQUIRE(status);
    CHECK(status->run.state() == RunState::failed);
    CHECK(status->run.hosts()[1].error == "wrong session password");
    CHECK(status->run.hosts()[2].state == HostState::skipped);
}
