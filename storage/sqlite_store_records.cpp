// The SQLite store's records beside the events: snapshots, projection checkpoints and states (with the events a
// projection emits), and the walk over the hash chains for verify and seal.

#include "storage/append_preparation.h"
#include "storage/error.h"
#include "storage/sqlite_db.h"
#include "storage/sqlite_rows.h"
#include "storage/sqlite_store.h"
#include "storage/time_format.h"

#include <algorithm>
#include <limits>

namespace eventscope {

using sqlite_rows::eventFromRow;
using sqlite_rows::kEventColumns;

void SqliteStore::saveSnapshot(const Snapshot& snapshot)
{
    auto& statement = m_db->cached(
        "INSERT OR REPLACE INTO snapshots(stream, reducer, version, time, state) VALUES (?, ?, ?, ?, ?)");
    statement.bind(1, std::string_view(snapshot.stream)).bind(2, std::string_view(snapshot.reducer));
    statement.bind(3, snapshot.version).bind(4, snapshot.time).bind(5, std::string_view(snapshot.state)).run();
}

std::optional<Snapshot> SqliteStore::loadSnapshot(
    const std::string& stream, std::int64_t maxVersion, const std::string& reducer)
{
    auto& statement = m_db->cached("SELECT version, time, state FROM snapshots WHERE stream = ? AND reducer = ? "
                                   "AND version <= ? ORDER BY version DESC LIMIT 1");
    statement.bind(1, std::string_view(stream)).bind(2, std::string_view(reducer)).bind(3, maxVersion);
    if (!statement.step())
        return std::nullopt;
    Snapshot snapshot { stream, statement.int64(0), reducer, statement.text(2), statement.int64(1) };
    statement.reset();
    return snapshot;
}

std::optional<ProjectionRecord> SqliteStore::projection(const std::string& name)
{
    auto& statement
        = m_db->cached("SELECT name, position, status, definition, updated FROM projections WHERE name = ?");
    statement.bind(1, std::string_view(name));
    if (!statement.step())
        return std::nullopt;
    ProjectionRecord record { statement.text(0), statement.int64(1), statement.text(2), statement.text(3),
        statement.int64(4) };
    statement.reset();
    return record;
}

std::vector<ProjectionRecord> SqliteStore::projections()
{
    auto& statement = m_db->cached("SELECT name, position, status, definition, updated FROM projections ORDER BY name");
    std::vector<ProjectionRecord> out;
    while (statement.step())
        out.push_back(
            { statement.text(0), statement.int64(1), statement.text(2), statement.text(3), statement.int64(4) });
    return out;
}

void SqliteStore::commitProjection(const ProjectionRecord& record, std::span<const PartitionState> changedStates,
    std::span<const AppendRequest> emitted)
{
    auto prepared = prepareAppend(emitted);
    SqliteTransaction tx(*m_db);
    // First, so that a wrong expected version throws before anything of the projection is written.
    if (!prepared.empty())
        appendPrepared(prepared);
    auto& upsert = m_db->cached("INSERT OR REPLACE INTO projections(name, position, status, definition, updated) "
                                "VALUES (?, ?, ?, ?, ?)");
    upsert.bind(1, std::string_view(record.name)).bind(2, record.position).bind(3, std::string_view(record.status));
    upsert.bind(4, std::string_view(record.definition)).bind(5, record.updated ? record.updated : nowMicros()).run();
    auto& state
        = m_db->cached("INSERT OR REPLACE INTO projection_states(projection, partition, state) VALUES (?, ?, ?)");
    for (const auto& partition : changedStates) {
        state.reset();
        state.bind(1, std::string_view(record.name)).bind(2, std::string_view(partition.partition));
        state.bind(3, std::string_view(partition.state)).run();
    }
    tx.commit();
}

std::vector<PartitionState> SqliteStore::projectionStates(const std::string& name)
{
    auto& statement
        = m_db->cached("SELECT partition, state FROM projection_states WHERE projection = ? ORDER BY partition");
    statement.bind(1, std::string_view(name));
    std::vector<PartitionState> out;
    while (statement.step())
        out.push_back({ statement.text(0), statement.text(1) });
    return out;
}

std::vector<PartitionState> SqliteStore::projectionStates(
    const std::string& name, std::span<const std::string> partitions)
{
    std::vector<std::string_view> wanted(partitions.begin(), partitions.end());
    std::sort(wanted.begin(), wanted.end());
    wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
    // One key lookup each, on a statement prepared once, all in one read snapshot: a thousand cost about a
    // millisecond, and a commit running meanwhile shows in all of them or none.
    auto& statement = m_db->cached("SELECT state FROM projection_states WHERE projection = ? AND partition = ?");
    std::vector<PartitionState> out;
    m_db->exec("BEGIN");
    try {
        for (const std::string_view partition : wanted) {
            statement.reset();
            statement.bind(1, std::string_view(name)).bind(2, partition);
            if (statement.step())
                out.push_back({ std::string(partition), statement.text(0) });
        }
        statement.reset();
        m_db->exec("COMMIT");
    } catch (...) {
        statement.reset();
        m_db->exec("ROLLBACK");
        throw;
    }
    return out;
}

std::vector<PartitionState> SqliteStore::projectionStatesPage(
    const std::string& name, const std::optional<std::string>& after, std::size_t limit)
{
    if (limit == 0)
        return {};
    // Two statements rather than "? IS NULL OR partition > ?", which would keep SQLite from seeking the key.
    auto& statement = after ? m_db->cached("SELECT partition, state FROM projection_states WHERE projection = ? "
                                           "AND partition > ? ORDER BY partition LIMIT ?")
                            : m_db->cached("SELECT partition, state FROM projection_states WHERE projection = ? "
                                           "ORDER BY partition LIMIT ?");
    int index = 1;
    statement.bind(index++, std::string_view(name));
    if (after)
        statement.bind(index++, std::string_view(*after));
    statement.bind(
        index, std::int64_t(std::min<std::size_t>(limit, std::size_t(std::numeric_limits<std::int64_t>::max()))));
    std::vector<PartitionState> out;
    out.reserve(std::min<std::size_t>(limit, 1000));
    while (statement.step())
        out.push_back({ statement.text(0), statement.text(1) });
    statement.reset();
    return out;
}

std::int64_t SqliteStore::projectionStateCount(const std::string& name)
{
    auto& statement = m_db->cached("SELECT count(*) FROM projection_states WHERE projection = ?");
    statement.bind(1, std::string_view(name));
    statement.step();
    const std::int64_t count = statement.int64(0);
    statement.reset();
    return count;
}

void SqliteStore::deleteProjection(const std::string& name)
{
    SqliteTransaction tx(*m_db);
    deleteProjectionRows(name);
    tx.commit();
}

void SqliteStore::deleteProjectionRows(const std::string& name)
{
    m_db->cached("DELETE FROM projection_states WHERE projection = ?").bind(1, std::string_view(name)).run();
    m_db->cached("DELETE FROM projections WHERE name = ?").bind(1, std::string_view(name)).run();
}

void SqliteStore::replaceProjection(const std::string& live, const std::string& shadow, const std::string& previous)
{
    if (live == shadow || live == previous || shadow == previous)
        fail(ErrorKind::BadInput,
            "cannot replace projection " + live + ": the live, shadow and previous names must all differ");
    SqliteTransaction tx(*m_db);
    auto& exists = m_db->cached("SELECT 1 FROM projections WHERE name = ?");
    exists.bind(1, std::string_view(shadow));
    const bool found = exists.step();
    exists.reset();
    if (!found)
        fail(ErrorKind::BadInput, "there is no projection named " + shadow);
    deleteProjectionRows(previous);
    auto rename = [&](const std::string& from, const std::string& to) {
        m_db->cached("UPDATE projection_states SET projection = ? WHERE projection = ?")
            .bind(1, std::string_view(to))
            .bind(2, std::string_view(from))
            .run();
        m_db->cached("UPDATE projections SET name = ? WHERE name = ?")
            .bind(1, std::string_view(to))
            .bind(2, std::string_view(from))
            .run();
    };
    rename(live, previous);
    rename(shadow, live);
    tx.commit();
}

void SqliteStore::walkChains(ChainVerifier& verifier)
{
    // Byte order of stream names (SQLite's BINARY collation), then version: the order the seal digest uses.
    auto& statement = m_db->cached(std::string("SELECT ") + kEventColumns + " FROM events ORDER BY stream, version");
    while (statement.step()) {
        if (!verifier.feed(eventFromRow(statement)))
            break;
    }
    statement.reset();
}

VerifyReport SqliteStore::verify(const std::optional<Seal>& seal)
{
    if (seal && !seal->storeId.empty() && seal->storeId != m_storeId)
        fail(ErrorKind::Integrity, "the seal was made for store " + seal->storeId + ", but this store is " + m_storeId);
    m_db->exec("BEGIN");
    try {
        const std::int64_t head = headPosition();
        ChainVerifier verifier(seal);
        walkChains(verifier);
        auto report = verifier.finish(head);
        m_db->exec("COMMIT");
        return report;
    } catch (...) {
        m_db->exec("ROLLBACK");
        throw;
    }
}

Seal SqliteStore::seal()
{
    m_db->exec("BEGIN");
    try {
        Seal draft;
        draft.storeId = m_storeId;
        draft.headPosition = headPosition();
        ChainVerifier verifier(draft);
        walkChains(verifier);
        Seal result = verifier.produceSeal();
        m_db->exec("COMMIT");
        return result;
    } catch (...) {
        m_db->exec("ROLLBACK");
        throw;
    }
}

} // namespace eventscope
