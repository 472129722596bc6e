#include "storage/postgres_rows.h"

#include "storage/conventions.h"

#include <charconv>

namespace eventscope {

Event eventFromPgRow(const pqxx::row& row)
{
    // One iterator walks the columns: row[i] makes a field that copies the row's result handle each time, which
    // was a good part of an adapter's decoding.
    auto f = row.begin();
    Event e;
    e.position = f->as<std::int64_t>();
    e.stream = fieldText(*++f);
    e.version = (++f)->as<std::int64_t>();
    e.id = fieldText(*++f);
    e.type = fieldText(*++f);
    e.time = (++f)->as<std::int64_t>();
    e.data = fieldText(*++f);
    e.metadata = fieldText(*++f);
    e.correlation = fieldText(*++f);
    e.causation = fieldText(*++f);
    e.actor = fieldText(*++f);
    if (!(++f)->is_null()) {
        // Adapters select the metadata's text as it is: a whole number becomes the schema version, anything else
        // none. Parsed here, because a pattern test in the query cost a tenth of a page's time in the server.
        const char* text = f->c_str();
        const char* end = text + f->size();
        std::int64_t number = 0;
        const auto [stop, error] = std::from_chars(text, end, number);
        if (error == std::errc() && stop == end)
            e.schemaVersion = number;
    }
    e.hash = fieldText(*++f);
    return e;
}

StreamInfo streamFromPgRow(const pqxx::row& row)
{
    StreamInfo info;
    info.name = fieldText(row[0]);
    info.category = fieldText(row[1]);
    info.version = row[2].as<std::int64_t>();
    info.firstTime = row[3].as<std::int64_t>();
    info.lastTime = row[4].as<std::int64_t>();
    info.lastPosition = row[5].as<std::int64_t>();
    info.count = row[6].as<std::int64_t>();
    return info;
}

namespace {

// The first key present (and not null), as text, like Conventions::derive.
std::string firstKey(const std::string& column, const std::vector<std::string>& keys)
{
    std::string sql = "coalesce(";
    for (const std::string& key : keys)
        sql += column + "->>'" + key + "', ";
    return sql + "NULL)";
}

} // namespace

std::string pgDerivedColumns(const std::string& metadataColumn)
{
    const Conventions& conventions = Conventions::defaults();
    const std::string schemaVersion = firstKey(metadataColumn, conventions.schemaVersion);
    return "coalesce(" + firstKey(metadataColumn, conventions.correlation) + ", '') AS correlation, coalesce("
        + firstKey(metadataColumn, conventions.causation) + ", '') AS causation, coalesce("
        + firstKey(metadataColumn, conventions.actor) + ", '') AS actor, " + schemaVersion
        + " AS schema_version"; // text: eventFromPgRow() keeps it when it is a whole number
}

std::vector<std::string> pgParameterTexts(const std::vector<SqlValue>& values)
{
    std::vector<std::string> out;
    out.reserve(values.size());
    for (const auto& value : values) {
        if (const auto* number = std::get_if<std::int64_t>(&value))
            out.push_back(std::to_string(*number));
        else
            out.push_back(std::get<std::string>(value));
    }
    return out;
}

pqxx::result runPgSelect(PostgresConnection& db, const SqlSelect& select)
{
    const std::vector<std::string> values = pgParameterTexts(select.values);
    return pqxx::nontransaction(db.raw()).exec_prepared(
        db.statement(select.sql), pqxx::prepare::make_dynamic_params(values));
}

std::vector<CategoryInfo> pgAdapterCategories(PostgresConnection& db, const std::string& category,
    const std::string& streams, const std::string& from, const std::string& where, const std::string& stream,
    const CategoryQuery& query)
{
    // PostgreSQL takes an output name alone in ORDER BY but not inside COLLATE, so the expression is written out.
    std::string sql = "SELECT " + category + " AS c, count(DISTINCT " + streams + ") FROM " + from + " WHERE (" + where
        + ") AND " + category + " COLLATE \"C\" > $1";
    if (!query.includeSystem)
        sql += " AND left(" + stream + ", 1) <> '$'";
    sql += " GROUP BY c ORDER BY " + category + " COLLATE \"C\" LIMIT " + std::to_string(query.limit);
    std::vector<CategoryInfo> categories;
    for (const auto& row :
        pqxx::nontransaction(db.raw()).exec_prepared(db.statement(sql), query.after.value_or(std::string())))
        categories.push_back({ fieldText(row[0]), row[1].as<std::int64_t>() });
    return categories;
}

std::vector<StreamInfo> pgAdapterStreams(PostgresConnection& db, const std::string& source, const StreamQuery& query)
{
    SqlSelect select = buildStreamSelect(SqlDialect::PostgreSQL, kPgAdapterStreamColumns, query);
    select.sql = source + select.sql;
    std::vector<StreamInfo> streams;
    for (const auto& row : runPgSelect(db, select))
        streams.push_back(streamFromPgRow(row));
    return streams;
}

std::vector<std::string> pgTextColumn(PostgresConnection& db, const std::string& sql, std::int64_t limit)
{
    std::vector<std::string> texts;
    for (const auto& row : pqxx::nontransaction(db.raw()).exec_prepared(db.statement(sql), limit))
        texts.push_back(fieldText(row[0]));
    return texts;
}

EventCount pgEventCount(PostgresConnection& db, const SqlSelect& select)
{
    const pqxx::row row = runPgSelect(db, select)[0];
    return EventCount { row[0].as<std::int64_t>(), row[1].as<std::int64_t>(), row[2].as<std::int64_t>(), true };
}

} // namespace eventscope
