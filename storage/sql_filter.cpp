#include "storage/sql_filter.h"

namespace eventscope {
namespace {

class Builder
{
public:
    explicit Builder(SqlDialect dialect)
        : m_dialect(dialect)
    {
    }
    std::string bind(SqlValue value)
    {
        m_values.push_back(std::move(value));
        return m_dialect == SqlDialect::SQLite ? std::string("?") : "$" + std::to_string(m_values.size());
    }
    // "?, ?, ?" (or "$1, $2, $3"), each value bound.
    std::string bindList(const std::vector<std::string>& values)
    {
        std::string list;
        for (const auto& value : values)
            list += (list.empty() ? "" : ", ") + bind(value);
        return list;
    }
    void where(const std::string& condition) { m_conditions.push_back(condition); }
    std::string whereClause() const
    {
        std::string out;
        for (const auto& c : m_conditions)
            out += (out.empty() ? " WHERE " : " AND ") + c;
        return out;
    }
    std::vector<SqlValue> takeValues() { return std::move(m_values); }

private:
    SqlDialect m_dialect;
    std::vector<SqlValue> m_values;
    std::vector<std::string> m_conditions;
};

std::string notSystem(SqlDialect dialect)
{
    // '$' is not special to LIKE in either dialect; the prefix test lets an index on stream help.
    return dialect == SqlDialect::SQLite ? "substr(stream, 1, 1) <> '$'" : "left(stream, 1) <> '$'";
}

std::string limitValue(std::size_t limit)
{
    return std::to_string(limit + 1);
}

// The WHERE conditions of an event read, shared by page reads and counts.
void filterEvents(Builder& b, SqlDialect dialect, const EventQuery& query, const std::string& extraCondition,
    const std::optional<PositionRange>& timeAsPositions)
{
    const bool byStream = query.stream.has_value();
    const std::string key = byStream ? "version" : "position";
    if (byStream) {
        b.where("stream = " + b.bind(*query.stream));
    } else if (!query.streams.empty()) {
        b.where("stream IN (" + b.bindList(query.streams) + ")");
    } else if (!query.includeSystem) {
        b.where(notSystem(dialect));
    }
    const auto from = byStream ? query.fromVersion : query.fromPosition;
    if (from)
        b.where(key + (query.backward ? " <= " : " >= ") + b.bind(*from));
    if (!query.types.empty())
        b.where("type IN (" + b.bindList(query.types) + ")");
    if (query.category)
        b.where("category = " + b.bind(*query.category));
    if (query.correlation)
        b.where("correlation = " + b.bind(*query.correlation));
    if (query.causation)
        b.where("causation = " + b.bind(*query.causation));
    if (query.actor)
        b.where("actor = " + b.bind(*query.actor));
    if (query.metadataContains) {
        b.where(dialect == SqlDialect::SQLite ? "instr(metadata, " + b.bind(*query.metadataContains) + ") > 0"
                                              : "strpos(metadata::text, " + b.bind(*query.metadataContains) + ") > 0");
    }
    const std::string timeColumn = dialect == SqlDialect::SQLite ? "time" : "time_us";
    if (timeAsPositions) {
        if (timeAsPositions->first)
            b.where("position >= " + b.bind(*timeAsPositions->first));
        if (timeAsPositions->last)
            b.where("position <= " + b.bind(*timeAsPositions->last));
    } else {
        if (query.since)
            b.where(timeColumn + " >= " + b.bind(*query.since));
        if (query.until)
            b.where(timeColumn + " <= " + b.bind(*query.until));
    }
    if (!extraCondition.empty())
        b.where(extraCondition);
}

} // namespace

SqlSelect buildEventSelect(SqlDialect dialect, const std::string& columns, const EventQuery& query,
    const std::string& extraCondition, const std::optional<PositionRange>& timeAsPositions)
{
    Builder b(dialect);
    filterEvents(b, dialect, query, extraCondition, timeAsPositions);
    const std::string key = query.stream ? "version" : "position";
    SqlSelect select;
    select.sql = "SELECT " + columns + " FROM events" + b.whereClause() + " ORDER BY " + key
        + (query.backward ? " DESC" : " ASC") + " LIMIT " + limitValue(query.limit);
    select.values = b.takeValues();
    return select;
}

SqlSelect buildEventCount(SqlDialect dialect, const EventQuery& query, const std::string& extraCondition,
    const std::optional<PositionRange>& timeAsPositions)
{
    Builder b(dialect);
    EventQuery unpaged = query;
    unpaged.fromPosition.reset();
    unpaged.fromVersion.reset();
    filterEvents(b, dialect, unpaged, extraCondition, timeAsPositions);
    SqlSelect select;
    select.sql
        = "SELECT count(*), coalesce(min(position), 0), coalesce(max(position), 0) FROM events" + b.whereClause();
    select.values = b.takeValues();
    return select;
}

SqlSelect buildCategorySelect(SqlDialect dialect, const CategoryQuery& query)
{
    // A loose index scan: one index probe per category instead of a pass over every stream, so a million
    // streams in a handful of categories list at once.
    Builder b(dialect);
    const std::string after = b.bind(query.after.value_or(std::string()));
    const std::string systemFilter = query.includeSystem
        ? std::string()
        : (dialect == SqlDialect::SQLite ? " AND substr(name, 1, 1) <> '$'" : " AND left(name, 1) <> '$'");
    SqlSelect select;
    select.sql = "WITH RECURSIVE c(name) AS (SELECT min(category) FROM streams WHERE category > " + after
        + " UNION ALL SELECT (SELECT min(category) FROM streams WHERE category > c.name) FROM c WHERE c.name IS "
          "NOT NULL) SELECT name, (SELECT count(*) FROM streams s WHERE s.category = c.name) FROM c WHERE name IS "
          "NOT NULL"
        + systemFilter + " LIMIT " + std::to_string(query.limit);
    select.values = b.takeValues();
    return select;
}

SqlSelect buildEventTypeSelect(std::size_t limit)
{
    SqlSelect select;
    select.sql = "WITH RECURSIVE t(name) AS (SELECT min(type) FROM events UNION ALL SELECT (SELECT min(type) FROM "
                 "events WHERE type > t.name) FROM t WHERE t.name IS NOT NULL) SELECT name FROM t WHERE name IS NOT "
                 "NULL LIMIT "
        + std::to_string(limit);
    return select;
}

SqlSelect buildStreamSelect(SqlDialect dialect, const std::string& columns, const StreamQuery& query)
{
    Builder b(dialect);
    if (query.category)
        b.where("category = " + b.bind(*query.category));
    if (query.prefix) {
        // A range on the name instead of LIKE, so '%' and '_' in a prefix mean themselves and the key serves it.
        // Names compare bytewise (PostgreSQL columns are COLLATE "C"); U+10FFFF sorts after any next character.
        b.where("name >= " + b.bind(*query.prefix));
        b.where("name < " + b.bind(*query.prefix + "\xF4\x8F\xBF\xBF"));
    }
    if (query.after)
        b.where("name > " + b.bind(*query.after));
    if (!query.includeSystem && !(query.prefix && !query.prefix->empty() && query.prefix->front() == '$')
        && !(query.category && !query.category->empty() && query.category->front() == '$'))
        b.where(dialect == SqlDialect::SQLite ? "substr(name, 1, 1) <> '$'" : "left(name, 1) <> '$'");
    SqlSelect select;
    select.sql = "SELECT " + columns + " FROM streams" + b.whereClause() + " ORDER BY name LIMIT "
        + std::to_string(query.limit);
    select.values = b.takeValues();
    return select;
}

void finishPage(EventPage& page, const EventQuery& query)
{
    if (page.events.size() > query.limit) {
        const Event& extra = page.events[query.limit];
        page.next = query.stream ? extra.version : extra.position;
        page.events.resize(query.limit);
    } else {
        page.next.reset();
    }
}

} // namespace eventscope
