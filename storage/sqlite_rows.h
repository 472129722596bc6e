#pragma once
// Row mapping shared by the SQLite store's files (internal to storage/).

#include "storage/event.h"
#include "storage/sqlite_db.h"

namespace eventscope::sqlite_rows {

inline constexpr const char* kEventColumns
    = "position, stream, version, id, type, time, data, metadata, correlation, causation, actor, schema_version, hash";

inline Event eventFromRow(const SqliteStatement& row)
{
    Event e;
    e.position = row.int64(0);
    e.stream = row.text(1);
    e.version = row.int64(2);
    e.id = row.text(3);
    e.type = row.text(4);
    e.time = row.int64(5);
    e.data = row.text(6);
    e.metadata = row.text(7);
    e.correlation = row.text(8);
    e.causation = row.text(9);
    e.actor = row.text(10);
    if (!row.isNull(11))
        e.schemaVersion = row.int64(11);
    e.hash = row.text(12);
    return e;
}

} // namespace eventscope::sqlite_rows
