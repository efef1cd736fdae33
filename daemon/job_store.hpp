#pragma once
// Imaging jobs in castlined's store (the jobs table of castline.db): created when a host that is
// to be imaged asks for its boot script, advanced by the imager's progress and result reports
// (docs/jobs.md). A host whose latest job is done boots its local disk until it is reimaged.
// Only the host's latest job is live: a newer one revokes the others.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/ipv4_address.hpp"
#include "daemon/sqlite.hpp"

namespace castline::daemon {

// revoked: replaced by a newer job of the same host before it finished.
enum class JobState { pending, running, done, failed, revoked };
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
    // The address the job is bound to since its token was first handed out; only requests from
    // it may use the token (docs/jobs.md, "Who gets a token").
    std::optional<Ipv4Address> client;
};

// Finished in any way (a result, or revoked): its token no longer works.
bool finished(const Job& job);

class JobStore {
  public:
    // Creates the job_clients table when the file has none yet.
    explicit JobStore(SqliteDatabase& db);

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
    // Binds the job to `client` unless it is bound already; returns the address it is bound to.
    Ipv4Address bind_client(const std::string& token, Ipv4Address client);
    // Marks every unfinished job of the host revoked; returns how many.
    int revoke_unfinished(const std::string& mac);
    // Deletes jobs that ended (or, unfinished, last changed) before `cutoff` (Unix seconds) and
    // are not their host's latest, which still decides its next boot; returns how many.
    int prune(std::int64_t cutoff);

  private:
    SqliteDatabase& db_;
};

}  // namespace castline::daemon
