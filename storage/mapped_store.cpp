#include "storage/mapped_store.h"

#include "storage/conventions.h"
#include "storage/error.h"
#include "storage/postgres_connection.h"
#include "storage/postgres_rows.h"
#include "storage/sqlite_db.h"

#include <sqlite3.h>

#include <charconv>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

namespace eventscope {
namespace {

std::string quoted(const std::string& name)
{
    std::string out = "\"";
    for (const char c : name)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

std::int64_t number(const std::optional<std::string>& field)
{
    std::int64_t value = 0;
    if (field)
        std::from_chars(field->data(), field->data() + field->size(), value);
    return value;
}

} // namespace

MappedStore::MappedStore(const StoreUri& uri)
    : ReadOnlyStore("mapped table")
    , m_uri(uri)
    , m_dialect(uri.kind == StoreUri::Kind::Postgres ? SqlDialect::PostgreSQL : SqlDialect::SQLite)
{
    if (m_uri.table.empty())
        fail(ErrorKind::BadInput, "a mapped store needs ?table=NAME");
    readMappingFile();
    connect();
    const Table table = findTable(m_uri.table);
    const TableMapping guessed = guessMapping(m_uri.table, table.columns);
    m_mapping = m_file ? overlayMapping(guessed, *m_file) : guessed;
    checkMapping(m_mapping, table.columns);
    if (m_mapping.snapshotTable) {
        const Table snapshots = findTable(*m_mapping.snapshotTable);
        m_snapshotSql = snapshots.sql;
        m_snapshotColumns = snapshots.columns;
        guessSnapshotColumns(m_mapping, m_snapshotColumns);
        checkSnapshotMapping(m_mapping, m_snapshotColumns);
    }
    buildSources(table);
    m_versionsFromZero = decideVersionsFromZero();
}

MappedStore::~MappedStore() = default;

std::vector<ColumnInfo> MappedStore::tableColumns(const StoreUri& uri)
{
    if (uri.table.empty())
        fail(ErrorKind::BadInput, "a mapped store needs ?table=NAME");
    // Only what connecting and the catalog need: a table the mapping cannot read yet is what the editor is for.
    std::unique_ptr<MappedStore> store(new MappedStore(uri, Unchecked {}));
    return store->findTable(uri.table).columns;
}

MappedStore::MappedStore(const StoreUri& uri, Unchecked)
    : ReadOnlyStore("mapped table")
    , m_uri(uri)
    , m_dialect(uri.kind == StoreUri::Kind::Postgres ? SqlDialect::PostgreSQL : SqlDialect::SQLite)
{
    connect();
}

void MappedStore::connect()
{
    if (m_dialect == SqlDialect::PostgreSQL) {
        m_pg = std::make_unique<PostgresConnection>(m_uri);
        return;
    }
    m_sqlite = std::make_unique<SqliteDb>(m_uri.path, false);
    // Another system's file: this connection must never change it, whatever a query says.
    m_sqlite->exec("PRAGMA query_only = ON");
}

void MappedStore::readMappingFile()
{
    if (m_uri.mapping.empty())
        return;
    std::ifstream in(m_uri.mapping, std::ios::binary);
    std::stringstream text;
    if (!in)
        fail(ErrorKind::BadInput, "cannot read the mapping file " + m_uri.mapping);
    text << in.rdbuf(); // an empty file reads as nothing, which is then not JSON
    try {
        m_file = mappingFromJson(text.str());
    } catch (const Error& e) {
        // mappingFromJson speaks of "the mapping"; here it has a file name.
        std::string message = e.what();
        const std::string subject = "the mapping";
        if (message.rfind(subject, 0) == 0)
            message = "the mapping file " + m_uri.mapping + message.substr(subject.size());
        fail(e.kind, message);
    }
}

MappedStore::Table MappedStore::findTable(const std::string& name)
{
    const std::string where = m_dialect == SqlDialect::SQLite ? m_uri.path : m_uri.display;
    auto missing = [&]() { fail(ErrorKind::Unreachable, "there is no table " + name + " in " + where); };
    Table table;
    if (m_dialect == SqlDialect::SQLite) {
        const auto dot = name.find('.');
        const std::string schema = dot == std::string::npos ? "main" : name.substr(0, dot);
        const std::string bare = dot == std::string::npos ? name : name.substr(dot + 1);
        for (const Row& row : run("SELECT name, type FROM pragma_table_info(?, ?) ORDER BY cid", { bare, schema }, 2))
            table.columns.push_back(
                { row[0].value_or(""), row[1].value_or(""), sqliteColumnKind(row[1].value_or("")) });
        if (table.columns.empty())
            missing();
        // Qualified, so that a table called "events" is never taken for the common table expression of that name.
        table.sql = quoted(schema) + "." + quoted(bare);
        return table;
    }
    // to_regclass() raises on a malformed name instead of answering NULL, so only names it can parse go to it.
    static const std::regex pgName(R"re(^(("[^"]+"|[A-Za-z_][A-Za-z0-9_$]*)\.)?("[^"]+"|[A-Za-z_][A-Za-z0-9_$]*)$)re");
    std::smatch parts;
    if (!std::regex_match(name, parts, pgName))
        fail(ErrorKind::BadInput, "'" + name + "' is not a PostgreSQL table name (write NAME or SCHEMA.NAME)");
    // Unquoted names fold to lower case, as PostgreSQL folds them; a table created with capitals is found too.
    auto exact = [](const std::string& part) { return part.empty() || part.front() == '"' ? part : quoted(part); };
    const std::string exactName = (parts[2].matched ? exact(parts[2].str()) + "." : "") + exact(parts[3].str());
    const auto found = run("SELECT c.oid::bigint, quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM "
                           "pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = "
                           "coalesce(to_regclass($1), to_regclass($2))",
        { name, exactName }, 2);
    if (found.empty())
        missing();
    table.sql = found[0][1].value_or("");
    for (const Row& row : run("SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = "
                              "$1::bigint::oid AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
             { found[0][0].value_or("0") }, 2))
        table.columns.push_back({ row[0].value_or(""), row[1].value_or(""), postgresColumnKind(row[1].value_or("")) });
    return table;
}

bool MappedStore::decideVersionsFromZero()
{
    if (!m_mapping.version)
        return false; // numbered here, from 1
    // One stream's first version tells: a store numbers all its streams alike. Asking one stream is an index probe
    // where min(version) over the table would read all of it on every open.
    const auto rows = run(m_eventsSource
            + "SELECT min(version) FROM mapped WHERE stream = (SELECT stream FROM mapped WHERE stream IS NOT NULL "
              "LIMIT 1)",
        {}, 1);
    return !rows.empty() && rows[0][0] && number(rows[0][0]) == 0;
}

std::vector<MappedStore::Row> MappedStore::run(const SqlSelect& select, std::size_t columns)
{
    std::vector<Row> rows;
    if (m_pg) {
        m_pg->guarded([&] {
            for (const auto& result : runPgSelect(*m_pg, select)) {
                Row row;
                for (std::size_t i = 0; i < columns; ++i)
                    row.push_back(result[static_cast<int>(i)].is_null()
                            ? std::nullopt
                            : std::optional<std::string>(fieldText(result[static_cast<int>(i)])));
                rows.push_back(std::move(row));
            }
        });
        return rows;
    }
    SqliteStatement& statement = m_sqlite->cached(select.sql);
    statement.bindAll(select.values);
    while (statement.step()) {
        Row row;
        for (std::size_t i = 0; i < columns; ++i) {
            const int column = static_cast<int>(i);
            row.push_back(statement.isNull(column) ? std::nullopt : std::optional<std::string>(statement.text(column)));
        }
        rows.push_back(std::move(row));
    }
    statement.reset(); // an unfinished statement would pin this connection's snapshot
    return rows;
}

std::vector<MappedStore::Row> MappedStore::run(
    const std::string& sql, std::vector<SqlValue> values, std::size_t columns)
{
    return run(SqlSelect { sql, std::move(values) }, columns);
}

std::string MappedStore::parameter(int n) const
{
    return m_dialect == SqlDialect::SQLite ? std::string("?") : "$" + std::to_string(n);
}

std::string MappedStore::timeColumn() const
{
    // The names sql_filter.cpp filters time on.
    return m_dialect == SqlDialect::SQLite ? "time" : "time_us";
}

const char* MappedStore::eventColumns() const
{
    return m_dialect == SqlDialect::SQLite ? "position, stream, version, id, type, time, data, metadata, correlation, "
                                             "causation, actor, schema_version"
                                           : "position, stream, version, id, type, time_us, data, metadata, "
                                             "correlation, causation, actor, schema_version";
}

Event MappedStore::eventFromRow(const Row& row) const
{
    Event e;
    e.position = number(row[0]);
    e.stream = row[1].value_or("");
    e.version = number(row[2]);
    e.id = row[3].value_or("");
    e.type = row[4].value_or("");
    e.time = number(row[5]);
    e.data = row[6].value_or("null");
    e.metadata = row[7].value_or("{}");
    // The metadata's keys give the derived fields as a native append would; a mapped column, where it holds a
    // value, wins over them (the SQL filters the same way).
    Conventions::defaults().rederive(e);
    auto fromColumn
        = [](std::string& field, const std::optional<std::string>& column, const std::optional<std::string>& value) {
              if (column && value && !value->empty())
                  field = *value;
          };
    fromColumn(e.correlation, m_mapping.correlation, row[8]);
    fromColumn(e.causation, m_mapping.causation, row[9]);
    fromColumn(e.actor, m_mapping.actor, row[10]);
    if (m_mapping.schemaVersion && row[11])
        e.schemaVersion = number(row[11]);
    return e;
}

StoreDescription MappedStore::describe() const
{
    StoreDescription description;
    description.kind = "mapped";
    description.uri = m_uri.display;
    description.readOnly = true;
    description.versionsFromZero = m_versionsFromZero;
    return description;
}

std::optional<Snapshot> MappedStore::loadSnapshot(
    const std::string& stream, std::int64_t maxVersion, const std::string&)
{
    if (m_snapshotSelect.empty())
        return std::nullopt;
    const auto rows = run(m_snapshotSelect, { stream, maxVersion }, 2);
    if (rows.empty())
        return std::nullopt;
    Snapshot snapshot;
    snapshot.stream = stream;
    snapshot.version = number(rows[0][0]);
    snapshot.reducer = "table:" + *m_mapping.snapshotTable;
    snapshot.state = rows[0][1].value_or("null");
    // The table keeps no time of its own that Eventscope can trust: the snapshot holds the events up to its
    // version, so it stands for the latest of their times (a replay to an earlier time must not use it).
    const auto time = run(m_eventsSource + "SELECT max(" + timeColumn() + ") FROM events WHERE stream = " + parameter(1)
            + " AND version <= " + parameter(2),
        { stream, snapshot.version }, 1);
    snapshot.time = time.empty() ? 0 : number(time[0][0]);
    return snapshot;
}

std::int64_t MappedStore::changeMarker()
{
    // SQLite's data_version moves when another connection commits; PostgreSQL's head is one index probe where
    // there is a position column.
    return m_sqlite ? number(run("PRAGMA data_version", {}, 1).at(0)[0]) : headPosition();
}

std::chrono::milliseconds MappedStore::pollInterval() const
{
    return m_sqlite ? std::chrono::milliseconds(20) : std::chrono::milliseconds(250);
}

void MappedStore::interrupt()
{
    if (m_pg)
        m_pg->cancel();
    else if (m_sqlite)
        sqlite3_interrupt(m_sqlite->handle()); // safe from any thread while the connection is open
}

} // namespace eventscope
