#include "daemon/sqlite.hpp"

namespace castline::daemon {

SqliteStatement::SqliteStatement(sqlite3* db, std::string_view sql) : db_(db), sql_(sql) {
    if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &statement_, nullptr) !=
        SQLITE_OK)
        throw SqliteError(std::string("SQLite: ") + sqlite3_errmsg(db_) + " in: " + sql_);
}

SqliteStatement::~SqliteStatement() {
    sqlite3_finalize(statement_);
}

namespace {
void check_bind(int rc, sqlite3* db, const std::string& sql) {
    if (rc != SQLITE_OK)
        throw SqliteError(std::string("SQLite bind: ") + sqlite3_errmsg(db) + " in: " + sql);
}
}  // namespace

SqliteStatement& SqliteStatement::bind(int index, std::int64_t value) {
    check_bind(sqlite3_bind_int64(statement_, index, value), db_, sql_);
    return *this;
}
SqliteStatement& SqliteStatement::bind(int index, double value) {
    check_bind(sqlite3_bind_double(statement_, index, value), db_, sql_);
    return *this;
}
SqliteStatement& SqliteStatement::bind(int index, std::string_view value) {
    check_bind(sqlite3_bind_text(statement_, index, value.data(), static_cast<int>(value.size()),
                                 SQLITE_TRANSIENT),
               db_, sql_);
    return *this;
}
SqliteStatement& SqliteStatement::bind(int index, std::optional<std::int64_t> value) {
    return value ? bind(index, *value) : bind(index, std::nullopt);
}
SqliteStatement& SqliteStatement::bind(int index, std::nullopt_t) {
    check_bind(sqlite3_bind_null(statement_, index), db_, sql_);
    return *this;
}

bool SqliteStatement::step() {
    const int rc = sqlite3_step(statement_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw SqliteError(std::string("SQLite: ") + sqlite3_errmsg(db_) + " in: " + sql_);
}

void SqliteStatement::run() {
    while (step()) {
    }
    reset();
}

void SqliteStatement::reset() {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
}

std::int64_t SqliteStatement::integer(int column) const {
    return sqlite3_column_int64(statement_, column);
}

std::optional<std::int64_t> SqliteStatement::optional_integer(int column) const {
    if (sqlite3_column_type(statement_, column) == SQLITE_NULL) return std::nullopt;
    return integer(column);
}

double SqliteStatement::real(int column) const {
    return sqlite3_column_double(statement_, column);
}

std::string SqliteStatement::text(int column) const {
    const auto* bytes = sqlite3_column_text(statement_, column);
    if (!bytes) return {};
    return std::string(reinterpret_cast<const char*>(bytes),
                       static_cast<std::size_t>(sqlite3_column_bytes(statement_, column)));
}

SqliteDatabase::SqliteDatabase(const std::filesystem::path& file) {
    if (sqlite3_open_v2(file.c_str(), &db_,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                        nullptr) != SQLITE_OK) {
        const std::string why = db_ ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close(db_);
        throw SqliteError("cannot open state database " + file.string() + ": " + why);
    }
    sqlite3_busy_timeout(db_, 5000);
    execute("PRAGMA journal_mode=WAL");
    // FULL: a commit returns only after the WAL is fsynced, so a job or rollout step that was
    // acknowledged survives a power cut too (NORMAL may lose the last commits; ADR 0070).
    execute("PRAGMA synchronous=FULL");
    execute("PRAGMA foreign_keys=ON");
}

SqliteDatabase::~SqliteDatabase() {
    sqlite3_close(db_);
}

void SqliteDatabase::execute(std::string_view sql) {
    char* error = nullptr;
    const std::string statement(sql);
    if (sqlite3_exec(db_, statement.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
        const std::string why = error ? error : "unknown error";
        sqlite3_free(error);
        throw SqliteError("SQLite: " + why + " in: " + statement);
    }
}

int SqliteDatabase::user_version() {
    auto statement = prepare("PRAGMA user_version");
    statement.step();
    return static_cast<int>(statement.integer(0));
}

void SqliteDatabase::set_user_version(int version) {
    execute("PRAGMA user_version=" + std::to_string(version));
}

SqliteTransaction::SqliteTransaction(SqliteDatabase& db) : db_(db) {
    db_.execute("BEGIN IMMEDIATE");
}

SqliteTransaction::~SqliteTransaction() {
    if (open_) {
        try {
            db_.execute("ROLLBACK");
        } catch (...) {  // a destructor must not throw; the connection reports later errors
        }
    }
}

void SqliteTransaction::commit() {
    db_.execute("COMMIT");
    open_ = false;
}

}  // namespace castline::daemon
