#include "storage/table_mapping.h"

#include "storage/error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

namespace eventscope {
namespace {

std::string lower(std::string_view text)
{
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

bool contains(std::string_view text, std::string_view part)
{
    return text.find(part) != std::string_view::npos;
}

bool startsWith(std::string_view text, std::string_view prefix)
{
    return text.substr(0, prefix.size()) == prefix;
}

const std::vector<MappingRole>& roles()
{
    // The names of DESIGN §3, in the order they are tried.
    static const std::vector<MappingRole> all {
        { "position", "the position", &TableMapping::position,
            { "global_position", "seq_id", "global_index", "position" } },
        { "stream", "the stream", &TableMapping::stream,
            { "stream_name", "stream_id", "aggregate_id", "entity_id", "aggregate_identifier" }, true },
        { "version", "the stream version", &TableMapping::version,
            { "version", "stream_position", "sequence_number", "sequencenumber", "event_number" } },
        { "type", "the type", &TableMapping::type, { "type", "event_type", "message_type", "payload_type" }, true },
        { "data", "the data", &TableMapping::data, { "data", "event_data", "payload", "message_data", "body" }, true },
        { "time", "the time", &TableMapping::time,
            { "time", "timestamp", "created_at", "created", "event_time", "time_stamp" } },
        { "metadata", "the metadata", &TableMapping::metadata,
            { "metadata", "meta_data", "message_metadata", "headers" } },
        { "id", "the event ID", &TableMapping::id, { "event_id", "id", "message_id", "event_identifier" } },
        { "category", "the category", &TableMapping::category,
            { "aggregate_type", "aggregate_name", "stream_category" } },
        { "schemaVersion", "the schema version", &TableMapping::schemaVersion, { "event_version", "schema_version" } },
        { "actor", "the actor", &TableMapping::actor, { "created_by", "user_id" } },
        { "correlation", "the correlation ID", &TableMapping::correlation, { "correlation_id" } },
        { "causation", "the causation ID", &TableMapping::causation, { "causation_id" } },
        { "tenant", "the tenant", &TableMapping::tenant, { "tenant_id" } },
    };
    return all;
}

const std::vector<MappingRole>& snapshotRoles()
{
    static const std::vector<MappingRole> all {
        { "stream", "the stream", &TableMapping::snapshotStream, roles()[1].candidates, true },
        { "version", "the version", &TableMapping::snapshotVersion, roles()[2].candidates, true },
        { "state", "the state", &TableMapping::snapshotState,
            { "state", "snapshot", "data", "payload", "body", "serialized_state" }, true },
    };
    return all;
}

const MappingRole& role(std::optional<std::string> TableMapping::*member)
{
    for (const MappingRole& r : roles())
        if (r.member == member)
            return r;
    return roles().front();
}

const ColumnInfo* findColumn(const std::vector<ColumnInfo>& columns, std::string_view name)
{
    const std::string wanted = lower(name);
    for (const ColumnInfo& column : columns)
        if (lower(column.name) == wanted)
            return &column;
    return nullptr;
}

// The first candidate the table has that no other role took, as the catalog spells it.
std::optional<std::string> firstOf(const std::vector<ColumnInfo>& columns, const std::vector<const char*>& candidates,
    const std::vector<std::string>& taken = {})
{
    for (const char* candidate : candidates) {
        const ColumnInfo* column = findColumn(columns, candidate);
        if (column && std::find(taken.begin(), taken.end(), column->name) == taken.end())
            return column->name;
    }
    return std::nullopt;
}

std::string joined(const std::vector<const char*>& names)
{
    std::string out;
    for (const char* name : names)
        out += (out.empty() ? "" : ", ") + std::string(name);
    return out;
}

std::string lookedFor(const MappingRole& r)
{
    return std::string(r.description) + " (looked for " + joined(r.candidates) + ")";
}

// "a, b or c"
std::string alternatives(const std::vector<std::string>& parts)
{
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i)
        out += (i == 0 ? "" : i + 1 == parts.size() ? " or " : ", ") + parts[i];
    return out;
}

// Every column a role names exists; the name is then spelled as the catalog spells it.
void checkNamedColumns(TableMapping& mapping, const std::vector<MappingRole>& checked,
    const std::vector<ColumnInfo>& columns, const std::string& tableWords)
{
    for (const MappingRole& r : checked) {
        auto& name = mapping.*(r.member);
        if (!name)
            continue;
        const ColumnInfo* column = findColumn(columns, *name);
        if (!column)
            fail(ErrorKind::BadInput,
                "the mapping names the column " + *name + " for " + r.description + ", but " + tableWords
                    + " has no such column");
        name = column->name;
    }
}

void checkRequired(const TableMapping& mapping, const std::vector<MappingRole>& checked, const std::string& tableWords)
{
    std::vector<std::string> missing;
    for (const MappingRole& r : checked)
        if (r.required && !(mapping.*(r.member)))
            missing.push_back(lookedFor(r));
    if (!missing.empty())
        fail(ErrorKind::BadInput, tableWords + " has no column for " + alternatives(missing));
}

std::optional<std::string> optionalName(const nlohmann::json& value, const std::string& where)
{
    if (value.is_null())
        return std::string(); // the file says there is no such column
    if (!value.is_string())
        fail(ErrorKind::BadInput, "the mapping's " + where + " is not a column name or null");
    return value.get<std::string>();
}

nlohmann::ordered_json nameOrNull(const std::optional<std::string>& name)
{
    return name && !name->empty() ? nlohmann::ordered_json(*name) : nlohmann::ordered_json(nullptr);
}

} // namespace

ColumnKind sqliteColumnKind(std::string_view declaredType)
{
    // SQLite's affinity rules (section 3.1 of its datatype page), in their order, with JSON and UUID as text.
    const std::string type = lower(declaredType);
    if (contains(type, "int"))
        return ColumnKind::Integer;
    if (contains(type, "char") || contains(type, "clob") || contains(type, "text") || contains(type, "json")
        || contains(type, "uuid"))
        return ColumnKind::Text;
    if (type.empty() || contains(type, "blob"))
        return ColumnKind::Bytes;
    if (contains(type, "real") || contains(type, "floa") || contains(type, "doub"))
        return ColumnKind::Real;
    return ColumnKind::Other;
}

ColumnKind postgresColumnKind(std::string_view formatType)
{
    const std::string type = lower(formatType);
    if (type == "bigint" || type == "integer" || type == "smallint")
        return ColumnKind::Integer;
    if (startsWith(type, "numeric") || type == "real" || type == "double precision")
        return ColumnKind::Real;
    if (type == "text" || startsWith(type, "character") || type == "name" || type == "citext")
        return ColumnKind::Text;
    if (type == "json" || type == "jsonb")
        return ColumnKind::Json;
    if (type == "bytea")
        return ColumnKind::Bytes;
    if (type == "oid")
        return ColumnKind::LargeObject;
    if (type == "uuid")
        return ColumnKind::Uuid;
    if (startsWith(type, "timestamp"))
        return contains(type, "with time zone") ? ColumnKind::TimestampTz : ColumnKind::Timestamp;
    if (type == "boolean")
        return ColumnKind::Boolean;
    return ColumnKind::Other;
}

std::span<const MappingRole> mappingRoles()
{
    return roles();
}

TableMapping guessMapping(const std::string& table, const std::vector<ColumnInfo>& columns)
{
    TableMapping m;
    m.table = table;
    std::vector<std::string> taken;
    auto take = [&](std::optional<std::string>& slot, std::optional<std::string> name) {
        if (!slot && name) {
            slot = std::move(name);
            taken.push_back(*slot);
        }
    };
    // Axon keeps the aggregate type in `type` and the event type in `payload_type`.
    std::optional<std::string> typeAsCategory;
    const ColumnInfo* typeColumn = findColumn(columns, "type");
    if (typeColumn && findColumn(columns, "payload_type")) {
        take(m.type, findColumn(columns, "payload_type")->name);
        typeAsCategory = typeColumn->name;
        taken.push_back(typeColumn->name);
    }
    // A text `version` (such as "1.0") beside a sequence column numbers the event's schema, not the stream.
    std::optional<std::string> versionAsSchema;
    const ColumnInfo* versionColumn = findColumn(columns, "version");
    const auto sequence
        = firstOf(columns, { "stream_position", "sequence_number", "sequencenumber", "event_number" }, taken);
    if (versionColumn && versionColumn->kind == ColumnKind::Text && sequence) {
        take(m.version, sequence);
        versionAsSchema = versionColumn->name;
        taken.push_back(versionColumn->name);
    }
    take(m.position, firstOf(columns, role(&TableMapping::position).candidates, taken));
    // An integer `id` beside another event ID column is a generated key: it orders the rows.
    const ColumnInfo* idColumn = findColumn(columns, "id");
    const auto otherId = firstOf(columns, { "event_id", "message_id", "event_identifier" }, taken);
    if (idColumn && idColumn->kind == ColumnKind::Integer && otherId) {
        take(m.id, otherId);
        take(m.position, idColumn->name);
        if (std::find(taken.begin(), taken.end(), idColumn->name) == taken.end())
            taken.push_back(idColumn->name); // the position came first; the integer key is still no event ID
    }
    for (const MappingRole& r : roles())
        take(m.*(r.member), firstOf(columns, r.candidates, taken));
    take(m.schemaVersion, versionAsSchema);
    take(m.category, typeAsCategory);
    return m;
}

void guessSnapshotColumns(TableMapping& mapping, const std::vector<ColumnInfo>& snapshotColumns)
{
    std::vector<std::string> taken;
    for (const MappingRole& r : snapshotRoles()) {
        if (mapping.*(r.member))
            taken.push_back(*(mapping.*(r.member)));
    }
    for (const MappingRole& r : snapshotRoles()) {
        auto& slot = mapping.*(r.member);
        if (!slot && (slot = firstOf(snapshotColumns, r.candidates, taken)))
            taken.push_back(*slot);
    }
}

TableMapping mappingFromJson(const std::string& text)
{
    nlohmann::json json;
    try {
        json = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        fail(ErrorKind::BadInput, "the mapping is not JSON (it breaks off at byte " + std::to_string(e.byte) + ")");
    }
    if (!json.is_object())
        fail(ErrorKind::BadInput, "the mapping is not a JSON object");
    TableMapping m;
    for (auto it = json.begin(); it != json.end(); ++it) {
        if (it.key() == "table") {
            if (!it->is_string())
                fail(ErrorKind::BadInput, "the mapping's table is not a table name");
            m.table = it->get<std::string>();
        } else if (it.key() == "columns" || it.key() == "snapshots") {
            const bool snapshots = it.key() == "snapshots";
            if (!it->is_object())
                fail(ErrorKind::BadInput, "the mapping's " + it.key() + " is not a JSON object");
            for (auto column = it->begin(); column != it->end(); ++column) {
                const std::string where = it.key() + "." + column.key();
                if (snapshots && column.key() == "table") {
                    m.snapshotTable = optionalName(*column, where);
                    continue;
                }
                const MappingRole* found = nullptr;
                for (const MappingRole& r : snapshots ? snapshotRoles() : roles())
                    found = column.key() == r.key ? &r : found;
                if (!found)
                    fail(ErrorKind::BadInput,
                        "the mapping's " + it.key() + " has an unknown member '" + column.key() + "' (expected "
                            + (snapshots ? std::string("table, stream, version or state")
                                         : std::string("position, stream, version, type, data, time, metadata, id, "
                                                       "category, schemaVersion, actor, correlation, causation or "
                                                       "tenant"))
                            + ")");
                m.*(found->member) = optionalName(*column, where);
            }
        } else {
            fail(ErrorKind::BadInput,
                "the mapping has an unknown member '" + it.key() + "' (expected table, columns or snapshots)");
        }
    }
    if (m.snapshotTable && m.snapshotTable->empty())
        m.snapshotTable.reset();
    return m;
}

std::string mappingToJson(const TableMapping& mapping)
{
    nlohmann::ordered_json json;
    json["table"] = mapping.table;
    nlohmann::ordered_json columns = nlohmann::ordered_json::object();
    for (const MappingRole& r : roles())
        columns[r.key] = nameOrNull(mapping.*(r.member));
    json["columns"] = std::move(columns);
    if (mapping.snapshotTable) {
        nlohmann::ordered_json snapshots;
        snapshots["table"] = *mapping.snapshotTable;
        for (const MappingRole& r : snapshotRoles())
            snapshots[r.key] = nameOrNull(mapping.*(r.member));
        json["snapshots"] = std::move(snapshots);
    }
    return json.dump(2);
}

TableMapping overlayMapping(const TableMapping& guessed, const TableMapping& file)
{
    TableMapping m = guessed;
    auto lay = [](std::optional<std::string>& slot, const std::optional<std::string>& chosen) {
        if (chosen)
            slot = chosen->empty() ? std::nullopt : chosen;
    };
    for (const MappingRole& r : roles())
        lay(m.*(r.member), file.*(r.member));
    lay(m.snapshotTable, file.snapshotTable);
    for (const MappingRole& r : snapshotRoles())
        lay(m.*(r.member), file.*(r.member));
    return m;
}

void checkMapping(TableMapping& mapping, const std::vector<ColumnInfo>& columns)
{
    const std::string tableWords = "the table " + mapping.table;
    checkNamedColumns(mapping, roles(), columns, tableWords);
    checkRequired(mapping, roles(), tableWords);
    if (!mapping.position && !mapping.time)
        fail(ErrorKind::BadInput,
            tableWords + " has nothing to order its events by: no column for "
                + lookedFor(role(&TableMapping::position)) + " or " + lookedFor(role(&TableMapping::time)));
}

void checkSnapshotMapping(TableMapping& mapping, const std::vector<ColumnInfo>& snapshotColumns)
{
    if (!mapping.snapshotTable)
        return;
    const std::string tableWords = "the snapshot table " + *mapping.snapshotTable;
    checkNamedColumns(mapping, snapshotRoles(), snapshotColumns, tableWords);
    checkRequired(mapping, snapshotRoles(), tableWords);
}

} // namespace eventscope
