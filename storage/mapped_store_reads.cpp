// MappedStore's reads: each one a native SQL builder's select (or a small one of its own) behind the common table
// expressions that mapped_store_source.cpp builds.

#include "storage/mapped_store.h"

#include "storage/uuid.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace eventscope {
namespace {

std::int64_t number(const std::optional<std::string>& field)
{
    std::int64_t value = 0;
    if (field)
        std::from_chars(field->data(), field->data() + field->size(), value);
    return value;
}

} // namespace

EventPage MappedStore::read(const EventQuery& query)
{
    SqlSelect select = buildEventSelect(m_dialect, eventColumns(), query);
    select.sql = m_eventsSource + select.sql;
    EventPage page;
    for (const Row& row : run(select, 12))
        page.events.push_back(eventFromRow(row));
    finishPage(page, query);
    return page;
}

std::optional<StreamInfo> MappedStore::streamHead(const std::string& stream)
{
    const std::string time = timeColumn();
    const auto rows = run(m_eventsSource + "SELECT count(*), max(version), min(" + time + "), max(" + time
            + "), max(position), min(category) FROM events WHERE stream = " + parameter(1),
        { stream }, 6);
    if (rows.empty() || number(rows[0][0]) == 0)
        return std::nullopt;
    const Row& row = rows[0];
    StreamInfo info;
    info.name = stream;
    info.count = number(row[0]);
    info.version = number(row[1]);
    info.firstTime = number(row[2]);
    info.lastTime = number(row[3]);
    info.lastPosition = number(row[4]);
    info.category = row[5].value_or("");
    return info;
}

std::vector<StreamInfo> MappedStore::streams(const StreamQuery& query)
{
    SqlSelect select
        = buildStreamSelect(m_dialect, "name, category, version, first_time, last_time, last_position, events", query);
    select.sql = m_streamsSource + select.sql;
    std::vector<StreamInfo> streams;
    for (const Row& row : run(select, 7)) {
        StreamInfo info;
        info.name = row[0].value_or("");
        info.category = row[1].value_or("");
        info.version = number(row[2]);
        info.firstTime = number(row[3]);
        info.lastTime = number(row[4]);
        info.lastPosition = number(row[5]);
        info.count = number(row[6]);
        streams.push_back(std::move(info));
    }
    return streams;
}

std::vector<CategoryInfo> MappedStore::categories(const CategoryQuery& query)
{
    // One grouping over the table: it has no streams table to probe as the native stores do. Names compare
    // bytewise in both dialects, so that `after` pages as the order goes.
    const bool pg = m_dialect == SqlDialect::PostgreSQL;
    const std::string category = pg ? "category COLLATE \"C\"" : "category";
    std::string sql = m_eventsSource + "SELECT " + category + " AS c, count(DISTINCT stream) FROM mapped WHERE "
        + category + " > " + parameter(1);
    if (!query.includeSystem)
        sql += pg ? " AND left(stream, 1) <> '$'" : " AND substr(stream, 1, 1) <> '$'";
    sql += " GROUP BY c ORDER BY c LIMIT " + std::to_string(query.limit);
    std::vector<CategoryInfo> categories;
    for (const Row& row : run(sql, { query.after.value_or(std::string()) }, 2))
        categories.push_back({ row[0].value_or(""), number(row[1]) });
    return categories;
}

std::vector<std::string> MappedStore::eventTypes(std::size_t limit)
{
    const std::string type = m_dialect == SqlDialect::PostgreSQL ? "type COLLATE \"C\"" : "type";
    std::vector<std::string> types;
    for (const Row& row : run(m_eventsSource + "SELECT DISTINCT " + type
                 + " AS t FROM mapped WHERE type IS NOT NULL "
                   "ORDER BY t LIMIT "
                 + std::to_string(limit),
             {}, 1))
        types.push_back(row[0].value_or(""));
    return types;
}

EventCount MappedStore::countEvents(const EventQuery& query)
{
    SqlSelect select = buildEventCount(m_dialect, query);
    select.sql = m_eventsSource + select.sql;
    const auto rows = run(select, 3);
    if (rows.empty())
        return {};
    return EventCount { number(rows[0][0]), number(rows[0][1]), number(rows[0][2]), true };
}

std::int64_t MappedStore::headPosition()
{
    // Positions by row number run 1..count without gaps.
    const auto rows = run(m_eventsSource
            + (m_mapping.position ? "SELECT coalesce(max(position), 0) FROM mapped" : "SELECT count(*) FROM mapped"),
        {}, 1);
    return rows.empty() ? 0 : number(rows[0][0]);
}

std::optional<Event> MappedStore::eventById(const std::string& id)
{
    if (!m_mapping.id || id.empty())
        return std::nullopt;
    // A reference may spell a UUID in capitals or with braces, and a foreign table may store it either way.
    std::string lowerCase = isUuid(id) ? normalizeUuid(id) : id;
    std::string upperCase = lowerCase;
    std::transform(upperCase.begin(), upperCase.end(), upperCase.begin(),
        [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    const auto rows = run(m_eventsSource + "SELECT " + eventColumns() + " FROM events WHERE id IN (" + parameter(1)
            + ", " + parameter(2) + ", " + parameter(3) + ") ORDER BY position LIMIT 1",
        { id, lowerCase, upperCase }, 12);
    if (rows.empty())
        return std::nullopt;
    return eventFromRow(rows[0]);
}

} // namespace eventscope
