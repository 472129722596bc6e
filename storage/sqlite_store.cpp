#include "storage/sqlite_store.h"

#include "storage/append_preparation.h"
#include "storage/error.h"
#include "storage/sql_filter.h"
#include "storage/sqlite_db.h"
#include "storage/sqlite_rows.h"
#include "storage/time_format.h"
#include "storage/uuid.h"

#include <atomic>
#include <filesystem>
#include <thread>

namespace eventscope {
namespace {

std::atomic<std::int64_t> g_cacheKiB { SqliteMemoryBudget {}.cacheKiB };
std::atomic<std::int64_t> g_mmapBytes { SqliteMemoryBudget {}.mmapBytes };

constexpr const char* kFormat = "eventscope-sqlite/1";

constexpr const char* kSchema = R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE events(
  position INTEGER PRIMARY KEY,
  stream TEXT NOT NULL,
  version INTEGER NOT NULL,
  id TEXT NOT NULL,
  type TEXT NOT NULL,
  category TEXT NOT NULL,
  time INTEGER NOT NULL,            -- microseconds since 1970-01-01T00:00:00Z; see events_readable
  data TEXT NOT NULL,               -- JSON text
  metadata TEXT NOT NULL,           -- JSON text
  correlation TEXT,
  causation TEXT,
  actor TEXT,
  schema_version INTEGER,
  hash TEXT NOT NULL                -- SHA-256 chained to the previous event of the stream
);
CREATE UNIQUE INDEX events_stream_version ON events(stream, version);
CREATE UNIQUE INDEX events_id ON events(id);
CREATE INDEX events_type ON events(type, position);
CREATE INDEX events_category ON events(category, position);
CREATE INDEX events_correlation ON events(correlation, position) WHERE correlation IS NOT NULL;
CREATE INDEX events_causation ON events(causation, position) WHERE causation IS NOT NULL;
CREATE INDEX events_actor ON events(actor, position) WHERE actor IS NOT NULL;
CREATE INDEX events_time ON events(time, position);
CREATE VIEW events_readable AS
  SELECT position, stream, version, id, type, strftime('%Y-%m-%dT%H:%M:%fZ', time / 1000000.0, 'unixepoch') AS time,
         data, metadata
  FROM events;
CREATE TABLE streams(
  name TEXT PRIMARY KEY,
  category TEXT NOT NULL,
  version INTEGER NOT NULL,
  first_time INTEGER NOT NULL,
  last_time INTEGER NOT NULL,
  last_position INTEGER NOT NULL,
  last_hash TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX streams_category ON streams(category, name);
CREATE TABLE snapshots(
  stream TEXT NOT NULL,
  reducer TEXT NOT NULL,
  version INTEGER NOT NULL,
  time INTEGER NOT NULL,
  state TEXT NOT NULL,
  PRIMARY KEY(stream, reducer, version)
) WITHOUT ROWID;
CREATE TABLE projections(
  name TEXT PRIMARY KEY,
  position INTEGER NOT NULL,
  status TEXT NOT NULL,
  definition TEXT NOT NULL,
  updated INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE projection_states(
  projection TEXT NOT NULL,
  partition TEXT NOT NULL,
  state TEXT NOT NULL,
  PRIMARY KEY(projection, partition)
) WITHOUT ROWID;
)sql";

void bindOptional(SqliteStatement& statement, int index, const std::string& value)
{
    if (value.empty())
        statement.bindNull(index);
    else
        statement.bindStatic(index, value);
}

StreamInfo streamFromRow(const SqliteStatement& row)
{
    StreamInfo info;
    info.name = row.text(0);
    info.category = row.text(1);
    info.version = row.int64(2);
    info.count = info.version;
    info.firstTime = row.int64(3);
    info.lastTime = row.int64(4);
    info.lastPosition = row.int64(5);
    return info;
}

constexpr const char* kStreamColumns = "name, category, version, first_time, last_time, last_position";

} // namespace

void setSqliteMemoryBudget(SqliteMemoryBudget budget)
{
    g_cacheKiB = budget.cacheKiB;
    g_mmapBytes = budget.mmapBytes;
}

SqliteMemoryBudget sqliteMemoryBudget()
{
    return { g_cacheKiB.load(), g_mmapBytes.load() };
}

using sqlite_rows::eventFromRow;
using sqlite_rows::kEventColumns;

SqliteStore::SqliteStore(const StoreUri& uri, bool create)
    : m_uri(uri)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    const bool exists = fs::exists(uri.path, ec);
    if (!exists && !create)
        fail(ErrorKind::Unreachable, "there is no event store at " + uri.path);
    if (exists && fs::is_directory(uri.path, ec))
        fail(ErrorKind::Unreachable, uri.path + " is a folder, not an event store");
    const bool empty = exists && fs::file_size(uri.path, ec) == 0;
    if (empty && !create)
        fail(ErrorKind::Unreachable, uri.path + " is an empty file, not an event store");
    m_db = std::make_unique<SqliteDb>(uri.path, create);
    openSchema(!exists || empty);
}

SqliteStore::~SqliteStore()
{
    if (m_db) {
        try {
            // Bounded: on a big store an unbounded ANALYZE would make every short command take seconds.
            m_db->exec("PRAGMA analysis_limit=1000; PRAGMA optimize");
        } catch (const Error&) {
            // Optimizing is a courtesy; a store that cannot do it closes all the same.
        }
    }
}

void SqliteStore::openSchema(bool created)
{
    // Pragmas that persist (journal_mode) are set only once the file is known to be ours: opening someone
    // else's database must leave it as it was.
    const SqliteMemoryBudget budget = sqliteMemoryBudget();
    const std::string pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY; "
                                "PRAGMA cache_size=-"
        + std::to_string(budget.cacheKiB) + "; PRAGMA mmap_size=" + std::to_string(budget.mmapBytes)
        + "; PRAGMA wal_autocheckpoint=8192";
    if (created) {
        m_db->exec(pragmas);
        SqliteTransaction tx(*m_db);
        m_db->exec(kSchema);
        m_storeId = makeUuid();
        auto& insert = m_db->cached("INSERT INTO meta(key, value) VALUES (?, ?)");
        insert.bind(1, std::string_view("format")).bind(2, std::string_view(kFormat)).run();
        insert.reset();
        // Cleared by the first append that puts an event before the newest one in time (an import, say).
        insert.bind(1, std::string_view("times_ordered")).bind(2, std::string_view("1")).run();
        insert.reset();
        insert.bind(1, std::string_view("store_id")).bind(2, std::string_view(m_storeId)).run();
        insert.reset();
        insert.bind(1, std::string_view("created")).bind(2, std::string_view(formatTime(nowMicros()))).run();
        tx.commit();
        return;
    }
    auto& tables = m_db->cached("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'");
    tables.step();
    const bool hasMeta = tables.int64(0) > 0;
    tables.reset(); // an unfinished statement would pin this connection's snapshot
    if (!hasMeta)
        fail(ErrorKind::Unreachable, m_uri.path + " is a SQLite database but not an Eventscope store");
    auto& format = m_db->cached("SELECT key, value FROM meta WHERE key IN ('format', 'store_id')");
    std::string formatName;
    while (format.step()) {
        if (format.view(0) == "format")
            formatName = format.text(1);
        else
            m_storeId = format.text(1);
    }
    if (formatName != kFormat)
        fail(ErrorKind::Unreachable,
            m_uri.path + " is a SQLite database but not an Eventscope store of a format this version reads");
    m_db->exec(pragmas);
}

StoreDescription SqliteStore::describe() const
{
    return { "sqlite", m_uri.display, false, m_storeId };
}

std::vector<AppendResult> SqliteStore::append(std::span<const AppendRequest> requests)
{
    auto prepared = prepareAppend(requests);
    SqliteTransaction tx(*m_db);
    auto results = appendPrepared(prepared);
    tx.commit();
    return results;
}

std::vector<AppendResult> SqliteStore::appendPrepared(std::vector<PreparedAppend>& prepared)
{
    std::vector<AppendResult> results;
    results.reserve(prepared.size());
    auto& last = m_db->cached("SELECT time FROM events ORDER BY position DESC LIMIT 1");
    std::optional<Micros> lastTime;
    if (last.step())
        lastTime = last.int64(0);
    last.reset();
    bool ordered = true;
    for (auto& append : prepared) {
        results.push_back(appendOne(append));
        if (results.back().idempotent)
            continue;
        for (const Event& event : append.events) {
            ordered = ordered && (!lastTime || event.time >= *lastTime);
            lastTime = event.time;
        }
    }
    if (!ordered)
        m_db->cached("UPDATE meta SET value = '0' WHERE key = 'times_ordered' AND value <> '0'").run();
    return results;
}

std::optional<AppendResult> SqliteStore::idempotentResult(const PreparedAppend& append, std::int64_t currentVersion)
{
    auto& byId = m_db->cached("SELECT stream, version FROM events WHERE id = ?");
    byId.bind(1, std::string_view(append.events.front().id));
    if (!byId.step())
        return std::nullopt;
    const std::string storedStream = byId.text(0);
    const std::int64_t storedVersion = byId.int64(1);
    byId.reset();
    auto& following
        = m_db->cached("SELECT id, position FROM events WHERE stream = ? AND version >= ? ORDER BY version LIMIT ?");
    following.bind(1, std::string_view(storedStream)).bind(2, storedVersion);
    following.bind(3, static_cast<std::int64_t>(append.events.size()));
    StoredRun stored;
    while (following.step()) {
        stored.ids.push_back(following.text(0));
        stored.positions.push_back(following.int64(1));
    }
    return idempotentRepeat(append, storedStream, storedVersion, std::move(stored), currentVersion);
}

AppendResult SqliteStore::appendOne(PreparedAppend& append)
{
    auto& head = m_db->cached("SELECT version, last_hash FROM streams WHERE name = ?");
    head.bind(1, std::string_view(append.stream));
    std::int64_t version = 0;
    std::string previousHash = kGenesisHash;
    if (head.step()) {
        version = head.int64(0);
        previousHash = head.text(1);
    }
    head.reset();
    if (auto repeat = idempotentResult(append, version))
        return *repeat;
    if (!append.expected.matches(version))
        failWrongExpectedVersion(append.stream, append.expected, version);

    AppendResult result;
    result.stream = append.stream;
    result.firstVersion = version + 1;
    auto& insert = m_db->cached("INSERT INTO events(stream, version, id, type, category, time, data, metadata, "
                                "correlation, causation, actor, schema_version, hash) "
                                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (Event& event : append.events) {
        event.version = ++version;
        event.hash = eventHash(
            previousHash, event.stream, event.version, event.id, event.type, event.time, event.data, event.metadata);
        insert.reset();
        // The event outlives the insert, so its text is bound without copies.
        insert.bindStatic(1, event.stream).bind(2, event.version).bindStatic(3, event.id);
        insert.bindStatic(4, event.type).bindStatic(5, append.category).bind(6, event.time);
        insert.bindStatic(7, event.data).bindStatic(8, event.metadata);
        bindOptional(insert, 9, event.correlation);
        bindOptional(insert, 10, event.causation);
        bindOptional(insert, 11, event.actor);
        if (event.schemaVersion)
            insert.bind(12, *event.schemaVersion);
        else
            insert.bindNull(12);
        insert.bindStatic(13, event.hash);
        try {
            insert.run();
        } catch (const Error& e) {
            if (e.kind == ErrorKind::BadInput)
                fail(ErrorKind::BadInput, "event ID " + event.id + " already exists in the store");
            throw;
        }
        event.position = m_db->lastInsertRowid();
        previousHash = event.hash;
        result.ids.push_back(event.id);
    }
    const Event& first = append.events.front();
    const Event& last = append.events.back();
    auto& upsert = m_db->cached(
        "INSERT INTO streams(name, category, version, first_time, last_time, last_position, last_hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET version = excluded.version, "
        "last_time = excluded.last_time, last_position = excluded.last_position, last_hash = excluded.last_hash");
    upsert.bind(1, std::string_view(append.stream)).bind(2, std::string_view(append.category)).bind(3, version);
    upsert.bind(4, first.time).bind(5, last.time).bind(6, last.position).bind(7, std::string_view(last.hash)).run();
    result.lastVersion = version;
    result.firstPosition = first.position;
    result.lastPosition = last.position;
    return result;
}

std::optional<PositionRange> SqliteStore::timeRangeAsPositions(const EventQuery& query)
{
    if (query.stream || (!query.since && !query.until))
        return std::nullopt;
    auto& flag = m_db->cached("SELECT value FROM meta WHERE key = 'times_ordered'");
    const bool ordered = flag.step() && flag.view(0) == "1";
    flag.reset();
    if (!ordered)
        return std::nullopt;
    // Times never decrease with position, so the events in [since, until] are exactly the positions between the
    // first event at or after `since` and the last at or before `until`: two seeks on the time index.
    PositionRange range;
    auto seek = [&](const char* sql, Micros time) -> std::int64_t {
        auto& statement = m_db->cached(sql);
        statement.bind(1, time);
        const std::int64_t position = statement.step() ? statement.int64(0) : -1;
        statement.reset();
        return position;
    };
    if (query.since)
        range.first = seek("SELECT position FROM events WHERE time >= ? ORDER BY time, position LIMIT 1", *query.since);
    if (query.until)
        range.last = seek(
            "SELECT position FROM events WHERE time <= ? ORDER BY time DESC, position DESC LIMIT 1", *query.until);
    // No event at all in the range: an empty position range.
    if ((range.first && *range.first < 0) || (range.last && *range.last < 0))
        range = { 1, 0 };
    return range;
}

EventPage SqliteStore::read(const EventQuery& query)
{
    const SqlSelect select
        = buildEventSelect(SqlDialect::SQLite, kEventColumns, query, {}, timeRangeAsPositions(query));
    auto& statement = m_db->cached(select.sql);
    statement.bindAll(select.values);
    EventPage page;
    page.events.reserve(std::min<std::size_t>(query.limit + 1, 4096));
    while (statement.step())
        page.events.push_back(eventFromRow(statement));
    statement.reset();
    finishPage(page, query);
    return page;
}

std::optional<StreamInfo> SqliteStore::streamHead(const std::string& stream)
{
    auto& statement = m_db->cached(std::string("SELECT ") + kStreamColumns + " FROM streams WHERE name = ?");
    statement.bind(1, std::string_view(stream));
    if (!statement.step())
        return std::nullopt;
    auto info = streamFromRow(statement);
    statement.reset();
    return info;
}

std::vector<StreamInfo> SqliteStore::streams(const StreamQuery& query)
{
    const SqlSelect select = buildStreamSelect(SqlDialect::SQLite, kStreamColumns, query);
    auto& statement = m_db->cached(select.sql);
    statement.bindAll(select.values);
    std::vector<StreamInfo> out;
    while (statement.step())
        out.push_back(streamFromRow(statement));
    statement.reset();
    return out;
}

std::int64_t SqliteStore::headPosition()
{
    auto& statement = m_db->cached("SELECT coalesce(max(position), 0) FROM events");
    statement.step();
    const auto head = statement.int64(0);
    statement.reset();
    return head;
}

std::optional<Event> SqliteStore::eventById(const std::string& id)
{
    // Stored IDs are lower-case UUIDs; a reference may spell one in capitals, or with braces.
    const std::string stored = isUuid(id) ? normalizeUuid(id) : id;
    auto& statement = m_db->cached(std::string("SELECT ") + kEventColumns + " FROM events WHERE id = ?");
    statement.bind(1, std::string_view(stored));
    if (!statement.step())
        return std::nullopt;
    auto event = eventFromRow(statement);
    statement.reset();
    return event;
}

bool SqliteStore::waitForChange(std::chrono::milliseconds timeout)
{
    // PRAGMA data_version moves when another connection commits; polling it is SQLite's change signal.
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        auto& statement = m_db->cached("PRAGMA data_version");
        statement.step();
        const std::int64_t version = statement.int64(0);
        statement.reset();
        if (m_dataVersion >= 0 && version != m_dataVersion) {
            m_dataVersion = version;
            return true;
        }
        m_dataVersion = version;
        if (std::chrono::steady_clock::now() >= deadline)
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

} // namespace eventscope
