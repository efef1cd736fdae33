#include "daemon/state_store.hpp"

#include <array>

namespace castline::daemon {
namespace {

// Each entry moves the schema one version up; never edit a released entry, append a new one.
constexpr std::array<const char*, 2> migrations{
    R"sql(
    CREATE TABLE rollout_runs (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        state TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        last_wave_at INTEGER,
        finished_at INTEGER,
        wave_size INTEGER NOT NULL,
        wave_interval INTEGER NOT NULL,
        max_concurrent INTEGER NOT NULL,
        success TEXT NOT NULL,
        time_limit INTEGER NOT NULL,
        stop_on_failure INTEGER NOT NULL
    );
    CREATE INDEX rollout_runs_by_state ON rollout_runs(state);
    CREATE TABLE rollout_hosts (
        run_id INTEGER NOT NULL REFERENCES rollout_runs(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        mac TEXT NOT NULL,
        name TEXT NOT NULL,
        state TEXT NOT NULL,
        woken_at INTEGER, booted_at INTEGER, imaging_at INTEGER, postconfig_at INTEGER,
        finished_at INTEGER,
        error TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (run_id, position)
    );
    CREATE INDEX rollout_hosts_by_name ON rollout_hosts(name);
    CREATE INDEX rollout_hosts_by_mac ON rollout_hosts(mac);
    )sql",
    // Imaging jobs (daemon/job_store.hpp): one row per job; a host's latest row decides its next
    // PXE boot.
    R"sql(
    CREATE TABLE jobs (
        token TEXT PRIMARY KEY,
        host TEXT NOT NULL,
        mac TEXT NOT NULL,
        image TEXT NOT NULL,
        state TEXT NOT NULL,
        stage TEXT NOT NULL DEFAULT '',
        error TEXT NOT NULL DEFAULT '',
        percent REAL NOT NULL DEFAULT 0,
        done_bytes INTEGER NOT NULL DEFAULT 0,
        total_bytes INTEGER NOT NULL DEFAULT 0,
        rate_bytes_per_s INTEGER NOT NULL DEFAULT 0,
        remaining_s INTEGER NOT NULL DEFAULT -1,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        finished_at INTEGER
    );
    CREATE INDEX jobs_by_mac ON jobs(mac, created_at);
    )sql",
};

std::optional<std::int64_t> seconds_of(const std::optional<TimePoint>& t) {
    if (!t) return std::nullopt;
    return t->time_since_epoch().count();
}
std::optional<TimePoint> time_of(std::optional<std::int64_t> s) {
    if (!s) return std::nullopt;
    return TimePoint{std::chrono::seconds{*s}};
}

std::string threshold_text(const SuccessThreshold& t) {
    return std::to_string(t.value) + (t.percent ? "%" : "");
}

RolloutHost read_host(SqliteStatement& row, int first) {
    RolloutHost host;
    host.mac = MacAddress::parse(row.text(first)).value_or(MacAddress{});
    host.name = row.text(first + 1);
    host.state = parse_host_state(row.text(first + 2)).value_or(HostState::failed);
    host.woken_at = time_of(row.optional_integer(first + 3));
    host.booted_at = time_of(row.optional_integer(first + 4));
    host.imaging_at = time_of(row.optional_integer(first + 5));
    host.postconfig_at = time_of(row.optional_integer(first + 6));
    host.finished_at = time_of(row.optional_integer(first + 7));
    host.error = row.text(first + 8);
    return host;
}

constexpr const char* host_columns =
    "mac, name, state, woken_at, booted_at, imaging_at, postconfig_at, finished_at, error";

}  // namespace

StateStore::StateStore(const std::filesystem::path& data_dir)
    : db_((std::filesystem::create_directories(data_dir), data_dir / file_name)) {
    migrate();
}

void StateStore::migrate() {
    const int current = db_.user_version();
    if (current > static_cast<int>(migrations.size()))
        throw SqliteError("state database schema version " + std::to_string(current) +
                          " is newer than this castlined understands (" +
                          std::to_string(migrations.size()) + ")");
    for (int version = current; version < static_cast<int>(migrations.size()); ++version) {
        SqliteTransaction transaction(db_);
        db_.execute(migrations[static_cast<std::size_t>(version)]);
        db_.set_user_version(version + 1);
        transaction.commit();
    }
}

