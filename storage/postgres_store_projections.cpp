// The PostgreSQL store's projections: checkpoints and partition states, the events a projection emits (in the
// same transaction as its checkpoint), and the swap of a shadow rebuild.

#include "storage/append_preparation.h"
#include "storage/error.h"
#include "storage/postgres_connection.h"
#include "storage/postgres_store.h"
#include "storage/time_format.h"

#include <algorithm>
#include <limits>
#include <map>

namespace eventscope {
namespace {

constexpr const char* kProjectionColumns = "name, position, status, definition, updated_us";

// The record and its states in one statement.
constexpr const char* kCommitSql
    = "WITH p AS (INSERT INTO projections(name, position, status, definition, updated_us) "
      "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (name) DO UPDATE SET position = excluded.position, "
      "status = excluded.status, definition = excluded.definition, updated_us = excluded.updated_us) "
      "INSERT INTO projection_states(projection, partition, state) "
      "SELECT $1, u.partition, u.state FROM unnest($6::text[], $7::text[]) AS u(partition, state) "
      "ON CONFLICT (projection, partition) DO UPDATE SET state = excluded.state";

constexpr const char* kDeleteSql
    = "WITH s AS (DELETE FROM projection_states WHERE projection = $1) DELETE FROM projections WHERE name = $1";

// The two tables are different, so one statement may update both.
constexpr const char* kRenameSql = "WITH s AS (UPDATE projection_states SET projection = $2 WHERE projection = $1) "
                                   "UPDATE projections SET name = $2 WHERE name = $1";

ProjectionRecord projectionFromRow(const pqxx::row& row)
{
    return { fieldText(row[0]), row[1].as<std::int64_t>(), fieldText(row[2]), fieldText(row[3]),
        row[4].as<std::int64_t>() };
}

} // namespace

std::optional<ProjectionRecord> PostgresStore::projection(const std::string& name)
{
    return m_db->guarded([&]() -> std::optional<ProjectionRecord> {
        const auto rows = pqxx::nontransaction(m_db->raw())
                              .exec_prepared(m_db->statement(std::string("SELECT ") + kProjectionColumns
                                                 + " FROM projections WHERE name = $1"),
                                  name);
        if (rows.empty())
            return std::nullopt;
        return projectionFromRow(rows[0]);
    });
}

std::vector<ProjectionRecord> PostgresStore::projections()
{
    return m_db->guarded([&] {
        std::vector<ProjectionRecord> out;
        for (const auto& row : pqxx::nontransaction(m_db->raw())
                                   .exec_prepared(m_db->statement(std::string("SELECT ") + kProjectionColumns
                                       + " FROM projections ORDER BY name")))
            out.push_back(projectionFromRow(row));
        return out;
    });
}

void PostgresStore::commitProjection(const ProjectionRecord& record, std::span<const PartitionState> changedStates,
    std::span<const AppendRequest> emitted)
{
    // A partition named twice keeps its last state, as a row-by-row upsert would.
    std::map<std::string, const std::string*> latest;
    for (const auto& partition : changedStates)
        latest[partition.partition] = &partition.state;
    PgArray partitions;
    PgArray states;
    for (const auto& [partition, state] : latest) {
        partitions.add(partition);
        states.add(*state);
    }
    const Micros updated = record.updated ? record.updated : nowMicros();
    auto writeRecord = [&](pqxx::transaction_base& tx) {
        tx.exec_prepared(m_db->statement(kCommitSql), record.name, record.position, record.status, record.definition,
            updated, partitions.str(), states.str());
    };
    if (emitted.empty()) {
        m_db->guarded([&] {
            pqxx::nontransaction tx(m_db->raw());
            writeRecord(tx);
        });
        return;
    }
    auto prepared = prepareAppend(emitted);
    m_db->guarded([&] {
        retryAppend(prepared, [&](bool trustCache) {
            try {
                pqxx::work tx(m_db->raw());
                // The append comes first: reserve_positions() must run before anything in the transaction writes.
                auto results = appendAttempt(prepared, trustCache, &tx);
                writeRecord(tx);
                tx.commit();
                return results;
            } catch (const pqxx::failure&) {
                writeFailed(prepared); // the transaction has ended, so the session's locks may go now
            } catch (...) {
                // The append may have cached heads that were never committed.
                for (const auto& append : prepared)
                    m_heads.erase(append.stream);
                throw;
            }
        });
    });
}

std::vector<PartitionState> PostgresStore::projectionStates(const std::string& name)
{
    return m_db->guarded([&] {
        std::vector<PartitionState> out;
        for (const auto& row : pqxx::nontransaction(m_db->raw())
                                   .exec_prepared(m_db->statement("SELECT partition, state FROM projection_states "
                                                                  "WHERE projection = $1 ORDER BY partition"),
                                       name))
            out.push_back({ fieldText(row[0]), fieldText(row[1]) });
        return out;
    });
}

std::vector<PartitionState> PostgresStore::projectionStates(
    const std::string& name, std::span<const std::string> partitions)
{
    if (partitions.empty())
        return {};
    PgArray wanted;
    for (const auto& partition : partitions)
        wanted.add(partition);
    return m_db->guarded([&] {
        // One statement with the list as an array: the primary key serves each element.
        std::vector<PartitionState> out;
        for (const auto& row :
            pqxx::nontransaction(m_db->raw())
                .exec_prepared(m_db->statement("SELECT partition, state FROM projection_states WHERE projection = $1 "
                                               "AND partition = ANY($2::text[]) ORDER BY partition"),
                    name, wanted.str()))
            out.push_back({ fieldText(row[0]), fieldText(row[1]) });
        return out;
    });
}

std::vector<PartitionState> PostgresStore::projectionStatesPage(
    const std::string& name, const std::optional<std::string>& after, std::size_t limit)
{
    if (limit == 0)
        return {};
    const auto rows = std::int64_t(std::min<std::size_t>(limit, std::size_t(std::numeric_limits<std::int64_t>::max())));
    return m_db->guarded([&] {
        std::vector<PartitionState> out;
        out.reserve(std::min<std::size_t>(limit, 1000));
        pqxx::nontransaction tx(m_db->raw());
        // The partition column is COLLATE "C", so `>` and ORDER BY follow the primary key in byte order.
        const pqxx::result result = after
            ? tx.exec_prepared(m_db->statement("SELECT partition, state FROM projection_states WHERE projection = $1 "
                                               "AND partition > $2 ORDER BY partition LIMIT $3"),
                name, *after, rows)
            : tx.exec_prepared(m_db->statement("SELECT partition, state FROM projection_states WHERE projection = $1 "
                                               "ORDER BY partition LIMIT $2"),
                name, rows);
        for (const auto& row : result)
            out.push_back({ fieldText(row[0]), fieldText(row[1]) });
        return out;
    });
}

std::int64_t PostgresStore::projectionStateCount(const std::string& name)
{
    return m_db->guarded([&] {
        return pqxx::nontransaction(m_db->raw())
            .exec_prepared1(m_db->statement("SELECT count(*) FROM projection_states WHERE projection = $1"), name)[0]
            .as<std::int64_t>();
    });
}

void PostgresStore::deleteProjection(const std::string& name)
{
    m_db->guarded([&] { pqxx::nontransaction(m_db->raw()).exec_prepared(m_db->statement(kDeleteSql), name); });
}

void PostgresStore::replaceProjection(const std::string& live, const std::string& shadow, const std::string& previous)
{
    if (live == shadow || live == previous || shadow == previous)
        fail(ErrorKind::BadInput,
            "cannot replace projection " + live + ": the live, shadow and previous names must all differ");
    m_db->guarded([&] {
        pqxx::work tx(m_db->raw());
        // Locks the shadow's record, so that it cannot vanish between this check and the rename.
        if (tx.exec_prepared(m_db->statement("SELECT 1 FROM projections WHERE name = $1 FOR UPDATE"), shadow).empty())
            fail(ErrorKind::BadInput, "there is no projection named " + shadow);
        // Separate statements: each must see what the one before changed.
        tx.exec_prepared(m_db->statement(kDeleteSql), previous);
        tx.exec_prepared(m_db->statement(kRenameSql), live, previous);
        tx.exec_prepared(m_db->statement(kRenameSql), shadow, live);
        tx.commit();
    });
}

} // namespace eventscope
