#include "daemon/job_store.hpp"

namespace castline::daemon {
namespace {

std::int64_t now_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

JobState state_of(const std::string& text) {
    if (text == "running") return JobState::running;
    if (text == "done") return JobState::done;
    if (text == "failed") return JobState::failed;
    if (text == "revoked") return JobState::revoked;
    return JobState::pending;
}

// From "jobs LEFT JOIN job_clients USING (token)".
constexpr const char* columns =
    "token, host, mac, image, state, stage, error, percent, done_bytes, total_bytes, "
    "rate_bytes_per_s, remaining_s, created_at, updated_at, finished_at, address";
constexpr const char* tables = " FROM jobs LEFT JOIN job_clients USING (token) ";

Job read_job(SqliteStatement& row) {
    Job job;
    job.token = row.text(0);
    job.host = row.text(1);
    job.mac = row.text(2);
    job.image = row.text(3);
    job.state = state_of(row.text(4));
    job.stage = row.text(5);
    job.error = row.text(6);
    job.progress.item = job.stage;
    job.progress.percent = row.real(7);
    job.progress.done_bytes = row.integer(8);
    job.progress.total_bytes = row.integer(9);
    job.progress.rate_bytes_per_s = row.integer(10);
    job.progress.remaining_s = row.integer(11);
    job.created_at = row.integer(12);
    job.updated_at = row.integer(13);
    job.finished_at = row.optional_integer(14);
    job.client = Ipv4Address::parse(row.text(15));  // NULL reads as ""
    return job;
}

std::vector<Job> read_all(SqliteStatement& query) {
    std::vector<Job> jobs;
    while (query.step()) jobs.push_back(read_job(query));
    return jobs;
}

}  // namespace

std::string to_string(JobState state) {
    switch (state) {
        case JobState::pending:
            return "pending";
        case JobState::running:
            return "running";
        case JobState::done:
            return "done";
        case JobState::failed:
            return "failed";
        case JobState::revoked:
            return "revoked";
    }
    return "?";
}

bool finished(const Job& job) {
    return job.state == JobState::done || job.state == JobState::failed ||
           job.state == JobState::revoked;
}

// Its own table rather than a column of jobs, so that the bindings need no schema migration and
// go with their job (ON DELETE CASCADE).
JobStore::JobStore(SqliteDatabase& db) : db_(db) {
    db_.execute(
        "CREATE TABLE IF NOT EXISTS job_clients ("
        "token TEXT PRIMARY KEY REFERENCES jobs(token) ON DELETE CASCADE, "
        "address TEXT NOT NULL)");
}

void JobStore::create(const Job& job) {
    const auto now = now_seconds();
    db_.prepare(
           "INSERT INTO jobs (token, host, mac, image, state, created_at, updated_at) "
           "VALUES (?, ?, ?, ?, ?, ?, ?)")
        .bind(1, job.token)
        .bind(2, job.host)
        .bind(3, job.mac)
        .bind(4, job.image)
        .bind(5, to_string(job.state))
        .bind(6, now)
        .bind(7, now)
        .run();
}

std::optional<Job> JobStore::find(const std::string& token) {
    auto query = db_.prepare(std::string("SELECT ") + columns + tables + "WHERE token = ?");
    query.bind(1, token);
    if (!query.step()) return std::nullopt;
    return read_job(query);
}

std::optional<Job> JobStore::latest_for(const std::string& mac) {
    auto query = db_.prepare(std::string("SELECT ") + columns + tables +
                             "WHERE mac = ? ORDER BY created_at DESC, jobs.rowid DESC "
                             "LIMIT 1");
    query.bind(1, mac);
    if (!query.step()) return std::nullopt;
    return read_job(query);
}

std::vector<Job> JobStore::list(const std::string& host, int limit) {
    auto query = db_.prepare(std::string("SELECT ") + columns + tables +
                             "WHERE ?1 = '' OR host = ?1 OR mac = ?1 "
                             "ORDER BY created_at DESC, jobs.rowid DESC LIMIT ?2");
    query.bind(1, host).bind(2, static_cast<std::int64_t>(limit));
    return read_all(query);
}

void JobStore::record_progress(const std::string& token, const JobProgress& p) {
    db_.prepare(
           "UPDATE jobs SET state = 'running', stage = ?, percent = ?, done_bytes = ?, "
           "total_bytes = ?, rate_bytes_per_s = ?, remaining_s = ?, updated_at = ? "
           "WHERE token = ?")
        .bind(1, p.item)
        .bind(2, p.percent)
        .bind(3, p.done_bytes)
        .bind(4, p.total_bytes)
        .bind(5, p.rate_bytes_per_s)
        .bind(6, p.remaining_s)
        .bind(7, now_seconds())
        .bind(8, token)
        .run();
}

void JobStore::record_result(const std::string& token, JobState state, const std::string& stage,
                             const std::string& error) {
    const auto now = now_seconds();
    db_.prepare(
           "UPDATE jobs SET state = ?, stage = ?, error = ?, percent = CASE WHEN ? = 'done' "
           "THEN 100 ELSE percent END, updated_at = ?, finished_at = ? WHERE token = ?")
        .bind(1, to_string(state))
        .bind(2, stage)
        .bind(3, error)
        .bind(4, to_string(state))
        .bind(5, now)
        .bind(6, now)
        .bind(7, token)
        .run();
}

Ipv4Address JobStore::bind_client(const std::string& token, Ipv4Address client) {
    db_.prepare("INSERT OR IGNORE INTO job_clients (token, address) VALUES (?, ?)")
        .bind(1, token)
        .bind(2, client.to_string())
        .run();
    auto query = db_.prepare("SELECT address FROM job_clients WHERE token = ?");
    query.bind(1, token);
    if (query.step())
        if (const auto bound = Ipv4Address::parse(query.text(0))) return *bound;
    return client;
}

int JobStore::revoke_unfinished(const std::string& mac) {
    const auto now = now_seconds();
    db_.prepare(
           "UPDATE jobs SET state = 'revoked', error = 'replaced by a newer job', updated_at = ?1, "
           "finished_at = ?1 WHERE mac = ?2 AND state IN ('pending', 'running')")
        .bind(1, now)
        .bind(2, mac)
        .run();
    return sqlite3_changes(db_.handle());
}

int JobStore::prune(std::int64_t cutoff) {
    db_.prepare(
           "DELETE FROM jobs WHERE COALESCE(finished_at, updated_at) < ?1 AND EXISTS ("
           "SELECT 1 FROM jobs AS newer WHERE newer.mac = jobs.mac AND "
           "(newer.created_at > jobs.created_at OR "
           "(newer.created_at = jobs.created_at AND newer.rowid > jobs.rowid)))")
        .bind(1, cutoff)
        .run();
    return sqlite3_changes(db_.handle());
}

}  // namespace castline::daemon
