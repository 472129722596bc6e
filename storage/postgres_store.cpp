#include "storage/postgres_store.h"

#include "storage/append_preparation.h"
#include "storage/error.h"
#include "storage/postgres_connection.h"
#include "storage/time_format.h"
#include "storage/uuid.h"

#include <algorithm>
#include <chrono>
#include <random>
#include <thread>
#include <unordered_map>

// How a follower never skips an event that commits late (DESIGN §3)
//
// Positions come from a sequence, and sequence order is not commit order: writer A may take position 10,
// writer B position 11, and B commit first. A follower that has read 11 would never go back for 10. So:
//
// 1. Position order equals transaction-ID order. An append first reads the stream heads, checks expected
//    versions and idempotency and computes the hashes, all without getting an xid (plain SELECTs, no row
//    locks). Then ONE statement writes everything; its first step, reserve_positions(), takes a short
//    session-level advisory lock, assigns the statement's xid (pg_current_xact_id()), takes the positions of
//    the whole batch from the sequence, and unlocks. Since xids and positions are handed out under the same
//    lock, a writer with a smaller xid always holds smaller positions. Each row keeps its writer's xid in tx.
// 2. Readers of all events (by position) see only rows whose tx is below a horizon: the oldest transaction
//    still running in their snapshot, as Emmett does with pg_snapshot_xmin. Every writer below it has ended,
//    so no position below one shown can still appear; a writer above it holds only higher positions.
// 3. Transactions that are not writers of this store need not hold the horizon back, but a snapshot cannot
//    tell them apart. So writers also hold a shared "writer" advisory lock from before their xid exists
//    until they end (taken in reserve_positions(), released at commit). Before a read, a tiny statement tries
//    that lock exclusively (for itself only): when it gets it, no writer of this store is running, so every
//    xid below that statement's xmax belongs to an ended writer or to no writer. That bound, the writer
//    floor, only rises; the horizon is the oldest running xid at or above it (or the snapshot's xmax). With
//    no floor yet (0) this is plain pg_snapshot_xmin. See PostgresStore::refreshWriterFloor().
//
// The price that remains: while writers of this store keep running, the floor cannot rise, and any
// transaction in the cluster that is newer than the floor holds the horizon back until it ends. A new
// connection starts without a floor. Reads of one stream need no horizon: a stream's versions are unique and
// consecutive, so a later version cannot commit before an earlier one.
//
// A concurrent writer to the same stream collides on UNIQUE (stream, version) when it inserts; the loser
// starts over, and sees the new head: a wrong expected version, or for `any` a successful second try.
//
// A short append to one stream (most are) runs all of point 1 in the server instead, in the plpgsql function
// append_stream_v1() (postgres_schema.cpp, postgres_store_append_one.cpp): the same plain SELECTs, checks
// and reserve_positions() call, so the same rules and the same collisions, but one round trip even when
// this connection has no cached head. The server computes the hash chain exactly as eventHash() does.
//
// A projection's commit (postgres_store_projections.cpp) runs the same append inside its own transaction, first,
// and writes its checkpoint after it: reserve_positions() still comes before anything is written, and the writer
// lock lasts until that transaction commits. Heads cached by such an append are forgotten if it does not commit.

