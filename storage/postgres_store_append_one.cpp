// A short append to one stream, the common case, in one round trip: append_stream_v1() (postgres_schema.cpp) reads
// the head, checks the first ID and the expected version, and computes the hash chain in the server, in the
// order the comment at the top of postgres_store.cpp asks for. Without it a writer that has no cached head
// pays a second round trip to read it.

#include "storage/append_preparation.h"
#include "storage/error.h"
#include "storage/postgres_connection.h"
#include "storage/postgres_store.h"

#include <cstdlib>
#include <optional>

namespace eventscope {
namespace {

constexpr const char* kAppendOneSql
    = "SELECT o_stored_stream, o_stored_version, o_version, o_first_position, o_last_hash "
      "FROM append_stream_v1($1, $2, $3, $4::uuid[], $5::text[], $6::bigint[], $7::json[], $8::json[], $9::text[], "
      "$10::text[], $11::text[], $12::bigint[], $13)";

// The SQLSTATE append_stream_v1() raises for a wrong expected version, with the actual version as DETAIL.
constexpr const char* kWrongExpectedVersionState = "ES409";

// The number in "...\nDETAIL:  4\n...".
std::int64_t detailNumber(const std::string& message)
{
    const auto detail = message.find("\nDETAIL:");
    return detail == std::string::npos ? 0 : std::strtoll(message.c_str() + detail + 8, nullptr, 10);
}

} // namespace

AppendResult PostgresStore::appendOneStream(const PreparedAppend& append, pqxx::transaction_base* tx)
{
    PgArray ids, types, times, data, metadata, correlation, causation, actor, schemaVersion;
    for (const Event& event : append.events) {
        ids.add(event.id);
        types.add(event.type);
        times.add(event.time);
        data.add(event.data);
        metadata.add(event.metadata);
        correlation.addOrNull(event.correlation);
        causation.addOrNull(event.causation);
        actor.addOrNull(event.actor);
        schemaVersion.addOrNull(event.schemaVersion);
    }
    pqxx::row row;
    try {
        // Scoped to the statement: writeFailed() may need the connection for a nontransaction of its own.
        std::optional<pqxx::nontransaction> own;
        pqxx::transaction_base& runner = tx ? *tx : own.emplace(m_db->raw());
        row = runner.exec_prepared1(m_db->statement(kAppendOneSql), append.stream, append.category,
            append.expected.toString(), ids.str(), types.str(), times.str(), data.str(), metadata.str(),
            correlation.str(), causation.str(), actor.str(), schemaVersion.str(), m_channel);
    } catch (const pqxx::sql_error& e) {
        // Raised before reserve_positions(): nothing was written and no lock is held.
        if (e.sqlstate() == kWrongExpectedVersionState)
            failWrongExpectedVersion(append.stream, append.expected, detailNumber(e.what()));
        writeFailed({ &append, 1 }, tx);
    } catch (const pqxx::failure&) {
        writeFailed({ &append, 1 }, tx);
    }

    const auto count = static_cast<std::int64_t>(append.events.size());
    if (!row[0].is_null()) // the first ID is stored: a repeat, or an error that idempotentResult() names
        return idempotentResult(append, row[2].as<std::int64_t>(), fieldText(row[0]), row[1].as<std::int64_t>(), tx);

    AppendResult result;
    result.stream = append.stream;
    result.lastVersion = row[2].as<std::int64_t>();
    result.firstVersion = result.lastVersion - count + 1;
    result.firstPosition = row[3].as<std::int64_t>();
    result.lastPosition = result.firstPosition + count - 1;
    result.ids.reserve(append.events.size());
    for (const Event& event : append.events)
        result.ids.push_back(event.id);
    // Multi-stream appends still use the cache; keep it right for this stream.
    if (m_heads.size() > 4096)
        m_heads.clear();
    m_heads[append.stream] = { result.lastVersion, fieldText(row[4]) };
    return result;
}

} // namespace eventscope
