// What the SQLite store holds in summary: categories, event types and counts, for navigators and filter bars.

#include "storage/sql_filter.h"
#include "storage/sqlite_db.h"
#include "storage/sqlite_store.h"

#include <sqlite3.h>

namespace eventscope {

std::vector<CategoryInfo> SqliteStore::categories(const CategoryQuery& query)
{
    const SqlSelect select = buildCategorySelect(SqlDialect::SQLite, query);
    auto& statement = m_db->cached(select.sql);
    statement.bindAll(select.values);
    std::vector<CategoryInfo> out;
    while (statement.step())
        out.push_back({ statement.text(0), statement.int64(1) });
    statement.reset();
    return out;
}

std::vector<std::string> SqliteStore::eventTypes(std::size_t limit)
{
    auto& statement = m_db->cached(buildEventTypeSelect(limit).sql);
    std::vector<std::string> out;
    while (statement.step())
        out.push_back(statement.text(0));
    statement.reset();
    return out;
}

void SqliteStore::interrupt()
{
    // sqlite3_interrupt() is safe from any thread while the connection is open.
    sqlite3_interrupt(m_db->handle());
}

EventCount SqliteStore::countEvents(const EventQuery& query)
{
    EventCount count;
    if (query.isUnfiltered()) {
        // Positions are the rowid and events are never deleted, so they run 1..head without gaps: the count of
        // all events is the head, less the system events that one range on the stream index counts. A 10M-event
        // store counts in microseconds instead of a second's scan.
        auto single = [&](const std::string& sql) {
            auto& statement = m_db->cached(sql);
            statement.step();
            const std::int64_t value = statement.int64(0);
            statement.reset();
            return value;
        };
        const std::int64_t head = single("SELECT coalesce(max(position), 0) FROM events");
        const std::int64_t system
            = query.includeSystem ? 0 : single("SELECT count(*) FROM events WHERE stream >= '$' AND stream < '%'");
        count.count = head - system;
        if (count.count > 0) {
            EventQuery edge = query;
            edge.fromPosition.reset(); // a count leaves the paging key aside
            edge.fromVersion.reset();
            edge.backward = false;
            edge.limit = 1;
            count.firstPosition = read(edge).events.at(0).position;
            edge.backward = true;
            count.lastPosition = read(edge).events.at(0).position;
        }
        return count;
    }
    const SqlSelect select = buildEventCount(SqlDialect::SQLite, query, {}, timeRangeAsPositions(query));
    auto& statement = m_db->cached(select.sql);
    statement.bindAll(select.values);
    statement.step();
    count.count = statement.int64(0);
    count.firstPosition = statement.int64(1);
    count.lastPosition = statement.int64(2);
    statement.reset();
    return count;
}

} // namespace eventscope