namespace eventscope {
namespace {

constexpr int kMaxAttempts = 30;

// append_stream_v1() hashes in plpgsql at about 3 µs an event, against under 1 µs in C++, and that time is
// the shared server's. Up to this many events it costs less than the round trip it saves on a local server
// (about 100 µs); a longer batch reads the head first (when it is not cached) and hashes here.
constexpr std::size_t kServerHashedEvents = 16;

// The heads of the batch's streams and the stored copies of its first event IDs, in one round trip. One
// stream has a statement of its own: with array parameters PostgreSQL plans the statement at every call.
constexpr const char* kHeadSql = "SELECT false, name, version, last_hash FROM streams WHERE name = $1 "
                                 "UNION ALL "
                                 "SELECT true, id::text, version, stream FROM events WHERE id = $2::uuid";
constexpr const char* kHeadsSql = "SELECT false, name, version, last_hash FROM streams WHERE name = ANY($1::text[]) "
                                  "UNION ALL "
                                  "SELECT true, id::text, version, stream FROM events WHERE id = ANY($2::uuid[])";

constexpr const char* kFollowingSql
    = "SELECT id::text, position FROM events WHERE stream = $1 AND version >= $2 ORDER BY version LIMIT $3";

constexpr const char* kStreamVersionSql = "SELECT version FROM streams WHERE name = $1";

// The whole write of an append as one statement, so that it costs one round trip and commits by itself.
// r runs first (every row needs its position); the streams upsert waits for the events insert, so a
// writer that lost a race on (stream, version) fails before it touches a streams row.
constexpr const char* kWriteSql = R"sql(
WITH r AS MATERIALIZED (SELECT reserve_positions($1::integer) AS first_position),
e AS (
  INSERT INTO events(position, stream, version, id, type, category, time, time_us, data, metadata,
                     correlation, causation, actor, schema_version, hash)
  SELECT r.first_position + u.ord - 1, u.stream, u.version, u.id, u.type, u.category,
         timestamptz 'epoch' + u.time_us * interval '1 microsecond', u.time_us, u.data, u.metadata,
         u.correlation, u.causation, u.actor, u.schema_version, u.hash
  FROM r, unnest($2::text[], $3::bigint[], $4::uuid[], $5::text[], $6::text[], $7::bigint[], $8::json[],
                 $9::json[], $10::text[], $11::text[], $12::text[], $13::bigint[], $14::text[])
          WITH ORDINALITY AS u(stream, version, id, type, category, time_us, data, metadata, correlation,
                               causation, actor, schema_version, hash, ord)
  RETURNING 1
),
s AS (
  INSERT INTO streams AS t(name, category, version, first_time_us, last_time_us, last_position, last_hash)
  SELECT v.name, v.category, v.version, v.first_time_us, v.last_time_us, r.first_position + v.last_offset,
         v.last_hash
  FROM r, unnest($15::text[], $16::text[], $17::bigint[], $18::bigint[], $19::bigint[], $20::bigint[],
                 $21::text[]) AS v(name, category, version, first_time_us, last_time_us, last_offset, last_hash)
  WHERE (SELECT count(*) FROM e) > 0
  ON CONFLICT (name) DO UPDATE SET version = excluded.version, last_time_us = excluded.last_time_us,
    last_position = excluded.last_position, last_hash = excluded.last_hash
)
SELECT r.first_position, pg_notify($22, '') FROM r
)sql";

// Writers that lost a race on the same stream must not keep meeting: each waits a random while, longer after
// every loss (up to about 5 ms).
void backOff(int attempt)
{
    thread_local std::minstd_rand random(std::random_device {}());
    const int ceiling = 50 << std::min(attempt, 7);
    std::this_thread::sleep_for(std::chrono::microseconds(random() % static_cast<unsigned>(ceiling)));
}

// The value in "DETAIL:  Key (stream, version)=(order-1, 6) already exists.": "order-1, 6".
std::string violatedKey(const std::string& message)
{
    const auto detail = message.find("\nDETAIL:");
    if (detail == std::string::npos)
        return {};
    const auto lineEnd = message.find('\n', detail + 1);
    const std::string line
        = message.substr(detail, lineEnd == std::string::npos ? std::string::npos : lineEnd - detail);
    const auto open = line.find(")=(");
    const auto close = line.rfind(')');
    if (open == std::string::npos || close == std::string::npos || close < open + 3)
        return {};
    return line.substr(open + 3, close - open - 3);
}

// The columns of the events a write inserts, in position order.
struct EventColumns
{
    PgArray stream, version, id, type, category, time, data, metadata, correlation, causation, actor, schemaVersion,
        hash;

