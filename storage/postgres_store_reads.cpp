// The PostgreSQL store's reads, snapshots and integrity checks. Appends and the schema are in postgres_store.cpp,
// which also explains the visibility horizon used here; projections are in postgres_store_projections.cpp.

#include "storage/error.h"
#include "storage/postgres_connection.h"
#include "storage/postgres_rows.h"
#include "storage/postgres_store.h"
#include "storage/sql_filter.h"
#include "storage/uuid.h"

#include <algorithm>
#include <string_view>

namespace eventscope {
namespace {

constexpr const char* kEventColumns = kPgEventColumns;

// Reads by position stay below the oldest running transaction at or above the writer floor, bound as
// parameter $n (see postgres_store.cpp). The sub-select runs once per statement.
std::string horizon(std::size_t parameter)
{
    const std::string floor = "$" + std::to_string(parameter) + "::xid8";
    return "tx < (SELECT coalesce((SELECT x FROM pg_snapshot_xip(pg_current_snapshot()) AS x WHERE x >= " + floor
        + " ORDER BY x LIMIT 1), pg_snapshot_xmax(pg_current_snapshot())))";
}

constexpr const char* kStreamColumns = "name, category, version, first_time_us, last_time_us, last_position";

// Rows fetched per round trip while walking every chain: memory stays flat however large the store.
constexpr int kWalkChunk = 5000;

Event eventFromRow(const pqxx::row& row)
{
    return eventFromPgRow(row);
}

StreamInfo streamFromRow(const pqxx::row& row)
{
    StreamInfo info;
    info.name = fieldText(row[0]);
    info.category = fieldText(row[1]);
    info.version = row[2].as<std::int64_t>();
    info.count = info.version;
    info.firstTime = row[3].as<std::int64_t>();
    info.lastTime = row[4].as<std::int64_t>();
    info.lastPosition = row[5].as<std::int64_t>();
    return info;
}

pqxx::result runSelect(PostgresConnection& db, const SqlSelect& select)
{
    return runPgSelect(db, select);
}

std::int64_t headBelowHorizon(PostgresConnection& db, pqxx::transaction_base& tx, std::uint64_t writerFloor)
{
    return tx
        .exec_prepared1(db.statement("SELECT coalesce(max(position), 0) FROM events WHERE " + horizon(1)),
            std::to_string(writerFloor))[0]
        .as<std::int64_t>();
}

// Feeds every event in (stream, version) order to the verifier. The stream column is COLLATE "C", so
// this is byte order of stream names, the order the seal digest is defined in; the unique index on
// (stream, version) serves it. A cursor keeps only one chunk in memory at a time.
void walkChains(pqxx::transaction_base& tx, ChainVerifier& verifier)
{
    tx.exec(std::string("DECLARE chains NO SCROLL CURSOR FOR SELECT ") + kEventColumns
        + " FROM events ORDER BY stream, version");
    const std::string fetch = "FETCH FORWARD " + std::to_string(kWalkChunk) + " FROM chains";
    for (;;) {
        const pqxx::result rows = tx.exec(fetch);
        for (const auto& row : rows) {
            if (!verifier.feed(eventFromRow(row)))
                return;
        }
        if (rows.size() < static_cast<std::size_t>(kWalkChunk))
            return;
    }
}

} // namespace

std::uint64_t PostgresStore::refreshWriterFloor()
{
    // The exclusive try-lock lasts as long as this one statement: a writer waits for it a moment at most. A
    // standby cannot see the primary's writers' locks, so there the floor stays 0 (plain pg_snapshot_xmin).
    const pqxx::row row = pqxx::nontransaction(m_db->raw())
                              .exec_prepared1(m_db->statement("SELECT CASE WHEN pg_is_in_recovery() THEN false ELSE "
                                                              "pg_try_advisory_xact_lock($1) END, "
                                                              "pg_snapshot_xmax(pg_current_snapshot())::text"),
                                  m_writersLock);
    if (row[0].as<bool>())
        m_writerFloor = std::max(m_writerFloor, row[1].as<std::uint64_t>());
    return m_writerFloor;
}

EventPage PostgresStore::read(const EventQuery& query)
{
    return m_db->guarded([&] {
        // One stream is read by version, which cannot commit out of order; all events need the horizon.
        SqlSelect select;
        if (query.stream) {
            select = buildEventSelect(SqlDialect::PostgreSQL, kEventColumns, query);
        } else {
            const std::uint64_t floor = refreshWriterFloor();
            select = buildEventSelect(SqlDialect::PostgreSQL, kEventColumns, query, "@HORIZON");
            const auto at = select.sql.find("@HORIZON");
            select.sql.replace(at, std::string_view("@HORIZON").size(), horizon(select.values.size() + 1));
            select.values.emplace_back(std::to_string(floor));
        }
        const pqxx::result rows = runSelect(*m_db, select);
        EventPage page;
        page.events.reserve(rows.size());
        for (const auto& row : rows)
            page.events.push_back(eventFromRow(row));
        finishPage(page, query);
        return page;
    });
}

std::optional<StreamInfo> PostgresStore::streamHead(const std::string& stream)
{
    return m_db->guarded([&]() -> std::optional<StreamInfo> {
        const auto rows = pqxx::nontransaction(m_db->raw())
                              .exec_prepared(m_db->statement(std::string("SELECT ") + kStreamColumns
                                                 + " FROM streams WHERE name = $1"),
                                  stream);
        if (rows.empty())
            return std::nullopt;
        return streamFromRow(rows[0]);
    });
}

std::vector<StreamInfo> PostgresStore::streams(const StreamQuery& query)
{
    return m_db->guarded([&] {
        const pqxx::result rows = runSelect(*m_db, buildStreamSelect(SqlDialect::PostgreSQL, kStreamColumns, query));
        std::vector<StreamInfo> out;
        out.reserve(rows.size());
        for (const auto& row : rows)
            out.push_back(streamFromRow(row));
        return out;
    });
}

std::vector<CategoryInfo> PostgresStore::categories(const CategoryQuery& query)
{
    return m_db->guarded([&] {
        const pqxx::result rows = runSelect(*m_db, buildCategorySelect(SqlDialect::PostgreSQL, query));
        std::vector<CategoryInfo> out;
        out.reserve(rows.size());
        for (const auto& row : rows)
            out.push_back({ fieldText(row[0]), row[1].as<std::int64_t>() });
        return out;
    });
}

std::vector<std::string> PostgresStore::eventTypes(std::size_t limit)
{
    return m_db->guarded([&] {
        const pqxx::result rows = runSelect(*m_db, buildEventTypeSelect(limit));
        std::vector<std::string> out;
        out.reserve(rows.size());
        for (const auto& row : rows)
            out.push_back(fieldText(row[0]));
        return out;
    });
}

void PostgresStore::interrupt()
{
    m_db->cancel();
}

EventCount PostgresStore::countEvents(const EventQuery& query)
{
    return m_db->guarded([&] {
        const std::uint64_t floor = refreshWriterFloor();
        EventCount count;
        if (query.isUnfiltered()) {
            // count(*) would read every row; the position bounds come from the primary key at once. Positions of
            // rolled-back appends leave gaps, so this count is an upper bound.
            SqlSelect bounds { "SELECT coalesce(min(position), 0), coalesce(max(position), 0) FROM events WHERE "
                    + horizon(1),
                { std::to_string(floor) } };
            const pqxx::result edges = runSelect(*m_db, bounds);
            std::int64_t system = 0;
            if (!query.includeSystem)
                system
                    = runSelect(*m_db, { "SELECT count(*) FROM events WHERE stream >= '$' AND stream < '%'", {} })[0][0]
                          .as<std::int64_t>();
            count.firstPosition = edges[0][0].as<std::int64_t>();
            count.lastPosition = edges[0][1].as<std::int64_t>();
            count.count = count.lastPosition == 0 ? 0 : count.lastPosition - count.firstPosition + 1 - system;
            count.exact = false;
            return count;
        }
        SqlSelect select = buildEventCount(SqlDialect::PostgreSQL, query, "@HORIZON");
        const auto at = select.sql.find("@HORIZON");
        select.sql.replace(at, std::string_view("@HORIZON").size(), horizon(select.values.size() + 1));
        select.values.emplace_back(std::to_string(floor));
        const pqxx::result rows = runSelect(*m_db, select);
        count.count = rows[0][0].as<std::int64_t>();
        count.firstPosition = rows[0][1].as<std::int64_t>();
        count.lastPosition = rows[0][2].as<std::int64_t>();
        return count;
    });
}

std::int64_t PostgresStore::headPosition()
{
    return m_db->guarded([&] {
        const std::uint64_t floor = refreshWriterFloor();
        pqxx::nontransaction tx(m_db->raw());
        return headBelowHorizon(*m_db, tx, floor);
    });
}

std::optional<Event> PostgresStore::eventById(const std::string& id)
{
    if (!isUuid(id))
        return std::nullopt; // no stored event has an ID that is not a UUID
    return m_db->guarded([&]() -> std::optional<Event> {
        const auto rows = pqxx::nontransaction(m_db->raw())
                              .exec_prepared(m_db->statement(std::string("SELECT ") + kEventColumns
                                                 + " FROM events WHERE id = $1::uuid"),
                                  normalizeUuid(id));
        if (rows.empty())
            return std::nullopt;
        return eventFromRow(rows[0]);
    });
}

bool PostgresStore::waitForChange(std::chrono::milliseconds timeout)
{
    // Every append NOTIFYs the store's channel when it commits.
    return m_db->guarded([&] { return m_db->awaitNotification(m_channel, timeout); });
}

void PostgresStore::saveSnapshot(const Snapshot& snapshot)
{
    m_db->guarded([&] {
        pqxx::nontransaction(m_db->raw())
            .exec_prepared(m_db->statement("INSERT INTO snapshots(stream, reducer, version, time_us, state) "
                                           "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (stream, reducer, version) "
                                           "DO UPDATE SET time_us = excluded.time_us, state = excluded.state"),
                snapshot.stream, snapshot.reducer, snapshot.version, snapshot.time, snapshot.state);
    });
}

std::optional<Snapshot> PostgresStore::loadSnapshot(
    const std::string& stream, std::int64_t maxVersion, const std::string& reducer)
{
    return m_db->guarded([&]() -> std::optional<Snapshot> {
        const auto rows = pqxx::nontransaction(m_db->raw())
                              .exec_prepared(m_db->statement("SELECT version, time_us, state FROM snapshots "
                                                             "WHERE stream = $1 AND reducer = $2 AND version <= $3 "
                                                             "ORDER BY version DESC LIMIT 1"),
                                  stream, reducer, maxVersion);
        if (rows.empty())
            return std::nullopt;
        return Snapshot { stream, rows[0][0].as<std::int64_t>(), reducer, fieldText(rows[0][2]),
            rows[0][1].as<std::int64_t>() };
    });
}

VerifyReport PostgresStore::verify(const std::optional<Seal>& seal)
{
    if (seal && !seal->storeId.empty() && seal->storeId != m_storeId)
        fail(ErrorKind::Integrity, "the seal was made for store " + seal->storeId + ", but this store is " + m_storeId);
    return m_db->guarded([&] {
        // One snapshot for the head and the walk, so that writers running meanwhile change neither.
        const std::uint64_t floor = refreshWriterFloor();
        pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx(m_db->raw());
        const std::int64_t head = headBelowHorizon(*m_db, tx, floor);
        ChainVerifier verifier(seal);
        walkChains(tx, verifier);
        VerifyReport report = verifier.finish(head);
        tx.commit();
        return report;
    });
}

Seal PostgresStore::seal()
{
    return m_db->guarded([&] {
        const std::uint64_t floor = refreshWriterFloor();
        pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx(m_db->raw());
        Seal draft;
        draft.storeId = m_storeId;
        // Every event at or below this head is in the snapshot: a writer still open holds only higher positions.
        draft.headPosition = headBelowHorizon(*m_db, tx, floor);
        ChainVerifier verifier(draft);
        walkChains(tx, verifier);
        Seal result = verifier.produceSeal();
        tx.commit();
        return result;
    });
}

} // namespace eventscope
