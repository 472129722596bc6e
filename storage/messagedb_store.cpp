#include "storage/messagedb_store.h"

#include "storage/conventions.h"
#include "storage/error.h"
#include "storage/postgres_connection.h"
#include "storage/postgres_rows.h"
#include "storage/sql_filter.h"
#include "storage/uuid.h"

#include <thread>

namespace eventscope {

namespace {

// Message DB's messages under the native column names. The category is Message DB's own function, so that a
// category filter matches its messages_category index. The time is date_part's double, rounded: exact to the
// microsecond until the year 2100 (checked against extract() on two million random times), and it spares
// extract()'s numeric arithmetic on every row.
std::string eventsSource()
{
    return "WITH events AS NOT MATERIALIZED (SELECT global_position AS position, stream_name AS stream, "
           "position AS version, id, type, message_store.category(stream_name) AS category, "
           "round(date_part('epoch', time) * 1000000)::bigint AS time_us, coalesce(data::text, 'null') AS data, "
           "coalesce(metadata::text, '{}') AS metadata, "
        + pgDerivedColumns("metadata") + ", '' AS hash FROM message_store.messages) ";
}

} // namespace

MessageDbStore::MessageDbStore(const StoreUri& uri)
    : ReadOnlyStore("Message DB")
    , m_uri(uri)
    , m_db(std::make_unique<PostgresConnection>(uri))
{
    m_db->guarded([&] {
        if (!isPresent(*m_db))
            fail(ErrorKind::Unreachable, "there is no Message DB store (message_store.messages) at " + uri.display);
    });
}

MessageDbStore::~MessageDbStore() = default;

bool MessageDbStore::isPresent(PostgresConnection& db)
{
    return pqxx::nontransaction(db.raw())
        .exec1("SELECT to_regclass('message_store.messages') IS NOT NULL")[0]
        .as<bool>();
}

StoreDescription MessageDbStore::describe() const
{
    StoreDescription description;
    description.kind = "messagedb";
    description.uri = m_uri.display;
    description.readOnly = true;
    description.versionsFromZero = true;
    return description;
}

EventPage MessageDbStore::read(const EventQuery& query)
{
    return m_db->guarded([&] {
        SqlSelect select = buildEventSelect(SqlDialect::PostgreSQL, kPgEventColumns, query);
        select.sql = eventsSource() + select.sql;
        EventPage page;
        for (const auto& row : runPgSelect(*m_db, select))
            page.events.push_back(eventFromPgRow(row));
        finishPage(page, query);
        return page;
    });
}

std::optional<StreamInfo> MessageDbStore::streamHead(const std::string& stream)
{
    return m_db->guarded([&]() -> std::optional<StreamInfo> {
        const pqxx::row row
            = pqxx::nontransaction(m_db->raw())
                  .exec_prepared1(m_db->statement("SELECT count(*), coalesce(max(position), -1), "
                                                  "coalesce((extract(epoch FROM min(time)) * 1000000)::bigint, 0), "
                                                  "coalesce((extract(epoch FROM max(time)) * 1000000)::bigint, 0), "
                                                  "coalesce(max(global_position), 0) FROM message_store.messages "
                                                  "WHERE stream_name = $1"),
                      stream);
        if (row[0].as<std::int64_t>() == 0)
            return std::nullopt;
        StreamInfo info;
        info.name = stream;
        info.category = categoryOf(stream);
        info.count = row[0].as<std::int64_t>();
        info.version = row[1].as<std::int64_t>();
        info.firstTime = row[2].as<std::int64_t>();
        info.lastTime = row[3].as<std::int64_t>();
        info.lastPosition = row[4].as<std::int64_t>();
        return info;
    });
}

std::vector<StreamInfo> MessageDbStore::streams(const StreamQuery& query)
{
    return m_db->guarded([&] {
        // Grouped by the stream index: a page walks only the streams it lists.
        const std::string source = "WITH streams AS NOT MATERIALIZED (SELECT stream_name AS name, "
                                   "message_store.category(stream_name) AS category, max(position) AS version, "
                                   "count(*) AS events, (extract(epoch FROM min(time)) * 1000000)::bigint AS "
                                   "first_time_us, (extract(epoch FROM max(time)) * 1000000)::bigint AS last_time_us, "
                                   "max(global_position) AS last_position FROM message_store.messages GROUP BY "
                                   "stream_name) ";
        return pgAdapterStreams(*m_db, source, query);
    });
}

std::vector<CategoryInfo> MessageDbStore::categories(const CategoryQuery& query)
{
    return m_db->guarded([&] {
        return pgAdapterCategories(*m_db, "message_store.category(stream_name)", "stream_name",
            "message_store.messages", "true", "stream_name", query);
    });
}

std::vector<std::string> MessageDbStore::eventTypes(std::size_t limit)
{
    return m_db->guarded([&] {
        return pgTextColumn(*m_db,
            "SELECT DISTINCT type FROM message_store.messages ORDER BY type COLLATE \"C\" LIMIT $1",
            static_cast<std::int64_t>(limit));
    });
}

EventCount MessageDbStore::countEvents(const EventQuery& query)
{
    return m_db->guarded([&] {
        SqlSelect select = buildEventCount(SqlDialect::PostgreSQL, query);
        select.sql = eventsSource() + select.sql;
        return pgEventCount(*m_db, select);
    });
}

std::int64_t MessageDbStore::headPosition()
{
    return m_db->guarded([&] {
        return pqxx::nontransaction(m_db->raw())
            .exec_prepared1(m_db->statement("SELECT coalesce(max(global_position), 0) FROM message_store.messages"))[0]
            .as<std::int64_t>();
    });
}

std::optional<Event> MessageDbStore::eventById(const std::string& id)
{
    if (!isUuid(id))
        return std::nullopt; // Message DB's ids are UUIDs
    return m_db->guarded([&]() -> std::optional<Event> {
        const pqxx::result rows = pqxx::nontransaction(m_db->raw())
                                      .exec_prepared(m_db->statement(eventsSource() + "SELECT " + kPgEventColumns
                                                         + " FROM events WHERE id = $1::uuid"),
                                          normalizeUuid(id));
        if (rows.empty())
            return std::nullopt;
        return eventFromPgRow(rows[0]);
    });
}

void MessageDbStore::interrupt()
{
    m_db->cancel();
}

} // namespace eventscope
