#pragma once
// Builds the WHERE/ORDER BY/LIMIT of an event read for either SQL dialect, so that both native stores page
// by key the same way. Values are bound, never spliced into the text.

#include "storage/query.h"

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace eventscope {

using SqlValue = std::variant<std::int64_t, std::string>;

struct SqlSelect
{
    std::string sql;
    std::vector<SqlValue> values;
};

enum class SqlDialect { SQLite, PostgreSQL };

// Where a store knows that event times never decrease with position, a time range is a position range, which
// the primary key serves directly: the store passes it here and the time conditions are dropped.
struct PositionRange
{
    std::optional<std::int64_t> first;
    std::optional<std::int64_t> last;
};

// `columns` is the select list; `extraCondition` (may be empty) is ANDed in, e.g. PostgreSQL's visibility
// horizon. Asks for limit + 1 rows so the caller can tell whether another page follows; stream listings ask
// for exactly `limit`.
SqlSelect buildEventSelect(SqlDialect dialect, const std::string& columns, const EventQuery& query,
    const std::string& extraCondition = {}, const std::optional<PositionRange>& timeAsPositions = std::nullopt);

// count(*), min(position), max(position) of the events a query matches, ignoring its paging key.
SqlSelect buildEventCount(SqlDialect dialect, const EventQuery& query, const std::string& extraCondition = {},
    const std::optional<PositionRange>& timeAsPositions = std::nullopt);

// (name, stream count) of each category after `query.after`, in name order.
SqlSelect buildCategorySelect(SqlDialect dialect, const CategoryQuery& query);

// The distinct event types, in name order; the same SQL serves both dialects.
SqlSelect buildEventTypeSelect(std::size_t limit);

SqlSelect buildStreamSelect(SqlDialect dialect, const std::string& columns, const StreamQuery& query);

// Turns the limit + 1 rows into a page: trims the extra row and computes the next key.
void finishPage(EventPage& page, const EventQuery& query);

} // namespace eventscope
