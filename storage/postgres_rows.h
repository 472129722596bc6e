#pragma once
// What the PostgreSQL store and the PostgreSQL adapters of foreign stores share: the event columns they select
// (the adapters expose their tables under these names), a row turned into an Event, and a built select run as
// a prepared statement.

#include "storage/event.h"
#include "storage/postgres_connection.h"
#include "storage/query.h"
#include "storage/sql_filter.h"

namespace eventscope {

// The select list every PostgreSQL reader uses, in the order eventFromPgRow() reads it.
inline constexpr const char* kPgEventColumns = "position, stream, version, id::text, type, time_us, data::text, "
                                               "metadata::text, correlation, causation, actor, schema_version, hash";

Event eventFromPgRow(const pqxx::row& row);

// The stream columns the adapters select, in this order, and a row of them as a StreamInfo.
inline constexpr const char* kPgAdapterStreamColumns
    = "name, category, version, first_time_us, last_time_us, last_position, events";
StreamInfo streamFromPgRow(const pqxx::row& row);

// The derived fields of DESIGN §2 read from a json/jsonb column by the default conventions, as
// "… AS correlation, … AS causation, … AS actor, … AS schema_version": the adapters select them with the event,
// so no event's metadata is parsed again on the client.
std::string pgDerivedColumns(const std::string& metadataColumn);

// The values of a built select as text: PostgreSQL infers each parameter's type from where it stands.
std::vector<std::string> pgParameterTexts(const std::vector<SqlValue>& values);

pqxx::result runPgSelect(PostgresConnection& db, const SqlSelect& select);

// An adapter's page of categories: `category` is the SQL expression of a row's category, `streams` what to count
// DISTINCT as its streams, `where` what the rows must also meet (SQL, may be "true"), `stream` the stream name's
// column (for the system-stream test). Sorted and keyed in byte order, so that pages follow the sort.
std::vector<CategoryInfo> pgAdapterCategories(PostgresConnection& db, const std::string& category,
    const std::string& streams, const std::string& from, const std::string& where, const std::string& stream,
    const CategoryQuery& query);

// An adapter's page of streams: `source` is a "WITH streams AS (...)" giving kPgAdapterStreamColumns.
std::vector<StreamInfo> pgAdapterStreams(PostgresConnection& db, const std::string& source, const StreamQuery& query);
// The first column of every row of a statement whose only parameter is a row limit.
std::vector<std::string> pgTextColumn(PostgresConnection& db, const std::string& sql, std::int64_t limit);
// count, first and last position of a built buildEventCount() select.
EventCount pgEventCount(PostgresConnection& db, const SqlSelect& select);

} // namespace eventscope
