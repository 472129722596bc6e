#pragma once
// Any events table (DESIGN §3): `mapped+sqlite:PATH?table=NAME[&mapping=FILE]` or
// `mapped+postgresql://…?table=NAME[&mapping=FILE]`, read-only. The table's columns are matched by name or by a
// mapping file (storage/table_mapping.h), and a common table expression presents them under the native column
// names, so the native SQL builder (storage/sql_filter.h) serves every filter and page:
//
//   WITH mapped AS (the table's columns as the event's fields), events AS (mapped with position and version)
//
// A table without a position column is ordered by time, then event ID: its positions are row numbers in that
// order. A table without a stream-version column numbers each stream's events from 1 in its order. Both are window
// functions over the whole table, so every page of such a table reads all of it: fine for the thousands of rows a
// hand-made table holds, slow for millions (map a position column then). Positions by row number move when a row
// with an earlier time arrives later.

#include "storage/read_only_store.h"
#include "storage/sql_filter.h"
#include "storage/store_uri.h"
#include "storage/table_mapping.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace eventscope {

class PostgresConnection;
class SqliteDb;

class MappedStore : public ReadOnlyStore
{
public:
    // Throws Unreachable when the database cannot be opened or has no such table; BadInput when the mapping file
    // cannot be read, or the table lacks a column the events need (the sentence names it and the names tried).
    explicit MappedStore(const StoreUri& uri);
    ~MappedStore() override;

    // The columns of the table a mapped STORE names, unchecked: what the mapping editor lists beside the guess.
    static std::vector<ColumnInfo> tableColumns(const StoreUri& uri);

    // The mapping in use: the guess with the mapping file laid over it, spelled as the catalog spells the columns.
    const TableMapping& mapping() const { return m_mapping; }

    StoreDescription describe() const override;
    EventPage read(const EventQuery& query) override;
    std::optional<StreamInfo> streamHead(const std::string& stream) override;
    std::vector<StreamInfo> streams(const StreamQuery& query) override;
    std::vector<CategoryInfo> categories(const CategoryQuery& query) override;
    std::vector<std::string> eventTypes(std::size_t limit) override;
    EventCount countEvents(const EventQuery& query) override;
    std::int64_t headPosition() override;
    std::optional<Event> eventById(const std::string& id) override;
    // The newest row of the mapped snapshot table at or before maxVersion, whatever reducer asks: the owning
    // application made it. Without a snapshot table, none.
    std::optional<Snapshot> loadSnapshot(
        const std::string& stream, std::int64_t maxVersion, const std::string& reducer) override;
    void interrupt() override;

protected:
    std::int64_t changeMarker() override;
    std::chrono::milliseconds pollInterval() const override;

private:
    using Row = std::vector<std::optional<std::string>>;

    struct Table
    {
        std::string sql; // the quoted, qualified name to put after FROM
        std::vector<ColumnInfo> columns;
    };

    struct Unchecked
    {
    };
    // Connects and nothing more, for tableColumns().
    MappedStore(const StoreUri& uri, Unchecked);

    // Opens the database only (no table yet).
    void connect();
    // The table's SQL name and columns; throws Unreachable when there is none.
    Table findTable(const std::string& name);
    void readMappingFile();
    // Builds the common table expressions from the checked mapping (mapped_store_source.cpp).
    void buildSources(const Table& table);
    bool decideVersionsFromZero();

    // Runs a select and hands back each row's `columns` fields as text, NULL as empty optionals.
    std::vector<Row> run(const SqlSelect& select, std::size_t columns);
    std::vector<Row> run(const std::string& sql, std::vector<SqlValue> values, std::size_t columns);
    // "?" for SQLite, "$n" for PostgreSQL.
    std::string parameter(int n) const;
    Event eventFromRow(const Row& row) const;
    const char* eventColumns() const;
    std::string timeColumn() const;

    StoreUri m_uri;
    SqlDialect m_dialect;
    std::unique_ptr<SqliteDb> m_sqlite;
    std::unique_ptr<PostgresConnection> m_pg;
    TableMapping m_mapping;
    std::optional<TableMapping> m_file; // the mapping file's choices, when one was given
    std::string m_eventsSource; // "WITH mapped AS (…), events AS (…) "
    std::string m_streamsSource; // the same, and streams AS (…)
    std::string m_snapshotSql; // the snapshot table, quoted and qualified; empty without one
    std::vector<ColumnInfo> m_snapshotColumns;
    std::string m_snapshotSelect; // its newest row for (stream, max version)
    bool m_versionsFromZero = false;
};

} // namespace eventscope
