#pragma once
// A thin RAII layer over SQLite's C API: a connection, prepared statements with typed binds and
// columns, and transactions. Errors throw SqliteError with SQLite's message and the statement.
#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace castline::daemon {

struct SqliteError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class SqliteStatement {
  public:
    SqliteStatement(sqlite3* db, std::string_view sql);
    ~SqliteStatement();
    SqliteStatement(const SqliteStatement&) = delete;
    SqliteStatement& operator=(const SqliteStatement&) = delete;

    // Binds by 1-based position; nullopt binds NULL.
    SqliteStatement& bind(int index, std::int64_t value);
    SqliteStatement& bind(int index, double value);
    SqliteStatement& bind(int index, std::string_view value);
    SqliteStatement& bind(int index, std::optional<std::int64_t> value);
    SqliteStatement& bind(int index, std::nullopt_t);

    // Steps once: true while a row is available.
    bool step();
    // Runs to completion, for statements without results.
    void run();
    void reset();

    std::int64_t integer(int column) const;
    std::optional<std::int64_t> optional_integer(int column) const;
    double real(int column) const;
    std::string text(int column) const;

  private:
    sqlite3* db_;
    sqlite3_stmt* statement_ = nullptr;
    std::string sql_;
};

class SqliteDatabase {
  public:
    // Opens (creating) the file: WAL, synchronous=FULL, a busy timeout and foreign keys on.
    explicit SqliteDatabase(const std::filesystem::path& file);
    ~SqliteDatabase();
    SqliteDatabase(const SqliteDatabase&) = delete;
    SqliteDatabase& operator=(const SqliteDatabase&) = delete;

    void execute(std::string_view sql);
    SqliteStatement prepare(std::string_view sql) { return SqliteStatement(db_, sql); }
    int user_version();
    void set_user_version(int version);
    sqlite3* handle() { return db_; }

  private:
    sqlite3* db_ = nullptr;
};

// Commits on commit(), rolls back if destroyed before.
class SqliteTransaction {
  public:
    explicit SqliteTransaction(SqliteDatabase& db);
    ~SqliteTransaction();
    void commit();

  private:
    SqliteDatabase& db_;
    bool open_ = true;
};

}  // namespace castline::daemon
