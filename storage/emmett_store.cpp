#include "storage/emmett_store.h"

#include "storage/conventions.h"
#include "storage/error.h"
#include "storage/postgres_connection.h"
#include "storage/postgres_rows.h"
#include "storage/sql_filter.h"

#include <thread>

namespace eventscope {

namespace {

constexpr const char* kDefaultPartition = "emt:default";

// Our stream name of Emmett's (partition, stream_id), and back.
const char* kStreamName = "CASE WHEN partition = 'emt:default' THEN stream_id ELSE partition || '/' || stream_id END";

std::pair<std::string, std::string> partitionAndId(const std::string& stream)
{
    // A stream_id may hold '/' itself; only a name whose prefix is an existing partition's would be split, and
    // partitions are few: the default is by far the common case, so try it first in the caller.
    const auto slash = stream.find('/');
    if (slash == std::string::npos)
        return { kDefaultPartition, stream };
    return { stream.substr(0, slash), stream.substr(slash + 1) };
}

const std::string kHorizon = "tx < pg_snapshot_xmin(pg_current_snapshot())";

// Rows a forward read of all events takes at once (see EmmettStore::serveAhead).
constexpr std::size_t kAheadRows = 20000;

} // namespace

EmmettStore::EmmettStore(const StoreUri& uri)
    : ReadOnlyStore("Emmett")
    , m_uri(uri)
    , m_db(std::make_unique<PostgresConnection>(uri))
{
    const std::string schema = m_db->guarded([&] { return schemaOf(*m_db); });
    if (schema.empty())
        fail(ErrorKind::Unreachable, "there is no Emmett store (emt_messages) at " + uri.display);
    if (schema != m_uri.schema) {
        // Emmett makes its tables in the first schema of the search path, usually public.
        m_uri.schema = schema;
        m_db = std::make_unique<PostgresConnection>(m_uri);
    }
}

EmmettStore::~EmmettStore() = default;

std::string EmmettStore::schemaOf(PostgresConnection& db)
{
    const pqxx::result rows = pqxx::nontransaction(db.raw()).exec_params(
        "SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE "
        "c.relname = 'emt_messages' AND c.relkind IN ('p', 'r') ORDER BY n.nspname = $1 DESC, "
        "n.nspname = 'public' DESC, n.nspname LIMIT 1",
        db.uri().schema);
    return rows.empty() ? std::string() : fieldText(rows[0][0]);
}

bool EmmettStore::isPresent(PostgresConnection& db)
{
    return !schemaOf(db).empty();
}

StoreDescription EmmettStore::describe() const
{
    StoreDescription description;
    description.kind = "emmett";
    description.uri = m_uri.display;
    description.readOnly = true;
    return description;
}

std::string EmmettStore::eventsSource(const std::optional<std::string>& stream) const
{
    std::string where = m_uri.includeArchived ? "true" : "NOT is_archived";
    if (stream) {
        // One stream: its own rows by Emmett's primary key, not a computed name over the whole table.
        const auto [partition, id] = partitionAndId(*stream);
        where += " AND ((stream_id = " + m_db->raw().quote(id) + " AND partition = " + m_db->raw().quote(partition)
            + ") OR (stream_id = " + m_db->raw().quote(*stream) + " AND partition = 'emt:default'))";
    }
    return "WITH events AS NOT MATERIALIZED (" + eventsOf("emt_messages WHERE " + where) + ") ";
}

std::string EmmettStore::eventsOf(const std::string& from)
{
    return std::string("SELECT global_position AS position, ") + kStreamName
        + " AS stream, stream_position AS version, message_id AS id, message_type AS type, "
          "split_part(stream_id, '-', 1) AS category, round(date_part('epoch', created) * 1000000)::bigint AS time_us, "
          "message_data::text AS data, message_metadata::text AS metadata, "
        + pgDerivedColumns("message_metadata") + ", '' AS hash, transaction_id AS tx FROM " + from;
}

std::string EmmettStore::transactionOf(std::int64_t position)
{
    if (const auto it = m_nextTransaction.find(position); it != m_nextTransaction.end())
        return it->second;
    const pqxx::result rows = pqxx::nontransaction(m_db->raw())
                                  .exec_prepared(m_db->statement("SELECT transaction_id::text FROM emt_messages "
                                                                 "WHERE global_position = $1"),
                                      position);
    // A position with no row (a gap, or one given by hand): start from the lowest transaction of the store.
    return rows.empty() ? std::string("0") : fieldText(rows[0][0]);
}

EventPage EmmettStore::read(const EventQuery& query)
{
    return m_db->guarded([&] {
        EventPage page;
        if (query.stream) {
            SqlSelect select = buildEventSelect(SqlDialect::PostgreSQL, kPgEventColumns, query);
            select.sql = eventsSource(query.stream) + select.sql;
            for (const auto& row : runPgSelect(*m_db, select))
                page.events.push_back(eventFromPgRow(row));
            finishPage(page, query);
            return page;
        }
        // Everything else in (transaction, position) order below the horizon, keyed by that pair.
        EventQuery unkeyed = query;
        unkeyed.fromPosition.reset();
        std::string key;
        if (query.fromPosition) {
            key = std::string(" AND (transaction_id, global_position) ") + (query.backward ? "<=" : ">=") + " ('"
                + transactionOf(*query.fromPosition) + "'::xid8, " + std::to_string(*query.fromPosition) + ")";
        }
        const char* order = query.backward ? " ORDER BY tx DESC, position DESC" : " ORDER BY tx, position";
        SqlSelect select;
        const bool readAhead = unkeyed.isUnfiltered() && !query.backward;
        if (readAhead) {
            if (auto served = serveAhead(query))
                return std::move(*served);
        }
        m_ahead.clear();
        if (unkeyed.isUnfiltered()) {
            // Nothing to filter: pick the page from the raw rows first and build only its events. Emmett has no
            // index to read this order by, so each query sorts the table: a forward read takes many pages at once
            // and serves the next ones from memory (serveAhead).
            const std::size_t rows = readAhead ? std::max<std::size_t>(query.limit + 1, kAheadRows) : query.limit + 1;
            const std::string raw = "SELECT * FROM emt_messages WHERE "
                + std::string(m_uri.includeArchived ? "true" : "NOT is_archived")
                + " AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())"
                + (query.includeSystem ? "" : " AND left(stream_id, 1) <> '$'") + key
                + (query.backward ? " ORDER BY transaction_id DESC, global_position DESC"
                                  : " ORDER BY transaction_id, global_position")
                + " LIMIT " + std::to_string(rows);
            select.sql = "WITH events AS (" + eventsOf("(" + raw + ") AS page") + ") SELECT " + kPgEventColumns
                + ", tx::text AS tx_text FROM events" + order;
        } else {
            std::string condition = kHorizon;
            if (!key.empty())
                condition += " AND (tx, position) " + key.substr(key.find(')') + 2);
            select = buildEventSelect(
                SqlDialect::PostgreSQL, std::string(kPgEventColumns) + ", tx::text AS tx_text", unkeyed, condition);
            const std::string byPosition = query.backward ? " ORDER BY position DESC" : " ORDER BY position ASC";
            const auto at = select.sql.rfind(byPosition);
            if (at != std::string::npos)
                select.sql.replace(at, byPosition.size(), order);
            select.sql = eventsSource(std::nullopt) + select.sql;
        }
        std::vector<std::string> transactions;
        for (const auto& row : runPgSelect(*m_db, select)) {
            page.events.push_back(eventFromPgRow(row));
            transactions.push_back(fieldText(row[13]));
        }
        if (readAhead && page.events.size() > query.limit + 1) {
            // Every row read lies below this read's horizon: a row that becomes visible later has a newer
            // transaction and sorts after all of them, so they stay the next pages whatever commits meanwhile.
            m_aheadReachedEnd = page.events.size() < std::max<std::size_t>(query.limit + 1, kAheadRows);
            m_aheadIncludeSystem = query.includeSystem;
            for (std::size_t i = query.limit; i < page.events.size(); ++i)
                m_ahead.push_back({ std::move(page.events[i]), std::move(transactions[i]) });
            page.events.resize(query.limit + 1);
            page.events.back() = m_ahead.front().event;
            transactions.resize(query.limit + 1);
            transactions.back() = m_ahead.front().transaction;
        }
        if (page.events.size() > query.limit) {
            if (m_nextTransaction.size() > 1024)
                m_nextTransaction.clear();
            m_nextTransaction[page.events[query.limit].position] = transactions[query.limit];
        }
        finishPage(page, query);
        return page;
    });
}

std::optional<EventPage> EmmettStore::serveAhead(const EventQuery& query)
{
    if (m_ahead.empty() || !query.fromPosition || *query.fromPosition != m_ahead.front().event.position
        || query.includeSystem != m_aheadIncludeSystem)
        return std::nullopt;
    if (m_ahead.size() <= query.limit && !m_aheadReachedEnd) {
        // Too few left for a page: read on from here, the key's transaction already known.
        m_nextTransaction[m_ahead.front().event.position] = m_ahead.front().transaction;
        return std::nullopt;
    }
    EventPage page;
    const std::size_t take = std::min(query.limit, m_ahead.size());
    for (std::size_t i = 0; i < take; ++i) {
        page.events.push_back(std::move(m_ahead.front().event));
        m_ahead.pop_front();
    }
    if (!m_ahead.empty()) {
        page.next = m_ahead.front().event.position;
        m_nextTransaction[*page.next] = m_ahead.front().transaction;
    }
    return page;
}

std::optional<StreamInfo> EmmettStore::streamHead(const std::string& stream)
{
    return m_db->guarded([&]() -> std::optional<StreamInfo> {
        const pqxx::result rows = pqxx::nontransaction(m_db->raw())
                                      .exec(eventsSource(stream)
                                          + "SELECT count(*), coalesce(max(version), 0), coalesce(min(time_us), 0), "
                                            "coalesce(max(time_us), 0), coalesce(max(position), 0) FROM events");
        if (rows.empty() || rows[0][0].as<std::int64_t>() == 0)
            return std::nullopt;
        StreamInfo info;
        info.name = stream;
        info.category = categoryOf(partitionAndId(stream).second);
        info.count = rows[0][0].as<std::int64_t>();
        info.version = rows[0][1].as<std::int64_t>();
        info.firstTime = rows[0][2].as<std::int64_t>();
        info.lastTime = rows[0][3].as<std::int64_t>();
        info.lastPosition = rows[0][4].as<std::int64_t>();
        return info;
    });
}

std::vector<StreamInfo> EmmettStore::streams(const StreamQuery& query)
{
    return m_db->guarded([&] {
        const std::string source = std::string("WITH streams AS NOT MATERIALIZED (SELECT ") + kStreamName
            + " AS name, split_part(stream_id, '-', 1) AS category, max(stream_position) AS version, count(*) AS "
              "events, (extract(epoch FROM min(created)) * 1000000)::bigint AS first_time_us, (extract(epoch FROM "
              "max(created)) * 1000000)::bigint AS last_time_us, max(global_position) AS last_position FROM "
              "emt_messages WHERE "
            + (m_uri.includeArchived ? "true" : "NOT is_archived") + " GROUP BY partition, stream_id) ";
        return pgAdapterStreams(*m_db, source, query);
    });
}

std::vector<CategoryInfo> EmmettStore::categories(const CategoryQuery& query)
{
    return m_db->guarded([&] {
        return pgAdapterCategories(*m_db, "split_part(stream_id, '-', 1)", "(partition, stream_id)", "emt_messages",
            m_uri.includeArchived ? "true" : "NOT is_archived", "stream_id", query);
    });
}

std::vector<std::string> EmmettStore::eventTypes(std::size_t limit)
{
    return m_db->guarded([&] {
        return pgTextColumn(*m_db,
            "SELECT DISTINCT message_type FROM emt_messages ORDER BY message_type COLLATE \"C\" LIMIT $1",
            static_cast<std::int64_t>(limit));
    });
}

EventCount EmmettStore::countEvents(const EventQuery& query)
{
    return m_db->guarded([&] {
        SqlSelect select = buildEventCount(SqlDialect::PostgreSQL, query, query.stream ? std::string() : kHorizon);
        select.sql = eventsSource(query.stream) + select.sql;
        return pgEventCount(*m_db, select);
    });
}

std::int64_t EmmettStore::headPosition()
{
    return m_db->guarded([&] {
        return pqxx::nontransaction(m_db->raw())
            .exec(eventsSource(std::nullopt) + "SELECT coalesce(max(position), 0) FROM events WHERE " + kHorizon)[0][0]
            .as<std::int64_t>();
    });
}

std::optional<Event> EmmettStore::eventById(const std::string& id)
{
    return m_db->guarded([&]() -> std::optional<Event> {
        const pqxx::result rows = pqxx::nontransaction(m_db->raw())
                                      .exec_prepared(m_db->statement(eventsSource(std::nullopt) + "SELECT "
                                                         + kPgEventColumns + " FROM events WHERE id = $1 LIMIT 1"),
                                          id);
        if (rows.empty())
            return std::nullopt;
        return eventFromPgRow(rows[0]);
    });
}

void EmmettStore::interrupt()
{
    m_db->cancel();
}

} // namespace eventscope