    void add(const Event& event, const std::string& eventCategory)
    {
        stream.add(event.stream);
        version.add(event.version);
        id.add(event.id);
        type.add(event.type);
        category.add(eventCategory);
        time.add(event.time);
        data.add(event.data);
        metadata.add(event.metadata);
        correlation.addOrNull(event.correlation);
        causation.addOrNull(event.causation);
        actor.addOrNull(event.actor);
        schemaVersion.addOrNull(event.schemaVersion);
        hash.add(event.hash);
    }
};

// A stream's row after a write, once per stream even when the batch names it twice.
struct StreamRow
{
    std::string name;
    std::string category;
    std::int64_t version = 0;
    Micros firstTime = 0;
    Micros lastTime = 0;
    std::int64_t lastOffset = 0; // of its last event in the batch
    std::string lastHash;
};

} // namespace

PostgresStore::PostgresStore(const StoreUri& uri, bool create)
    : m_uri(uri)
    , m_db(std::make_unique<PostgresConnection>(uri))
    , m_channel(("eventscope_" + uri.schema).substr(0, 63)) // NAMEDATALEN - 1: longer names are refused
    , m_positionLock(advisoryLockKey("positions", uri.schema))
    , m_writersLock(advisoryLockKey("writers", uri.schema))
{
    m_db->guarded([&] {
        if (create)
            createSchema();
        openSchema();
    });
}

PostgresStore::~PostgresStore() = default;

StoreDescription PostgresStore::describe() const
{
    return { "postgresql", m_uri.display, false, m_storeId };
}

std::vector<AppendResult> PostgresStore::append(std::span<const AppendRequest> requests)
{
    auto prepared = prepareAppend(requests);
    return m_db->guarded([&] {
        return retryAppend(prepared, [&](bool trustCache) { return appendAttempt(prepared, trustCache, nullptr); });
    });
}

std::vector<AppendResult> PostgresStore::retryAppend(
    std::vector<PreparedAppend>& prepared, const std::function<std::vector<AppendResult>(bool trustCache)>& tryOnce)
{
    for (int attempt = 1;; ++attempt) {
        std::string conflictStream;
        std::string conflictId;
        try {
            return tryOnce(attempt == 1);
        } catch (const pqxx::unique_violation& e) {
            const std::string message = e.what();
            const std::string key = violatedKey(message);
            if (message.find("events_id_key") != std::string::npos) {
                conflictId = key;
                const bool first = std::any_of(prepared.begin(), prepared.end(),
                    [&](const PreparedAppend& append) { return append.events.front().id == key; });
                // Only a batch's first event can make it a repeat; another stored ID is a plain error.
                // A first ID stored meanwhile by a concurrent writer is seen as a repeat next time.
                if (!key.empty() && !first)
                    fail(ErrorKind::BadInput, "event ID " + key + " already exists in the store");
            } else if (message.find("events_stream_version_key") != std::string::npos) {
                conflictStream = key.substr(0, key.rfind(", "));
            } else {
                throw;
            }
        } catch (const pqxx::transaction_rollback&) {
            // A deadlock between writers of the same streams in different orders, or a statement whose
            // outcome the server could not tell: the event IDs stay the same, so a retry that finds them
            // stored reports a repeat instead of writing twice.
        }
        if (attempt < kMaxAttempts) {
            backOff(attempt);
            continue;
        }
        if (!conflictId.empty())
            fail(ErrorKind::BadInput, "event ID " + conflictId + " already exists in the store");
        auto conflicting = std::find_if(prepared.begin(), prepared.end(),
            [&](const PreparedAppend& append) { return append.stream == conflictStream; });
        const PreparedAppend& append = conflicting == prepared.end() ? prepared.front() : *conflicting;
        failWrongExpectedVersion(append.stream, append.expected, streamVersion(append.stream));
    }
}

