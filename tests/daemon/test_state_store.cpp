#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>

#include "daemon/state_store.hpp"

using namespace castline::daemon;
using namespace std::chrono_literals;
using castline::MacAddress;

namespace {
const TimePoint t0{std::chrono::sys_days{std::chrono::year{2026} / 11 / 22}};

struct TempDir {
    std::filesystem::path path;
    TempDir() {
        char pattern[] = "/tmp/castline-store.XXXXXX";
        path = ::mkdtemp(pattern);
    }
    ~TempDir() { std::filesystem::remove_all(path); }
};

RolloutRun three_hosts(TimePoint start = t0) {
    std::vector<RolloutHost> hosts;
    for (std::uint8_t i = 1; i <= 3; ++i)
        hosts.push_back(
            {.mac = MacAddress{{0x52, 0x54, 0, 0, 0, i}}, .name = "ws0" + std::to_string(i)});
    return RolloutRun("nightly",
                      {.wave_size = 2,
                       .wave_interval = 30s,
                       .max_concurrent = 2,
                       .success = *SuccessThreshold::parse("2"),
                       .time_limit = 3600s,
                       .stop_on_failure = false},
                      std::move(hosts), start);
}
}  // namespace

TEST_CASE("a run in progress survives reopening the store exactly as saved") {
    TempDir dir;
    std::int64_t id = 0;
    {
        StateStore store(dir.path / "state");
        auto run = three_hosts();
        id = store.begin_run(run);
        run.tick(t0);
        run.booted(run.hosts()[0].mac, t0 + 20s);
        run.failed(run.hosts()[1].mac, "disk too small", t0 + 25s);
        store.save_run(id, run);
    }
    StateStore reopened(dir.path / "state");
    CHECK(reopened.schema_version() == 2);
    auto runs = reopened.runs_in_progress();
    REQUIRE(runs.size() == 1);
    CHECK(runs[0].id == id);
    auto& run = runs[0].run;
    CHECK(run.name() == "nightly");
    CHECK(run.policy().wave_interval == 30s);
    CHECK(run.policy().success.value == 2);
    CHECK_FALSE(run.policy().success.percent);
    CHECK_FALSE(run.policy().stop_on_failure);
    CHECK(run.last_wave() == t0);
    CHECK(run.hosts()[0].state == HostState::booted);
    CHECK(run.hosts()[0].booted_at == t0 + 20s);
    CHECK(run.hosts()[1].error == "disk too small");
    CHECK(run.hosts()[2].state == HostState::pending);
    // It carries on: the third host is woken on the next wave.
    CHECK(run.tick(t0 + 30s) == std::vector{run.hosts()[2].mac});
}

TEST_CASE("history by host name or MAC, newest first; compaction drops old finished runs") {
    TempDir dir;
    StateStore store(dir.path);
    for (int round = 0; round < 2; ++round) {
        const auto start = t0 + std::chrono::hours{24 * round};
        auto run = three_hosts(start);
        const auto id = store.begin_run(run);
        run.tick(start);
        for (const auto& host : std::vector(run.hosts().begin(), run.hosts().begin() + 2)) {
            run.booted(host.mac, start + 10s);
            run.done(host.mac, start + 100s);
        }
        run.tick(start + 30s);
        run.done(run.hosts()[2].mac, start + 200s);
        store.save_run(id, run);
        CHECK(run.state() == RunState::succeeded);
    }
    const auto all = store.history();
    CHECK(all.size() == 6);
    const auto ws02 = store.history("ws02");
    REQUIRE(ws02.size() == 2);
    CHECK(ws02[0].run_id > ws02[1].run_id);
    CHECK(ws02[0].host.finished_at == t0 + 24h + 100s);
    CHECK(store.history("52-54-00-00-00-03").size() == 2);
    CHECK(store.history("nosuch").empty());

    CHECK(store.compact(t0 + 12h) == 1);
    CHECK(store.history().size() == 3);
    CHECK(store.runs_in_progress().empty());
}

TEST_CASE("a store from a newer castlined is refused, not damaged") {
    TempDir dir;
    {
        SqliteDatabase db(dir.path / StateStore::file_name);
        db.set_user_version(99);
    }
    CHECK_THROWS_WITH_AS(StateStore(dir.path), doctest::Contains("newer than this castlined"),
                         SqliteError);
}

TEST_CASE("the store commits durably: WAL with synchronous=FULL, read back from the database") {
    TempDir dir;
    StateStore store(dir.path);
    auto& db = store.database();
    auto mode = db.prepare("PRAGMA journal_mode");
    REQUIRE(mode.step());
    CHECK(mode.text(0) == "wal");
    auto sync = db.prepare("PRAGMA synchronous");
    REQUIRE(sync.step());
    CHECK(sync.integer(0) == 2);  // FULL: the WAL is fsynced at every commit
    // Every connection castlined opens to the file gets the same.
    SqliteDatabase other(dir.path / StateStore::file_name);
    auto other_sync = other.prepare("PRAGMA synchronous");
    REQUIRE(other_sync.step());
    CHECK(other_sync.integer(0) == 2);
}
