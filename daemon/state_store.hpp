#pragma once
// castlined's embedded store (SQLite, WAL) in the data directory: rollout runs with their hosts,
// which is also the history. Every change is one transaction, so a kill at any moment leaves the
// last committed state, from which a restarted castlined resumes.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "daemon/rollout_run.hpp"
#include "daemon/sqlite.hpp"

namespace castline::daemon {

struct StoredRun {
    std::int64_t id = 0;
    RolloutRun run;
};

struct HistoryEntry {
    std::int64_t run_id = 0;
    std::string rollout;
    RunState run_state = RunState::running;
    TimePoint run_started;
    RolloutHost host;
};

class StateStore {
  public:
    static constexpr const char* file_name = "castline.db";
    // Opens or creates data_dir/castline.db and brings its schema up to date.
    explicit StateStore(const std::filesystem::path& data_dir);

    std::int64_t begin_run(const RolloutRun& run);
    void save_run(std::int64_t id, const RolloutRun& run);
    std::vector<StoredRun> runs_in_progress();
    std::optional<StoredRun> latest_run(const std::string& rollout);

    // Per-host results, newest first; `host` matches a host name or MAC, empty for all.
    std::vector<HistoryEntry> history(const std::string& host = {}, int limit = 100);
    // Deletes finished runs that finished before `cutoff`; returns how many.
    int compact(TimePoint cutoff);

    int schema_version() { return db_.user_version(); }
    // For the stores of other tables in the same file (job_store.hpp).
    SqliteDatabase& database() { return db_; }

  private:
    void migrate();
    StoredRun load_run(SqliteStatement& row);

    SqliteDatabase db_;
};

}  // namespace castline::daemon
