#pragma once
// A DynamoDB item as an event or a snapshot, by attribute name, for `eventscope import`
// (model/dynamodb_import.h; DESIGN §3; issue 7).
//
// A name matches case-insensitively and without '_' or '-' (entityId matches entity_id); the first name of each
// list present wins:
//   stream        streamName streamId aggregateId entityId aggregateIdentifier stream; else the sort key `sk`:
//                 "type#id@7" names stream "type#id" at version 7, a numeric sk is the version of stream `pk`,
//                 any other sk is the stream; then `pk` alone. With the sk as the stream, a pk "tenant#type" gives
//                 the tenant and the aggregate type.
//   version       version streamPosition sequenceNumber eventNumber streamVersion (or the sk's @version)
//   type          type eventType messageType payloadType
//   data          data eventData payload messageData body (JSON text in a string is parsed when it holds an
//                 object or array; any other string stays a string)
//   time          time timestamp createdAt created eventTime occurredAt recordedAt: ISO 8601 text (UTC when it
//                 has no offset) or epoch seconds, milliseconds, microseconds or nanoseconds (told by magnitude)
//   id            eventId id messageId eventIdentifier: a UUID is kept; any other text becomes a UUID derived from
//                 it (the text is kept in the metadata); without one the ID is derived from stream and version, so
//                 that an import run again writes the same IDs
//   metadata      metadata messageMetadata headers (an object, or JSON text of one)
//   actor         userId createdBy user actor          correlation  correlationId correlation
//   causation     causationId causation                category     aggregateType aggregateName streamCategory
//   tenant        tenantId tenant                      schema       schemaVersion eventVersion
// The event's metadata is the metadata attribute's object plus the actor, correlation, causation and schema
// version under their attribute's name when the conventions of storage/conventions.h read that name (else
// userId, correlationId, causationId, schemaVersion), "aggregateType", "tenant", and every other attribute under
// "dynamodb".
//
// A mapping file (--mapping) names attributes where they differ; every member is optional and names one
// attribute exactly (case-sensitive, as DynamoDB is):
//   {"stream":"aggId","version":"seq","type":"kind","data":"body","time":"at","id":"eventId",
//    "metadata":"meta","actor":"who","correlation":"corr","causation":"cause","category":"aggType",
//    "tenant":"org","partitionKey":"PK","sortKey":"SK",
//    "snapshots":{"stream":"entityId","version":"version","state":"state","time":"createdAt"}}
//
// Snapshots (--snapshots): items of a snapshot table keyed entityId/version (the stream and version lists above)
// whose state is in state, snapshot, data, payload or body.

#include "model/dynamodb_reader.h"
#include "storage/event.h"

#include <cstdint>
#include <optional>
#include <string>

namespace eventscope {

struct DynamoDbMapping
{
    // Attribute names; an empty one is found by the lists above.
    std::string stream, version, type, data, time, id, metadata, actor, correlation, causation, category, tenant;
    std::string partitionKey = "pk";
    std::string sortKey = "sk";
    std::string snapshotStream, snapshotVersion, snapshotState, snapshotTime;

    // The format above; throws BadInput with a sentence naming the member.
    static DynamoDbMapping fromJson(const std::string& text);
    // The same read from a file (a UTF-8 path); its sentences name the file.
    static DynamoDbMapping fromFile(const std::string& path);
};

struct DynamoDbEvent
{
    std::string stream;
    std::optional<std::int64_t> version; // as in the source
    std::string id; // a normalized UUID, or empty: derived from stream and version when appended
    std::string type;
    std::string data; // JSON text
    std::string metadata; // JSON text of an object
    std::optional<Micros> time;
};

struct DynamoDbSnapshot
{
    std::string stream;
    std::int64_t version = 0; // as in the source
    std::string state; // JSON text
    std::optional<Micros> time;
};

// Throw BadInput "SOURCE line N: ..." when the item cannot be an event or snapshot.
DynamoDbEvent dynamoDbEvent(const DynamoDbItem& item, const std::string& source, const DynamoDbMapping& mapping);
DynamoDbSnapshot dynamoDbSnapshot(const DynamoDbItem& item, const std::string& source, const DynamoDbMapping& mapping);

// The ID an event without one gets: a name-based UUID (version 5) of its stream and native version.
std::string dynamoDbDerivedId(const std::string& stream, std::int64_t version);
// A name-based UUID (version 5) in the import's own namespace: the same name always gives the same ID.
std::string dynamoDbNameUuid(const std::string& name);

} // namespace eventscope
