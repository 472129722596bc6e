#include "model/dynamodb_item_mapping.h"

#include "model/dynamodb_values.h"
#include "storage/conventions.h"
#include "storage/error.h"
#include "storage/uuid.h"

#include <QByteArray>
#include <QFile>
#include <QUuid>

#include <algorithm>
#include <map>
#include <set>
#include <string_view>
#include <vector>

namespace eventscope {
namespace {

using Json = nlohmann::ordered_json;

std::string normalizeName(std::string_view name)
{
    std::string out;
    out.reserve(name.size());
    for (const char c : name) {
        if (c == '_' || c == '-')
            continue;
        out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    return out;
}

using Names = std::vector<std::string_view>;
const Names kStreamNames { "streamName", "streamId", "aggregateId", "entityId", "aggregateIdentifier", "stream" };
const Names kVersionNames { "version", "streamPosition", "sequenceNumber", "eventNumber", "streamVersion" };
const Names kTypeNames { "type", "eventType", "messageType", "payloadType" };
const Names kDataNames { "data", "eventData", "payload", "messageData", "body" };
const Names kTimeNames { "time", "timestamp", "createdAt", "created", "eventTime", "occurredAt", "recordedAt" };
const Names kIdNames { "eventId", "id", "messageId", "eventIdentifier" };
const Names kMetadataNames { "metadata", "messageMetadata", "headers" };
const Names kActorNames { "userId", "createdBy", "user", "actor" };
const Names kCorrelationNames { "correlationId", "correlation" };
const Names kCausationNames { "causationId", "causation" };
const Names kCategoryNames { "aggregateType", "aggregateName", "streamCategory", "category" };
const Names kTenantNames { "tenantId", "tenant" };
const Names kSchemaNames { "schemaVersion", "eventVersion" };
const Names kStateNames { "state", "snapshot", "data", "payload", "body" };

// An item's attributes, found by a mapped name or by the lists above, and which of them were used.
class ItemView
{
public:
    explicit ItemView(const Json& attributes)
        : m_attributes(attributes)
    {
        for (const auto& [name, value] : attributes.items())
            m_byNormal.emplace(normalizeName(name), name); // the first of two spellings wins
    }

    // The attribute's name: `mapped` when set (and present), else the first of `names` present.
    std::optional<std::string> find(const std::string& mapped, const Names& names) const
    {
        if (!mapped.empty()) {
            if (m_attributes.contains(mapped))
                return mapped;
            return std::nullopt;
        }
        for (const auto name : names) {
            if (const auto it = m_byNormal.find(normalizeName(name)); it != m_byNormal.end())
                return it->second;
        }
        return std::nullopt;
    }
    std::optional<std::string> exact(const std::string& name) const
    {
        return m_attributes.contains(name) ? std::optional<std::string>(name) : std::nullopt;
    }
    const Json& value(const std::string& name) const { return m_attributes.at(name); }
    void use(const std::string& name) { m_used.insert(name); }
    bool used(const std::string& name) const { return m_used.contains(name); }
    const Json& attributes() const { return m_attributes; }

private:
    const Json& m_attributes;
    std::map<std::string, std::string> m_byNormal;
    std::set<std::string> m_used;
};

std::string listed(const std::string& mapped, const Names& names, const char* mappingKey)
{
    if (!mapped.empty())
        return mapped + " (as the mapping file's \"" + mappingKey + "\" says)";
    std::string out;
    for (const auto name : names)
        out += (out.empty() ? "" : ", ") + std::string(name);
    return out;
}

void checkName(const std::string& name, const char* what)
{
    if (name.empty())
        dynamoDbBadInput(std::string("the ") + what + " is empty");
    for (const char c : name) {
        if (static_cast<unsigned char>(c) < 0x20)
            dynamoDbBadInput(std::string("the ") + what + " '" + name + "' contains a control character");
    }
}

// Where an item's stream and version come from, with what a "tenant#type" partition key says.
struct Location
{
    std::string stream;
    std::optional<std::int64_t> version;
    std::optional<std::string> tenant;
    std::optional<std::string> category;
};

bool isDigits(std::string_view text)
{
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Location locate(ItemView& view, const DynamoDbMapping& mapping, const std::string& mappedStream,
    const std::string& mappedVersion, const char* streamKey, const char* what)
{
    Location location;
    const auto versionAttribute = view.find(mappedVersion, kVersionNames);
    if (const auto streamAttribute = view.find(mappedStream, kStreamNames)) {
        location.stream = dynamoDbText(view.value(*streamAttribute), *streamAttribute, "stream");
        view.use(*streamAttribute);
    } else if (!mappedStream.empty()) {
        dynamoDbBadInput("the " + std::string(what) + " has no stream (looked for "
            + listed(mappedStream, kStreamNames, streamKey) + ")");
    } else if (const auto sk = view.exact(mapping.sortKey)) {
        const std::string sortKey = dynamoDbText(view.value(*sk), *sk, "sort key");
        const auto pk = view.exact(mapping.partitionKey);
        const auto at = sortKey.rfind('@');
        std::optional<std::int64_t> skVersion;
        if (at != std::string::npos && at > 0 && isDigits(std::string_view(sortKey).substr(at + 1))) {
            location.stream = sortKey.substr(0, at);
            skVersion = dynamoDbWholeNumber(Json(sortKey.substr(at + 1)));
            if (!skVersion)
                dynamoDbBadInput("the sort key " + *sk + " '" + sortKey + "' ends in a version that is too large");
        } else if (pk && isDigits(sortKey)) {
            location.stream = dynamoDbText(view.value(*pk), *pk, "partition key");
            skVersion = dynamoDbVersion(view.value(*sk), *sk);
            view.use(*pk);
        } else {
            location.stream = sortKey;
        }
        view.use(*sk);
        if (pk && !view.used(*pk)) {
            const std::string partition = dynamoDbText(view.value(*pk), *pk, "partition key");
            if (const auto hash = partition.find('#'); hash != std::string::npos) {
                location.tenant = partition.substr(0, hash);
                location.category = partition.substr(hash + 1);
                view.use(*pk);
            }
        }
        if (skVersion) {
            location.version = skVersion;
            if (versionAttribute) {
                const std::int64_t attributeVersion = dynamoDbVersion(view.value(*versionAttribute), *versionAttribute);
                if (attributeVersion != *skVersion)
                    dynamoDbBadInput("the sort key " + *sk + " '" + sortKey + "' names version "
                        + std::to_string(*skVersion) + " but the attribute " + *versionAttribute + " says "
                        + std::to_string(attributeVersion));
                view.use(*versionAttribute);
            }
            return location;
        }
    } else if (const auto pk = view.exact(mapping.partitionKey)) {
        location.stream = dynamoDbText(view.value(*pk), *pk, "partition key");
        view.use(*pk);
    } else {
        dynamoDbBadInput("the " + std::string(what) + " has no stream (looked for " + mapping.partitionKey + "/"
            + mapping.sortKey + ", " + listed({}, kStreamNames, streamKey) + ")");
    }
    checkName(location.stream, "stream name");
    if (versionAttribute) {
        location.version = dynamoDbVersion(view.value(*versionAttribute), *versionAttribute);
        view.use(*versionAttribute);
    }
    return location;
}

// The metadata key of a derived field: the attribute's own name when the conventions read it, else `fallback`.
std::string conventionKey(const std::string& attribute, const std::vector<std::string>& keys, const char* fallback)
{
    return std::find(keys.begin(), keys.end(), attribute) != keys.end() ? attribute : std::string(fallback);
}

DynamoDbEvent eventFromItem(const DynamoDbItem& item, const DynamoDbMapping& mapping)
{
    ItemView view(item.attributes);
    DynamoDbEvent event;
    Location location = locate(view, mapping, mapping.stream, mapping.version, "stream", "item");
    event.stream = location.stream;
    event.version = location.version;

    const auto typeAttribute = view.find(mapping.type, kTypeNames);
    if (!typeAttribute)
        dynamoDbBadInput("the item has no event type (looked for " + listed(mapping.type, kTypeNames, "type") + ")");
    event.type = dynamoDbText(view.value(*typeAttribute), *typeAttribute, "type");
    checkName(event.type, "event type");
    view.use(*typeAttribute);

    Json data = Json::object();
    if (const auto dataAttribute = view.find(mapping.data, kDataNames)) {
        data = dynamoDbParsedIfJsonText(view.value(*dataAttribute));
        view.use(*dataAttribute);
    }
    event.data = dynamoDbJsonText(data);

    if (const auto timeAttribute = view.find(mapping.time, kTimeNames)) {
        event.time = dynamoDbTime(view.value(*timeAttribute), *timeAttribute);
        view.use(*timeAttribute);
    }

    Json metadata = Json::object();
    Json extra = Json::object(); // attributes of no field, under "dynamodb"
    if (const auto metadataAttribute = view.find(mapping.metadata, kMetadataNames)) {
        Json value = dynamoDbParsedIfJsonText(view.value(*metadataAttribute));
        if (value.is_object())
            metadata = std::move(value);
        else
            extra[*metadataAttribute] = std::move(value);
        view.use(*metadataAttribute);
    }
    if (const auto idAttribute = view.find(mapping.id, kIdNames)) {
        const std::string id = dynamoDbText(view.value(*idAttribute), *idAttribute, "event ID");
        if (isUuid(id)) {
            event.id = normalizeUuid(id);
        } else {
            event.id = dynamoDbNameUuid("id\n" + id);
            extra[*idAttribute] = view.value(*idAttribute);
        }
        view.use(*idAttribute);
    }
    const Conventions& conventions = Conventions::defaults();
    const auto derived = [&](const std::string& mapped, const Names& names, const std::vector<std::string>& keys,
                             const char* fallback) {
        if (const auto attribute = view.find(mapped, names)) {
            metadata[conventionKey(*attribute, keys, fallback)] = view.value(*attribute);
            view.use(*attribute);
        }
    };
    derived(mapping.actor, kActorNames, conventions.actor, "userId");
    derived(mapping.correlation, kCorrelationNames, conventions.correlation, "correlationId");
    derived(mapping.causation, kCausationNames, conventions.causation, "causationId");
    derived({}, kSchemaNames, conventions.schemaVersion, "schemaVersion");
    if (const auto attribute = view.find(mapping.category, kCategoryNames)) {
        metadata["aggregateType"] = view.value(*attribute);
        view.use(*attribute);
    } else if (location.category) {
        metadata["aggregateType"] = *location.category;
    }
    if (const auto attribute = view.find(mapping.tenant, kTenantNames)) {
        metadata["tenant"] = view.value(*attribute);
        view.use(*attribute);
    } else if (location.tenant) {
        metadata["tenant"] = *location.tenant;
    }
    for (const auto& [name, value] : item.attributes.items()) {
        if (!view.used(name))
            extra[name] = value;
    }
    if (!extra.empty())
        metadata["dynamodb"] = std::move(extra);
    event.metadata = dynamoDbJsonText(metadata);
    return event;
}

DynamoDbSnapshot snapshotFromItem(const DynamoDbItem& item, const DynamoDbMapping& mapping)
{
    ItemView view(item.attributes);
    DynamoDbSnapshot snapshot;
    const Location location
        = locate(view, mapping, mapping.snapshotStream, mapping.snapshotVersion, "snapshots.stream", "snapshot");
    snapshot.stream = location.stream;
    if (!location.version)
        dynamoDbBadInput("the snapshot has no version (looked for "
            + listed(mapping.snapshotVersion, kVersionNames, "snapshots.version") + ")");
    snapshot.version = *location.version;
    const auto stateAttribute = view.find(mapping.snapshotState, kStateNames);
    if (!stateAttribute)
        dynamoDbBadInput("the snapshot has no state (looked for "
            + listed(mapping.snapshotState, kStateNames, "snapshots.state") + ")");
    snapshot.state = dynamoDbJsonText(dynamoDbParsedIfJsonText(view.value(*stateAttribute)));
    if (const auto timeAttribute = view.find(mapping.snapshotTime, kTimeNames))
        snapshot.time = dynamoDbTime(view.value(*timeAttribute), *timeAttribute);
    return snapshot;
}

} // namespace

DynamoDbMapping DynamoDbMapping::fromJson(const std::string& text)
{
    const Json parsed = Json::parse(text, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object())
        dynamoDbBadInput("the mapping file is not a JSON object such as {\"stream\":\"entityId\",\"version\":\"seq\"}");
    DynamoDbMapping mapping;
    const std::map<std::string, std::string*> fields { { "stream", &mapping.stream }, { "version", &mapping.version },
        { "type", &mapping.type }, { "data", &mapping.data }, { "time", &mapping.time }, { "id", &mapping.id },
        { "metadata", &mapping.metadata }, { "actor", &mapping.actor }, { "correlation", &mapping.correlation },
        { "causation", &mapping.causation }, { "category", &mapping.category }, { "tenant", &mapping.tenant },
        { "partitionKey", &mapping.partitionKey }, { "sortKey", &mapping.sortKey } };
    const std::map<std::string, std::string*> snapshotFields { { "stream", &mapping.snapshotStream },
        { "version", &mapping.snapshotVersion }, { "state", &mapping.snapshotState },
        { "time", &mapping.snapshotTime } };
    const auto assign = [](const std::map<std::string, std::string*>& known, const std::string& key, const Json& value,
                            const std::string& prefix) {
        const auto it = known.find(key);
        if (it == known.end()) {
            std::string names;
            for (const auto& [name, field] : known)
                names += (names.empty() ? "" : ", ") + name;
            dynamoDbBadInput("the mapping file has an unknown member \"" + prefix + key + "\" (known: " + names
                + (prefix.empty() ? ", snapshots" : "") + ")");
        }
        if (!value.is_string() || value.get_ref<const std::string&>().empty())
            dynamoDbBadInput("the mapping file's \"" + prefix + key + "\" is not an attribute name");
        *it->second = value.get<std::string>();
    };
    for (const auto& [key, value] : parsed.items()) {
        if (key == "snapshots") {
            if (!value.is_object())
                dynamoDbBadInput("the mapping file's \"snapshots\" is not an object such as {\"stream\":\"entityId\"}");
            for (const auto& [snapshotKey, snapshotValue] : value.items())
                assign(snapshotFields, snapshotKey, snapshotValue, "snapshots.");
        } else {
            assign(fields, key, value, {});
        }
    }
    return mapping;
}

DynamoDbMapping DynamoDbMapping::fromFile(const std::string& path)
{
    QFile file(QString::fromStdString(path));
    if (!file.open(QIODevice::ReadOnly))
        dynamoDbBadInput("cannot read the mapping file " + path + ": " + file.errorString().toStdString());
    try {
        return fromJson(file.readAll().toStdString());
    } catch (const Error& error) {
        std::string sentence = error.what();
        if (const auto at = sentence.find("the mapping file"); at != std::string::npos)
            sentence.insert(at + std::string_view("the mapping file").size(), " " + path);
        dynamoDbBadInput(sentence);
    }
}

DynamoDbEvent dynamoDbEvent(const DynamoDbItem& item, const std::string& source, const DynamoDbMapping& mapping)
{
    try {
        return eventFromItem(item, mapping);
    } catch (const Error& error) {
        dynamoDbBadInput(source + " line " + std::to_string(item.line) + ": " + error.what());
    }
}

DynamoDbSnapshot dynamoDbSnapshot(const DynamoDbItem& item, const std::string& source, const DynamoDbMapping& mapping)
{
    try {
        return snapshotFromItem(item, mapping);
    } catch (const Error& error) {
        dynamoDbBadInput(source + " line " + std::to_string(item.line) + ": " + error.what());
    }
}

std::string dynamoDbDerivedId(const std::string& stream, std::int64_t version)
{
    return dynamoDbNameUuid("event\n" + stream + "\n" + std::to_string(version));
}

std::string dynamoDbNameUuid(const std::string& name)
{
    static const QUuid ns(QStringLiteral("5b3c9e1a-7f2d-4e8b-a6c4-0d9e2f7b1c35"));
    return QUuid::createUuidV5(ns, QByteArray::fromStdString(name)).toString(QUuid::WithoutBraces).toStdString();
}

} // namespace eventscope
