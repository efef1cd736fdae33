#pragma once
// Imaging jobs in castlined's store (the jobs table of castline.db): created when a host that is
// to be imaged asks for its boot script, advanced by the imager's progress and result reports
// (docs/jobs.md). A host whose latest job is done boots its local disk until it is reimaged.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "daemon/sqlite.hpp"

namespace castline::daemon {

enum class JobState { pending, running, done, failed };
std::string to_string(JobState state);

struct JobProgress {
    std::string item;  // find-disk, restore, verify, postconfig
    double percent = 0;
    std::int64_t done_bytes = 0;
    std::int64_t total_bytes = 0;
    std::int64_t rate_bytes_per_s = 0;
    std::int64_t remaining_s = -1;
};

struct Job {
    std::string token;
    std::string host;
    std::string mac;  // as MacAddress::to_string
    std::string image;
    JobState state = JobState::pending;
    std::string stage;  // the progress item, or the failed stage
    std::string error;
    JobProgress progress;
    std::int64_t created_at = 0;  // Unix seconds
    std::int64_t updated_at = 0;
    std::optional<std::int64_t> finished_at;
};

class JobStore {
  public:
    explicit JobStore(SqliteDatabase& db) : db_(db) {}

    void create(const Job& job);
    std::optional<Job> find(const std::string& token);
    // The host's newest job, by MAC.
    std::optional<Job> latest_for(const std::string& mac);
    // Newest first; `host` matches the host name or MAC, empty for all.
    std::vector<Job> list(const std::string& host = {}, int limit = 200);
    // A progress report: the job is running and its stage is the report's item.
    void record_progress(const std::string& token, const JobProgress& progress);
    void record_result(const std::string& token, JobState state, const std::string& stage,
                       const std::string& error);

  private:
    SqliteDatabase& db_;
};

}  // namespace castline::daemon
