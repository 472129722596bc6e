#include "storage/postgres_rows.h"

namespace eventscope {

Event eventFromPgRow(const pqxx::row& row)
{
    Event e;
    e.position = row[0].as<std::int64_t>();
    e.stream = fieldText(row[1]);
    e.version = row[2].as<std::int64_t>();
    e.id = fieldText(row[3]);
    e.type = fieldText(row[4]);
    e.time = row[5].as<std::int64_t>();
    e.data = fieldText(row[6]);
    e.metadata = fieldText(row[7]);
    e.correlation = fieldText(row[8]);
    e.causation = fieldText(row[9]);
    e.actor = fieldText(row[10]);
    if (!row[11].is_null())
        e.schemaVersion = row[11].as<std::int64_t>();
    e.hash = fieldText(row[12]);
    return e;
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

} // namespace eventscope
