// The SQL that presents a mapped table under the native column names (see mapped_store.h): one expression per
// field, chosen by the dialect and by what the column holds.

#include "storage/conventions.h"
#include "storage/mapped_store.h"

namespace eventscope {
namespace {

std::string quoted(const std::string& name)
{
    std::string out = "\"";
    for (const char c : name)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

std::string literal(const std::string& text)
{
    std::string out = "'";
    for (const char c : text)
        out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
}

// Epoch numbers in seconds, milliseconds or microseconds, told apart by size: 1e11 seconds and 1e14 milliseconds
// both lie in the year 5138, far from any real event.
std::string epochMicros(const std::string& value)
{
    return "CASE WHEN abs(" + value + ") < 100000000000 THEN " + value + " * 1000000 WHEN abs(" + value
        + ") < 100000000000000 THEN " + value + " * 1000 ELSE " + value + " END";
}

class Expressions
{
public:
    Expressions(SqlDialect dialect, const std::vector<ColumnInfo>& columns)
        : m_pg(dialect == SqlDialect::PostgreSQL)
        , m_columns(columns)
    {
    }

    ColumnKind kind(const std::string& column) const
    {
        for (const ColumnInfo& info : m_columns)
            if (info.name == column)
                return info.kind;
        return ColumnKind::Other;
    }

    std::string type(const std::string& column) const
    {
        for (const ColumnInfo& info : m_columns)
            if (info.name == column)
                return info.type;
        return {};
    }

    std::string text(const std::string& column) const
    {
        const std::string c = quoted(column);
        if (!m_pg)
            return kind(column) == ColumnKind::Text ? c : "CAST(" + c + " AS TEXT)";
        switch (kind(column)) {
        case ColumnKind::Text:
            return type(column) == "text" ? c : c + "::text"; // varchar: a relabelling that keeps its index usable
        case ColumnKind::Bytes:
            return "convert_from(" + c + ", 'UTF8')";
        case ColumnKind::LargeObject:
            return "convert_from(lo_get(" + c + "), 'UTF8')";
        default:
            return c + "::text";
        }
    }

    std::string bigint(const std::string& column) const
    {
        const std::string c = quoted(column);
        if (!m_pg)
            return kind(column) == ColumnKind::Integer ? c : "CAST(" + c + " AS INTEGER)";
        switch (kind(column)) {
        case ColumnKind::Integer:
            return type(column) == "bigint" ? c : c + "::bigint";
        case ColumnKind::Real:
            return "trunc(" + c + ")::bigint";
        default:
            return leadingNumber(column);
        }
    }

    // The number a text like "1.0" or "2" begins with, NULL when it begins with none ("v2").
    std::string leadingNumber(const std::string& column) const
    {
        if (kind(column) == ColumnKind::Integer)
            return bigint(column);
        if (m_pg)
            return "NULLIF(substring(" + text(column) + " from '^ *([0-9]+)'), '')::bigint";
        const std::string t = "trim(" + text(column) + ")";
        return "CASE WHEN " + t + " GLOB '[0-9]*' THEN CAST(" + t + " AS INTEGER) END";
    }

    // Microseconds since the epoch, UTC.
    std::string micros(const std::string& column) const
    {
        const std::string c = quoted(column);
        if (!m_pg)
            return sqliteMicros(c);
        switch (kind(column)) {
        case ColumnKind::Timestamp: // extract(epoch) reads a time without a zone as UTC
        case ColumnKind::TimestampTz:
            return "(extract(epoch FROM " + c + ") * 1000000)::bigint";
        case ColumnKind::Integer:
            return "(" + epochMicros(c) + ")::bigint";
        case ColumnKind::Real:
            return "round(" + epochMicros(c) + ")::bigint";
        case ColumnKind::Text: {
            // A text time with an offset is that instant; one without is UTC (DESIGN §2), whatever the session's
            // time zone says.
            const std::string t = text(column);
            return "(extract(epoch FROM CASE WHEN " + t + " ~ '[0-9](Z|z|[+-][0-9][0-9](:?[0-9][0-9])?)$' THEN " + t
                + "::timestamptz ELSE " + t + "::timestamp AT TIME ZONE 'UTC' END) * 1000000)::bigint";
        }
        default:
            return "0";
        }
    }

    // The metadata as a JSON object to extract keys from; NULL where it is not one.
    std::string jsonObject(const std::string& column) const
    {
        if (!m_pg)
            return "CASE WHEN json_valid(" + text(column) + ") THEN " + text(column) + " END";
        if (kind(column) == ColumnKind::Json)
            return quoted(column);
        if (kind(column) == ColumnKind::Text || kind(column) == ColumnKind::Bytes)
            return "(CASE WHEN " + text(column) + " ~ '^[[:space:]]*[{]' THEN (" + text(column) + ")::jsonb END)";
        return "NULL::jsonb";
    }

    std::string jsonKey(const std::string& object, const std::string& key) const
    {
        if (m_pg)
            return object + "->>" + literal(key);
        std::string path = "$.\"";
        for (const char c : key)
            path += c == '"' ? std::string("\\\"") : std::string(1, c);
        return "CAST(json_extract(" + object + ", " + literal(path + "\"") + ") AS TEXT)";
    }

    std::string categoryOf(const std::string& stream) const
    {
        if (m_pg)
            return "split_part(" + stream + ", '-', 1)";
        return "CASE WHEN instr(" + stream + ", '-') > 0 THEN substr(" + stream + ", 1, instr(" + stream
            + ", '-') - 1) ELSE " + stream + " END";
    }

private:
    // SQLite keeps whatever a row was given, so the expression looks at each value: epoch numbers by their size,
    // ISO 8601 text by strftime('%s') for the seconds and its own digits for the fraction (julianday() keeps only
    // milliseconds).
    static std::string sqliteMicros(const std::string& c)
    {
        const std::string dot = "substr(" + c + ", 20, 1) = '.'";
        // The fraction's digits: '1' in front keeps leading zeros, CAST stops at the first non-digit.
        const std::string fraction = "CASE WHEN " + dot + " THEN substr(CAST(CAST('1' || substr(" + c
            + ", 21, 9) AS INTEGER) AS TEXT), 2) ELSE '' END";
        const std::string seconds = "CAST(strftime('%s', substr(" + c + ", 1, 19) || substr(" + c + ", 20 + (" + dot
            + ") + length(" + fraction + "))) AS INTEGER)";
        const std::string iso = seconds + " * 1000000 + CAST(substr((" + fraction + ") || '000000', 1, 6) AS INTEGER)";
        return "CASE typeof(" + c + ") WHEN 'integer' THEN " + epochMicros(c) + " WHEN 'real' THEN CAST(round("
            + epochMicros(c) + ") AS INTEGER) WHEN 'text' THEN " + iso + " ELSE 0 END";
    }

    bool m_pg;
    const std::vector<ColumnInfo>& m_columns;
};

} // namespace

void MappedStore::buildSources(const Table& table)
{
    const TableMapping& m = m_mapping;
    const Expressions x(m_dialect, table.columns);
    const bool pg = m_dialect == SqlDialect::PostgreSQL;
    const std::string time = timeColumn();
    const Conventions& conventions = Conventions::defaults();

    const std::string stream = x.text(*m.stream);
    std::string mapped = "SELECT " + stream + " AS stream, ";
    mapped += (m.category ? "coalesce(nullif(" + x.text(*m.category) + ", ''), " + x.categoryOf(stream) + ")"
                          : x.categoryOf(stream))
        + " AS category, ";
    mapped += x.text(*m.type) + " AS type, ";
    mapped += (m.id ? x.text(*m.id) : std::string("''")) + " AS id, ";
    mapped += (m.time ? "coalesce(" + x.micros(*m.time) + ", 0)" : std::string("0")) + " AS " + time + ", ";
    mapped += "coalesce(" + x.text(*m.data) + ", 'null') AS data, ";
    mapped += (m.metadata ? "coalesce(" + x.text(*m.metadata) + ", '{}')" : std::string("'{}'")) + " AS metadata, ";
    // Derived fields for the filters: the mapped column where it has a value, else the metadata's keys by the
    // default conventions. Reading rederives them the same way (MappedStore::eventFromRow).
    auto derived = [&](const std::optional<std::string>& column, const std::vector<std::string>& keys) {
        std::string sql;
        if (column)
            sql += "nullif(" + x.text(*column) + ", ''), ";
        if (m.metadata) {
            const std::string object = x.jsonObject(*m.metadata);
            for (const std::string& key : keys)
                sql += x.jsonKey(object, key) + ", ";
        }
        return sql.empty() ? std::string("''") : "coalesce(" + sql + "'')";
    };
    mapped += derived(m.correlation, conventions.correlation) + " AS correlation, ";
    mapped += derived(m.causation, conventions.causation) + " AS causation, ";
    mapped += derived(m.actor, conventions.actor) + " AS actor, ";
    mapped += (m.schemaVersion ? x.leadingNumber(*m.schemaVersion) : std::string(pg ? "NULL::bigint" : "NULL"))
        + " AS schema_version";
    if (m.position)
        mapped += ", " + x.bigint(*m.position) + " AS position";
    if (m.version)
        mapped += ", " + x.bigint(*m.version) + " AS version";
    mapped += " FROM " + table.sql;

    // The order of the rows: the position column, else time and then the event ID (and, for rows that tie on
    // both, their stream and version, so that the numbering does not change between reads).
    std::string order = m.position ? "position" : time + (m.id ? ", id" : "") + ", stream";
    if (!m.position && m.version)
        order += ", version";
    const std::string position = m.position ? "position" : "row_number() OVER (ORDER BY " + order + ")";
    const std::string version
        = m.version ? "version" : "row_number() OVER (PARTITION BY stream ORDER BY " + order + ")";
    const std::string inlined = pg ? " AS NOT MATERIALIZED (" : " AS (";
    m_eventsSource = "WITH mapped" + inlined + mapped + "), events" + inlined + "SELECT " + position
        + " AS position, stream, " + version + " AS version, id, type, category, " + time
        + ", data, metadata, correlation, causation, actor, schema_version, '' AS hash FROM mapped) ";

    // Stream names compare bytewise, as the native stores list them (sql_filter.cpp pages by name ranges).
    const std::string name = pg ? "stream COLLATE \"C\"" : "stream";
    m_streamsSource = m_eventsSource.substr(0, m_eventsSource.size() - 1) + ", streams" + inlined + "SELECT " + name
        + " AS name, min(category) AS category, max(version) AS version, count(*) AS events, min(" + time
        + ") AS first_time, max(" + time + ") AS last_time, max(position) AS last_position FROM events GROUP BY " + name
        + ") ";

    if (m.snapshotTable) {
        const Expressions s(m_dialect, m_snapshotColumns);
        m_snapshotSelect = "SELECT " + s.bigint(*m.snapshotVersion) + " AS v, " + s.text(*m.snapshotState) + " FROM "
            + m_snapshotSql + " WHERE " + s.text(*m.snapshotStream) + " = " + parameter(1) + " AND "
            + s.bigint(*m.snapshotVersion) + " <= " + parameter(2) + " ORDER BY v DESC LIMIT 1";
    }
}

} // namespace eventscope