std::vector<AppendResult> PostgresStore::appendAttempt(
    std::vector<PreparedAppend>& prepared, bool trustCache, pqxx::transaction_base* tx)
{
    if (m_serverAppend && prepared.size() == 1 && prepared.front().events.size() <= kServerHashedEvents)
        return { appendOneStream(prepared.front(), tx) };
    pqxx::connection& conn = m_db->raw();
    // Without a transaction of the caller's, each statement commits by itself. The nontransaction is scoped to
    // the statement, so that none is open when writeFailed() or idempotentResult() start their own.
    std::optional<pqxx::nontransaction> own;
    auto runner = [&]() -> pqxx::transaction_base& { return tx ? *tx : own.emplace(conn); };
    std::unordered_map<std::string, Head> heads;
    std::unordered_map<std::string, std::pair<std::string, std::int64_t>> storedFirstIds; // -> stream, version
    const bool cached = trustCache && std::all_of(prepared.begin(), prepared.end(), [&](const PreparedAppend& append) {
        const auto found = m_heads.find(append.stream);
        return found != m_heads.end() && append.expected.matches(found->second.version);
    });
    if (cached) {
        // A stored first ID (a repeat) shows up as a collision on events.id instead, and the retry reads it.
        for (const auto& append : prepared)
            heads[append.stream] = m_heads[append.stream];
    } else {
        pqxx::result rows;
        if (prepared.size() == 1) {
            rows = runner().exec_prepared(
                m_db->statement(kHeadSql), prepared.front().stream, prepared.front().events.front().id);
        } else {
            PgArray names;
            PgArray firstIds;
            for (const auto& append : prepared) {
                names.add(append.stream);
                firstIds.add(append.events.front().id);
            }
            rows = runner().exec_prepared(m_db->statement(kHeadsSql), names.str(), firstIds.str());
        }
        own.reset();
        for (const auto& row : rows) {
            if (row[0].as<bool>())
                storedFirstIds[fieldText(row[1])] = { fieldText(row[3]), row[2].as<std::int64_t>() };
            else
                heads[fieldText(row[1])] = { row[2].as<std::int64_t>(), fieldText(row[3]) };
        }
    }

    std::vector<AppendResult> results;
    results.reserve(prepared.size());
    std::vector<std::pair<std::size_t, std::int64_t>> written; // result index, batch offset of its first event
    EventColumns columns;
    std::vector<StreamRow> streamRows;
    std::unordered_map<std::string, std::size_t> streamRowIndex;
    std::int64_t offset = 0;
    for (auto& append : prepared) {
        Head& head = heads.try_emplace(append.stream, Head { 0, kGenesisHash }).first->second;
        if (auto stored = storedFirstIds.find(append.events.front().id); stored != storedFirstIds.end()) {
            results.push_back(idempotentResult(append, head.version, stored->second.first, stored->second.second, tx));
            continue;
        }
        if (!append.expected.matches(head.version))
            failWrongExpectedVersion(append.stream, append.expected, head.version);
        AppendResult result;
        result.stream = append.stream;
        result.firstVersion = head.version + 1;
        written.emplace_back(results.size(), offset);
        for (Event& event : append.events) {
            event.version = ++head.version;
            event.hash = eventHash(
                head.hash, event.stream, event.version, event.id, event.type, event.time, event.data, event.metadata);
            head.hash = event.hash;
            columns.add(event, append.category);
            result.ids.push_back(event.id);
            ++offset;
        }
        result.lastVersion = head.version;
        const auto [index, inserted] = streamRowIndex.try_emplace(append.stream, streamRows.size());
        if (inserted)
            streamRows.push_back({ append.stream, append.category, 0, append.events.front().time, 0, 0, {} });
        StreamRow& row = streamRows[index->second];
        row.version = head.version;
        row.lastTime = append.events.back().time;
        row.lastOffset = offset - 1;
        row.lastHash = head.hash;
        results.push_back(std::move(result));
    }
    if (written.empty())
        return results;

    PgArray rowNames, rowCategories, rowVersions, rowFirstTimes, rowLastTimes, rowLastOffsets, rowLastHashes;
    for (const StreamRow& row : streamRows) {
        rowNames.add(row.name);
        rowCategories.add(row.category);
        rowVersions.add(row.version);
        rowFirstTimes.add(row.firstTime);
        rowLastTimes.add(row.lastTime);
        rowLastOffsets.add(row.lastOffset);
        rowLastHashes.add(row.lastHash);
    }
    std::int64_t firstPosition = 0;
    try {
        const pqxx::row row
            = runner().exec_prepared1(m_db->statement(kWriteSql), offset, columns.stream.str(), columns.version.str(),
                columns.id.str(), columns.type.str(), columns.category.str(), columns.time.str(), columns.data.str(),
                columns.metadata.str(), columns.correlation.str(), columns.causation.str(), columns.actor.str(),
                columns.schemaVersion.str(), columns.hash.str(), rowNames.str(), rowCategories.str(), rowVersions.str(),
                rowFirstTimes.str(), rowLastTimes.str(), rowLastOffsets.str(), rowLastHashes.str(), m_channel);
        firstPosition = row[0].as<std::int64_t>();
        own.reset();
    } catch (const pqxx::failure&) {
        own.reset();
        writeFailed(prepared, tx);
    }
    for (const auto& [index, start] : written) {
        AppendResult& result = results[index];
        result.firstPosition = firstPosition + start;
        result.lastPosition = result.firstPosition + (result.lastVersion - result.firstVersion);
    }
    if (m_heads.size() > 4096)
        m_heads.clear();
    for (const StreamRow& row : streamRows)
        m_heads[row.name] = { row.version, row.lastHash };
    return results;
}

