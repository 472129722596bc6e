#include "storage/sqlite_db.h"

#include "storage/error.h"

#include <sqlite3.h>

namespace eventscope {

SqliteStatement& SqliteStatement::bind(int index, std::int64_t value)
{
    sqlite3_bind_int64(m_stmt, index, value);
    return *this;
}

SqliteStatement& SqliteStatement::bind(int index, std::string_view value)
{
    sqlite3_bind_text(m_stmt, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
    return *this;
}

SqliteStatement& SqliteStatement::bindStatic(int index, std::string_view value)
{
    sqlite3_bind_text(m_stmt, index, value.data(), static_cast<int>(value.size()), SQLITE_STATIC);
    return *this;
}

SqliteStatement& SqliteStatement::bindNull(int index)
{
    sqlite3_bind_null(m_stmt, index);
    return *this;
}

SqliteStatement& SqliteStatement::bindAll(const std::vector<SqlValue>& values)
{
    int index = 1;
    for (const auto& value : values) {
        if (const auto* number = std::get_if<std::int64_t>(&value))
            bind(index++, *number);
        else
            bind(index++, std::string_view(std::get<std::string>(value)));
    }
    return *this;
}

bool SqliteStatement::step()
{
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    const std::string message = sqlite3_errmsg(m_db);
    const int code = rc;
    sqlite3_reset(m_stmt);
    if ((code & 0xFF) == SQLITE_INTERRUPT)
        fail(ErrorKind::Cancelled, "the query was cancelled");
    if ((code & 0xFF) == SQLITE_CONSTRAINT)
        fail(ErrorKind::BadInput, "the store refused the write: " + message);
    if ((code & 0xFF) == SQLITE_CORRUPT || (code & 0xFF) == SQLITE_NOTADB)
        fail(ErrorKind::Unreachable, "the SQLite file is damaged: " + message);
    fail(ErrorKind::Unreachable, "SQLite failed: " + message);
}

void SqliteStatement::run()
{
    while (step()) { }
}

std::int64_t SqliteStatement::int64(int column) const
{
    return sqlite3_column_int64(m_stmt, column);
}

bool SqliteStatement::isNull(int column) const
{
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

std::string SqliteStatement::text(int column) const
{
    return std::string(view(column));
}

std::string_view SqliteStatement::view(int column) const
{
    const auto* bytes = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, column));
    if (!bytes)
        return {};
    return { bytes, static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column)) };
}

void SqliteStatement::reset()
{
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

SqliteDb::SqliteDb(const std::string& path, bool create)
    : m_path(path)
{
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
    if (create)
        flags |= SQLITE_OPEN_CREATE;
    const int rc = sqlite3_open_v2(path.c_str(), &m_db, flags, nullptr);
    if (rc != SQLITE_OK) {
        const std::string message = m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(rc);
        sqlite3_close(m_db);
        m_db = nullptr;
        fail(ErrorKind::Unreachable, "cannot open the SQLite store " + path + ": " + message);
    }
    sqlite3_extended_result_codes(m_db, 1);
    // Several processes may append at once; wait for the write lock rather than fail.
    sqlite3_busy_timeout(m_db, 30000);
}

SqliteDb::~SqliteDb()
{
    for (auto& [sql, stmt] : m_raw)
        sqlite3_finalize(stmt);
    sqlite3_close(m_db);
}

void SqliteDb::raise(int code, const std::string& doing) const
{
    const std::string message = sqlite3_errmsg(m_db);
    const int primary = code & 0xFF;
    if (primary == SQLITE_INTERRUPT)
        fail(ErrorKind::Cancelled, "the query was cancelled");
    if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB)
        fail(ErrorKind::Unreachable, "cannot open the SQLite store " + m_path + ": " + message);
    if (primary == SQLITE_CONSTRAINT)
        fail(ErrorKind::BadInput, "the store refused the write: " + message);
    fail(ErrorKind::Unreachable, "SQLite failed while " + doing + " in " + m_path + ": " + message);
}

void SqliteDb::exec(const std::string& sql)
{
    char* error = nullptr;
    const int rc = sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, &error);
    sqlite3_free(error);
    if (rc != SQLITE_OK)
        raise(rc, "running " + sql.substr(0, sql.find_first_of("(\n")));
}

SqliteStatement& SqliteDb::cached(const std::string& sql)
{
    auto it = m_statements.find(sql);
    if (it == m_statements.end()) {
        sqlite3_stmt* stmt = nullptr;
        const int rc = sqlite3_prepare_v3(
            m_db, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
        if (rc != SQLITE_OK)
            raise(rc, "preparing a query");
        m_raw.emplace(sql, stmt);
        it = m_statements.emplace(sql, std::make_unique<SqliteStatement>(m_db, stmt)).first;
    }
    it->second->reset();
    return *it->second;
}

std::int64_t SqliteDb::changes() const
{
    return sqlite3_changes64(m_db);
}

std::int64_t SqliteDb::lastInsertRowid() const
{
    return sqlite3_last_insert_rowid(m_db);
}

SqliteTransaction::SqliteTransaction(SqliteDb& db)
    : m_db(db)
{
    m_db.exec("BEGIN IMMEDIATE");
}

SqliteTransaction::~SqliteTransaction()
{
    if (m_open)
        sqlite3_exec(m_db.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void SqliteTransaction::commit()
{
    m_db.exec("COMMIT");
    m_open = false;
}

} // namespace eventscope
