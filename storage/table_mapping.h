#pragma once
// Which columns of an events table another system wrote hold which fields of the event (DESIGN §2, §3).
// Without a mapping file the columns are matched by the names in common use (guessMapping); a JSON mapping file
// names them where they differ, and may name a snapshot table.
//
// The mapping file (every member optional but "columns" is the usual reason to write one):
//
//   {
//     "table": "public.events",
//     "columns": {
//       "position": "seq", "stream": "aggregate_id", "version": "aggregate_version", "type": "kind",
//       "data": "body_json", "time": "recorded", "metadata": null, "id": "event_uuid",
//       "category": "aggregate_type", "schemaVersion": "event_version", "actor": "created_by",
//       "correlation": "correlation_id", "causation": "causation_id", "tenant": "tenant_id"
//     },
//     "snapshots": { "table": "snapshots", "stream": "aggregate_id", "version": "version", "state": "state" }
//   }
//
// A role the file leaves out is guessed from the table's column names as if there were no file; a role set to
// null (or "") says the table has no such column, so nothing is guessed for it. The snapshot table's columns are
// guessed the same way when "snapshots" names only its table. "table" is what the file was saved for; the STORE's
// ?table= is what is opened.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace eventscope {

// What a column holds, as far as the adapter needs to know to turn it into an event's field.
enum class ColumnKind {
    Integer,
    Real, // floating point or numeric
    Text,
    Json, // PostgreSQL json or jsonb
    Bytes, // bytea, or a SQLite BLOB
    LargeObject, // a PostgreSQL oid naming a large object (Axon's default for payloads)
    Uuid,
    Timestamp, // without a time zone: UTC (DESIGN §2)
    TimestampTz,
    Boolean,
    Other,
};

struct ColumnInfo
{
    std::string name; // as the catalog spells it
    std::string type; // the declared type (SQLite) or format_type() (PostgreSQL), for sentences
    ColumnKind kind = ColumnKind::Other;
};

// The kind of a SQLite column by its declared type, after SQLite's own affinity rules. SQLite keeps whatever
// value it is given, so the adapter still looks at each value's type where that matters (times).
ColumnKind sqliteColumnKind(std::string_view declaredType);
// The kind of a PostgreSQL column by its format_type() text.
ColumnKind postgresColumnKind(std::string_view formatType);

struct TableMapping
{
    std::string table;
    // Column names, each absent when the table has no such column.
    std::optional<std::string> position, stream, version, type, data, time, metadata, id, category, schemaVersion,
        actor, correlation, causation, tenant;
    // A table of snapshots the owning application wrote: the stream, the version the state is at, the state JSON.
    std::optional<std::string> snapshotTable, snapshotStream, snapshotVersion, snapshotState;

    bool operator==(const TableMapping&) const = default;
};

// One field a column may hold: the key of the mapping file, how sentences name it, where the mapping keeps it,
// and the column names recognised without a mapping, in the order they are tried. For the mapping editor too.
struct MappingRole
{
    const char* key; // "stream"
    const char* description; // "the stream"
    std::optional<std::string> TableMapping::*member;
    std::vector<const char*> candidates;
    bool required = false;
};
std::span<const MappingRole> mappingRoles();

// The mapping the names of DESIGN §3 give (case-insensitive; first match wins). Roles it cannot fill stay empty:
// checkMapping() says which of them matter.
TableMapping guessMapping(const std::string& table, const std::vector<ColumnInfo>& columns);

// The snapshot columns guessed from the snapshot table's own columns where the mapping leaves them out.
void guessSnapshotColumns(TableMapping& mapping, const std::vector<ColumnInfo>& snapshotColumns);

// Parses a mapping file. A role set to null or "" comes back as an empty name ("" in the optional): the file says
// there is no such column. Throws BadInput with a sentence naming what is wrong.
TableMapping mappingFromJson(const std::string& text);
// The mapping as a file: every role, null where there is no column, so that reading it back guesses nothing.
std::string mappingToJson(const TableMapping& mapping);

// The guessed mapping with the file's choices laid over it: a role the file names (or sets to none) replaces the
// guess. Empty names become absent roles.
TableMapping overlayMapping(const TableMapping& guessed, const TableMapping& file);

// Makes sure the mapping can be read: every column it names exists (names are then spelled as the catalog does),
// the stream, type and data have a column, and a position or a time orders the events. Throws BadInput with a
// sentence naming what is missing and the names that were looked for.
void checkMapping(TableMapping& mapping, const std::vector<ColumnInfo>& columns);
// The same for the snapshot columns, against the snapshot table's columns.
void checkSnapshotMapping(TableMapping& mapping, const std::vector<ColumnInfo>& snapshotColumns);

} // namespace eventscope