void PostgresStore::writeFailed(std::span<const PreparedAppend> prepared, pqxx::transaction_base* tx)
{
    try {
        throw;
    } catch (const pqxx::broken_connection& e) {
        m_heads.clear(); // the server released the session's locks with it
        fail(ErrorKind::Unreachable,
            "lost the connection to the PostgreSQL store " + m_uri.display
                + " during an append, so it may or may not have been written (appending the same event IDs again "
                  "is safe): "
                + lossReason(e));
    } catch (const pqxx::unique_violation&) {
        // Raised by an insert, after reserve_positions() has unlocked: a concurrent writer got in first.
        for (const auto& append : prepared)
            m_heads.erase(append.stream);
        throw;
    } catch (const pqxx::failure&) {
        for (const auto& append : prepared)
            m_heads.erase(append.stream);
        // A statement cancelled inside reserve_positions() would keep the session's advisory lock and stop
        // every other writer; drop whatever this session holds. An aborted transaction runs nothing more: its
        // owner calls this again once it has ended.
        if (tx)
            throw;
        try {
            pqxx::nontransaction(m_db->raw()).exec("SELECT pg_advisory_unlock_all()");
        } catch (const std::exception&) {
            // The original error says more.
        }
        throw;
    }
}

AppendResult PostgresStore::idempotentResult(const PreparedAppend& append, std::int64_t currentVersion,
    const std::string& storedStream, std::int64_t storedVersion, pqxx::transaction_base* tx)
{
    StoredRun stored;
    std::optional<pqxx::nontransaction> own;
    pqxx::transaction_base& runner = tx ? *tx : own.emplace(m_db->raw());
    for (const auto& row : runner.exec_prepared(m_db->statement(kFollowingSql), storedStream, storedVersion,
             static_cast<std::int64_t>(append.events.size()))) {
        stored.ids.push_back(fieldText(row[0]));
        stored.positions.push_back(row[1].as<std::int64_t>());
    }
    return idempotentRepeat(append, storedStream, storedVersion, std::move(stored), currentVersion);
}

std::int64_t PostgresStore::streamVersion(const std::string& stream)
{
    const auto rows = pqxx::nontransaction(m_db->raw()).exec_prepared(m_db->statement(kStreamVersionSql), stream);
    return rows.empty() ? 0 : rows[0][0].as<std::int64_t>();
}

} // namespace eventscope
