#pragma once
// A thin RAII layer over sqlite3: a connection, cached prepared statements and a transaction guard.
// Every failure becomes an eventscope::Error with a sentence that names the database.

#include "storage/sql_filter.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace eventscope {

class SqliteStatement
{
public:
    SqliteStatement(sqlite3* db, sqlite3_stmt* stmt)
        : m_db(db)
        , m_stmt(stmt)
    {
    }
    SqliteStatement& bind(int index, std::int64_t value);
    SqliteStatement& bind(int index, std::string_view value);
    // Binds without copying: the text must stay alive until the statement is reset.
    SqliteStatement& bindStatic(int index, std::string_view value);
    SqliteStatement& bindNull(int index);
    SqliteStatement& bindAll(const std::vector<SqlValue>& values);
    // Steps once; returns true when a row is available.
    bool step();
    void run(); // steps to completion
    std::int64_t int64(int column) const;
    bool isNull(int column) const;
    std::string text(int column) const;
    std::string_view view(int column) const;
    void reset();

private:
    sqlite3* m_db;
    sqlite3_stmt* m_stmt;
};

class SqliteDb
{
public:
    // Opens (or with `create`, creates) the file. Throws Unreachable with a sentence naming the path.
    SqliteDb(const std::string& path, bool create);
    ~SqliteDb();
    SqliteDb(const SqliteDb&) = delete;
    SqliteDb& operator=(const SqliteDb&) = delete;

    void exec(const std::string& sql);
    // A statement prepared once and kept; it is reset before it is handed out.
    SqliteStatement& cached(const std::string& sql);
    std::int64_t changes() const;
    std::int64_t lastInsertRowid() const;
    const std::string& path() const { return m_path; }
    sqlite3* handle() const { return m_db; }
    [[noreturn]] void raise(int code, const std::string& doing) const;

private:
    std::string m_path;
    sqlite3* m_db = nullptr;
    std::unordered_map<std::string, std::unique_ptr<SqliteStatement>> m_statements;
    std::unordered_map<std::string, sqlite3_stmt*> m_raw;
};

// BEGIN IMMEDIATE on construction, ROLLBACK unless commit() was called.
class SqliteTransaction
{
public:
    explicit SqliteTransaction(SqliteDb& db);
    ~SqliteTransaction();
    SqliteTransaction(const SqliteTransaction&) = delete;
    SqliteTransaction& operator=(const SqliteTransaction&) = delete;
    void commit();

private:
    SqliteDb& m_db;
    bool m_open = true;
};

} // namespace eventscope