std::int64_t StateStore::begin_run(const RolloutRun& run) {
    SqliteTransaction transaction(db_);
    auto insert = db_.prepare(
        "INSERT INTO rollout_runs (name, state, started_at, wave_size, wave_interval, "
        "max_concurrent, "
        "success, time_limit, stop_on_failure) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    const auto& p = run.policy();
    insert.bind(1, run.name())
        .bind(2, to_string(run.state()))
        .bind(3, std::int64_t{run.started().time_since_epoch().count()})
        .bind(4, std::int64_t{p.wave_size})
        .bind(5, std::int64_t{p.wave_interval.count()})
        .bind(6, std::int64_t{p.max_concurrent})
        .bind(7, threshold_text(p.success))
        .bind(8, std::int64_t{p.time_limit.count()})
        .bind(9, std::int64_t{p.stop_on_failure ? 1 : 0})
        .run();
    const std::int64_t id = sqlite3_last_insert_rowid(db_.handle());
    auto host_insert = db_.prepare(std::string("INSERT INTO rollout_hosts (run_id, position, ") +
                                   host_columns + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    std::int64_t position = 0;
    for (const auto& host : run.hosts()) {
        host_insert.bind(1, id)
            .bind(2, position++)
            .bind(3, host.mac.to_string())
            .bind(4, host.name)
            .bind(5, to_string(host.state))
            .bind(6, seconds_of(host.woken_at))
            .bind(7, seconds_of(host.booted_at))
            .bind(8, seconds_of(host.imaging_at))
            .bind(9, seconds_of(host.postconfig_at))
            .bind(10, seconds_of(host.finished_at))
            .bind(11, host.error)
            .run();
    }
    transaction.commit();
    return id;
}

void StateStore::save_run(std::int64_t id, const RolloutRun& run) {
    SqliteTransaction transaction(db_);
    db_.prepare("UPDATE rollout_runs SET state = ?, last_wave_at = ?, finished_at = ? WHERE id = ?")
        .bind(1, to_string(run.state()))
        .bind(2, seconds_of(run.last_wave()))
        .bind(3, seconds_of(run.finished()))
        .bind(4, id)
        .run();
    auto update = db_.prepare(
        "UPDATE rollout_hosts SET state = ?, woken_at = ?, booted_at = ?, imaging_at = ?, "
        "postconfig_at = ?, finished_at = ?, error = ? WHERE run_id = ? AND position = ?");
    std::int64_t position = 0;
    for (const auto& host : run.hosts()) {
        update.bind(1, to_string(host.state))
            .bind(2, seconds_of(host.woken_at))
            .bind(3, seconds_of(host.booted_at))
            .bind(4, seconds_of(host.imaging_at))
            .bind(5, seconds_of(host.postconfig_at))
            .bind(6, seconds_of(host.finished_at))
            .bind(7, host.error)
            .bind(8, id)
            .bind(9, position++)
            .run();
    }
    transaction.commit();
}

StoredRun StateStore::load_run(SqliteStatement& row) {
    const std::int64_t id = row.integer(0);
    RolloutPolicy policy;
    policy.wave_size = static_cast<int>(row.integer(6));
    policy.wave_interval = std::chrono::seconds{row.integer(7)};
    policy.max_concurrent = static_cast<int>(row.integer(8));
    policy.success = SuccessThreshold::parse(row.text(9)).value_or(SuccessThreshold{});
    policy.time_limit = std::chrono::seconds{row.integer(10)};
    policy.stop_on_failure = row.integer(11) != 0;
    std::vector<RolloutHost> hosts;
    auto host_rows = db_.prepare(std::string("SELECT ") + host_columns +
                                 " FROM rollout_hosts WHERE run_id = ? ORDER BY position");
    host_rows.bind(1, id);
    while (host_rows.step()) hosts.push_back(read_host(host_rows, 0));
    return {id, RolloutRun::restore(row.text(1), policy, std::move(hosts),
                                    TimePoint{std::chrono::seconds{row.integer(3)}},
                                    parse_run_state(row.text(2)).value_or(RunState::failed),
                                    time_of(row.optional_integer(4)),
                                    time_of(row.optional_integer(5)))};
}

namespace {
constexpr const char* run_columns =
    "SELECT id, name, state, started_at, last_wave_at, finished_at, wave_size, wave_interval, "
    "max_concurrent, success, time_limit, stop_on_failure FROM rollout_runs ";
}

std::vector<StoredRun> StateStore::runs_in_progress() {
    std::vector<StoredRun> runs;
    auto rows = db_.prepare(std::string(run_columns) + "WHERE state = 'running' ORDER BY id");
    while (rows.step()) runs.push_back(load_run(rows));
    return runs;
}

std::optional<StoredRun> StateStore::latest_run(const std::string& rollout) {
    auto rows = db_.prepare(std::string(run_columns) + "WHERE name = ? ORDER BY id DESC LIMIT 1");
    rows.bind(1, rollout);
    if (!rows.step()) return std::nullopt;
    return load_run(rows);
}

std::vector<HistoryEntry> StateStore::history(const std::string& host, int limit) {
    std::vector<HistoryEntry> entries;
    auto rows = db_.prepare(std::string(
        "SELECT r.id, r.name, r.state, r.started_at, h.mac, h.name, h.state, h.woken_at, "
        "h.booted_at, h.imaging_at, h.postconfig_at, h.finished_at, h.error "
        "FROM rollout_hosts h JOIN rollout_runs r ON r.id = h.run_id "
        "WHERE ?1 = '' OR h.name = ?1 OR h.mac = ?1 "
        "ORDER BY r.id DESC, h.position LIMIT ?2"));
    const auto mac = MacAddress::parse(host);
    rows.bind(1, mac ? mac->to_string() : host).bind(2, std::int64_t{limit});
    while (rows.step()) {
        HistoryEntry entry;
        entry.run_id = rows.integer(0);
        entry.rollout = rows.text(1);
        entry.run_state = parse_run_state(rows.text(2)).value_or(RunState::failed);
        entry.run_started = TimePoint{std::chrono::seconds{rows.integer(3)}};
        entry.host = read_host(rows, 4);
        entries.push_back(std::move(entry));
    }
    return entries;
}

int StateStore::compact(TimePoint cutoff) {
    auto remove =
        db_.prepare("DELETE FROM rollout_runs WHERE state != 'running' AND finished_at < ?");
    remove.bind(1, std::int64_t{cutoff.time_since_epoch().count()}).run();
    return sqlite3_changes(db_.handle());
}

}  // namespace castline::daemon
