#include "storage/emmett_sqlite_store.h"

#include "storage/conventions.h"
#include "storage/error.h"
#include "storage/sql_filter.h"
#include "storage/sqlite_db.h"
#include "storage/sqlite_rows.h"

#include <sqlite3.h>

#include <filesystem>
#include <thread>

namespace eventscope {

namespace {

std::string firstKey(const char* column, const std::vector<std::string>& keys)
{
    std::string sql = std::string("CASE WHEN json_valid(") + column + ") THEN coalesce(";
    for (const std::string& key : keys)
        sql += std::string("json_extract(") + column + ", '$.\"" + key + "\"'), ";
    return sql + "'') ELSE '' END";
}

const char* kStreamName = "CASE WHEN partition = 'emt:default' THEN stream_id ELSE partition || '/' || stream_id END";
const char* kCategory = "CASE WHEN instr(stream_id, '-') > 0 THEN substr(stream_id, 1, instr(stream_id, '-') - 1) "
                        "ELSE stream_id END";

Event finished(Event event)
{
    Conventions::defaults().rederive(event);
    return event;
}

std::vector<Event> readEvents(SqliteStatement& statement)
{
    std::vector<Event> events;
    while (statement.step())
        events.push_back(finished(sqlite_rows::eventFromRow(statement)));
    statement.reset();
    return events;
}

} // namespace

EmmettSqliteStore::EmmettSqliteStore(const StoreUri& uri)
    : ReadOnlyStore("Emmett")
    , m_uri(uri)
{
    std::error_code ec;
    if (!std::filesystem::exists(uri.path, ec))
        fail(ErrorKind::Unreachable, "there is no Emmett store at " + uri.path);
    m_db = std::make_unique<SqliteDb>(uri.path, false);
    auto& tables = m_db->cached("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'emt_messages'");
    tables.step();
    const bool present = tables.int64(0) > 0;
    tables.reset();
    if (!present)
        fail(ErrorKind::Unreachable, uri.path + " holds no Emmett store (no emt_messages table)");
}

EmmettSqliteStore::~EmmettSqliteStore() = default;

bool EmmettSqliteStore::isPresent(const std::string& path)
{
    try {
        SqliteDb db(path, false);
        auto& tables = db.cached("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
                                 "('emt_messages', 'meta')");
        tables.step();
        auto& emmett = db.cached("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'emt_messages'");
        emmett.step();
        const bool found = emmett.int64(0) == 1 && tables.int64(0) == 1;
        tables.reset();
        emmett.reset();
        return found;
    } catch (const Error&) {
        return false;
    }
}

std::string EmmettSqliteStore::eventsSource() const
{
    const Conventions& conventions = Conventions::defaults();
    return std::string("WITH events AS (SELECT global_position AS position, ") + kStreamName
        + " AS stream, stream_position AS version, message_id AS id, message_type AS type, " + kCategory
        + " AS category, CAST(strftime('%s', created) AS INTEGER) * 1000000 AS time, message_data AS data, "
          "message_metadata AS metadata, "
        + firstKey("message_metadata", conventions.correlation) + " AS correlation, "
        + firstKey("message_metadata", conventions.causation) + " AS causation, "
        + firstKey("message_metadata", conventions.actor)
        + " AS actor, NULL AS schema_version, '' AS hash FROM emt_messages"
        + (m_uri.includeArchived ? "" : " WHERE NOT is_archived") + ") ";
}

StoreDescription EmmettSqliteStore::describe() const
{
    StoreDescription description;
    description.kind = "emmett";
    description.uri = m_uri.display;
    description.readOnly = true;
    return description;
}

EventPage EmmettSqliteStore::read(const EventQuery& query)
{
    const SqlSelect select = buildEventSelect(SqlDialect::SQLite, sqlite_rows::kEventColumns, query);
    auto& statement = m_db->cached(eventsSource() + select.sql);
    statement.bindAll(select.values);
    EventPage page;
    page.events = readEvents(statement);
    finishPage(page, query);
    return page;
}

std::optional<StreamInfo> EmmettSqliteStore::streamHead(const std::string& stream)
{
    auto& statement = m_db->cached(eventsSource()
        + "SELECT count(*), coalesce(max(version), 0), coalesce(min(time), 0), coalesce(max(time), 0), "
          "coalesce(max(position), 0), max(category) FROM events WHERE stream = ?");
    statement.bind(1, std::string_view(stream));
    statement.step();
    std::optional<StreamInfo> info;
    if (statement.int64(0) > 0) {
        info = StreamInfo { stream, statement.text(5), statement.int64(1), statement.int64(0), statement.int64(2),
            statement.int64(3), statement.int64(4) };
    }
    statement.reset();
    return info;
}

std::vector<StreamInfo> EmmettSqliteStore::streams(const StreamQuery& query)
{
    const std::string source = std::string("WITH streams AS (SELECT ") + kStreamName + " AS name, " + kCategory
        + " AS category, max(stream_position) AS version, count(*) AS events, CAST(strftime('%s', min(created)) AS "
          "INTEGER) * 1000000 AS first_time, CAST(strftime('%s', max(created)) AS INTEGER) * 1000000 AS last_time, "
          "max(global_position) AS last_position FROM emt_messages"
        + (m_uri.includeArchived ? "" : " WHERE NOT is_archived") + " GROUP BY partition, stream_id) ";
    const SqlSelect select = buildStreamSelect(
        SqlDialect::SQLite, "name, category, version, first_time, last_time, last_position, events", query);
    auto& statement = m_db->cached(source + select.sql);
    statement.bindAll(select.values);
    std::vector<StreamInfo> streams;
    while (statement.step())
        streams.push_back({ statement.text(0), statement.text(1), statement.int64(2), statement.int64(6),
            statement.int64(3), statement.int64(4), statement.int64(5) });
    statement.reset();
    return streams;
}

std::vector<CategoryInfo> EmmettSqliteStore::categories(const CategoryQuery& query)
{
    std::string sql = std::string("SELECT ") + kCategory + " AS c, count(DISTINCT partition || '/' || stream_id) FROM "
        + "emt_messages WHERE c > ?" + (m_uri.includeArchived ? "" : " AND NOT is_archived")
        + (query.includeSystem ? "" : " AND substr(stream_id, 1, 1) <> '$'") + " GROUP BY c ORDER BY c LIMIT "
        + std::to_string(query.limit);
    auto& statement = m_db->cached(sql);
    statement.bind(1, std::string_view(query.after.value_or(std::string())));
    std::vector<CategoryInfo> categories;
    while (statement.step())
        categories.push_back({ statement.text(0), statement.int64(1) });
    statement.reset();
    return categories;
}

std::vector<std::string> EmmettSqliteStore::eventTypes(std::size_t limit)
{
    auto& statement = m_db->cached("SELECT DISTINCT message_type FROM emt_messages ORDER BY message_type LIMIT ?");
    statement.bind(1, static_cast<std::int64_t>(limit));
    std::vector<std::string> types;
    while (statement.step())
        types.push_back(statement.text(0));
    statement.reset();
    return types;
}

EventCount EmmettSqliteStore::countEvents(const EventQuery& query)
{
    const SqlSelect select = buildEventCount(SqlDialect::SQLite, query);
    auto& statement = m_db->cached(eventsSource() + select.sql);
    statement.bindAll(select.values);
    statement.step();
    const EventCount count { statement.int64(0), statement.int64(1), statement.int64(2), true };
    statement.reset();
    return count;
}

std::int64_t EmmettSqliteStore::headPosition()
{
    auto& statement = m_db->cached("SELECT coalesce(max(global_position), 0) FROM emt_messages");
    statement.step();
    const std::int64_t head = statement.int64(0);
    statement.reset();
    return head;
}

std::optional<Event> EmmettSqliteStore::eventById(const std::string& id)
{
    auto& statement
        = m_db->cached(eventsSource() + "SELECT " + sqlite_rows::kEventColumns + " FROM events WHERE id = ? LIMIT 1");
    statement.bind(1, std::string_view(id));
    auto events = readEvents(statement);
    if (events.empty())
        return std::nullopt;
    return std::move(events.front());
}

void EmmettSqliteStore::interrupt()
{
    sqlite3_interrupt(m_db->handle());
}

} // namespace eventscope
