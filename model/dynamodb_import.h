#pragma once
// `eventscope import` (DESIGN §3, §8; issue 7): DynamoDB exports into a native store.
//
// Input. Plain text only (a gzip-compressed export is refused with a sentence: decompress it first), in either
// format, told apart by the first key of the file:
//   - the export format: one {"Item":{...}} a line;
//   - the output of a scan: {"Items":[...],"Count":N,"ScannedCount":N,...}, read by nlohmann's SAX interface one
//     item at a time, so that a file of many GB is never held: memory stays flat whatever the file's size.
// Typed values become plain JSON: S a string; N a number (see dynamoDbNumber); BOOL; NULL null; M an object;
// L an array; SS, NS and BS arrays; B and BS binary kept as their base64 text.
//
// Items to events, by attribute name. A name matches case-insensitively and without '_' or '-' (entityId
// matches entity_id); the first name of each list present wins:
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
// whose state is in state, snapshot, data, payload or body; saved with the reducer tag "dynamodb-import".
//
// Order, versions and "nothing half-written". DynamoDB exports are unordered, so every item is first staged
// into a temporary SQLite file (an external sort that keeps memory flat) and checked as a whole: each stream's
// versions must run 1, 2, 3 ... with no gap or repeat (when the smallest version of the import is 0, all are
// shifted by one, since native stores number from 1, and a note says so); a stream without versions is
// numbered in time order; no event ID may appear twice; a stream that the store already holds must hold this
// import's own first event (an import run again). Bad input is reported before anything is written. Only then
// are the events appended, stream by stream in version order, each stream in batches at fixed version
// boundaries with an exact expected version, several batches a transaction. A store cannot take a multi-GB
// append in one transaction, so an interrupted import (a crash, a lost connection) can leave whole batches
// behind; because IDs are deterministic and native stores treat the same IDs at the same place as a no-op, the
// same import run again completes it, and run once more writes nothing. The audit record (DESIGN §7) lands in
// the last transaction, with an ID derived from the import, so that it too is written once.

#include "model/audit_record.h"
#include "storage/event_store.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace eventscope {

// An N value as plain JSON: a whole number within int64 (or uint64) as an integer, including "1.0" and "1E+3";
// else a double when the double prints back as the same decimal value ("0.25", "1.5E-7"); else, so that no
// digit is lost, the decimal text as a JSON string (38-digit values, "0.1000000000000000000001"). Throws
// BadInput for text that is not a number.
nlohmann::ordered_json dynamoDbNumber(std::string_view text);
// A typed value ({"S":"x"}, {"M":{...}}, ...) as plain JSON. Throws BadInput naming what is wrong.
nlohmann::ordered_json dynamoDbPlainValue(const nlohmann::ordered_json& typed);

struct DynamoDbItem
{
    std::int64_t line = 0; // where the item starts in its file, from 1
    std::uint64_t bytesRead = 0; // of the file, so far
    nlohmann::ordered_json attributes; // plain JSON, one member an attribute
};

enum class DynamoDbFormat { Export, Scan };

// Calls `each` for every item of the file in file order, holding one item at a time. `source` names the file
// in errors: "SOURCE line N: what is wrong". Returns the format found.
DynamoDbFormat readDynamoDbItems(
    std::istream& input, const std::string& source, const std::function<void(DynamoDbItem&)>& each);

struct DynamoDbMapping
{
    // Attribute names; an empty one is found by the lists above.
    std::string stream, version, type, data, time, id, metadata, actor, correlation, causation, category, tenant;
    std::string partitionKey = "pk";
    std::string sortKey = "sk";
    std::string snapshotStream, snapshotVersion, snapshotState, snapshotTime;

    // The format above; throws BadInput with a sentence naming the member.
    static DynamoDbMapping fromJson(const std::string& text);
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

struct DynamoDbImportProgress
{
    enum class Phase { Reading, Checking, Appending, Snapshots };
    Phase phase = Phase::Reading;
    std::string source; // the file being read
    std::int64_t items = 0; // read from that file so far
    std::uint64_t bytes = 0; // of that file read so far
    std::uint64_t totalBytes = 0; // its size, 0 when unknown
    std::int64_t done = 0; // events appended or snapshots saved so far
    std::int64_t total = 0; // of the phase
};

struct DynamoDbImportOptions
{
    DynamoDbMapping mapping;
    std::string stagingDirectory; // for the temporary staging file; empty: the system's temporary folder
    std::int64_t batchEvents = 1000; // events of one stream per append request, and per transaction
    AuditTool auditTool = AuditTool::CommandLine;
    // Notes for the user (the version shift); progress a few times a second at most.
    std::function<void(const std::string&)> note;
    std::function<void(const DynamoDbImportProgress&)> progress;
    const std::atomic<bool>* cancel = nullptr; // set: stops with ErrorKind::Cancelled
};

struct DynamoDbImportSummary
{
    std::int64_t items = 0; // event items read
    std::int64_t events = 0; // events of the import
    std::int64_t streams = 0;
    std::int64_t snapshots = 0;
    std::int64_t written = 0; // events the store did not hold yet
    bool shifted = false; // versions were moved up by one
};

// One import: stage every source and snapshot file, check, then write to a store.
class DynamoDbImport
{
public:
    explicit DynamoDbImport(DynamoDbImportOptions options);
    ~DynamoDbImport(); // removes the staging file
    DynamoDbImport(const DynamoDbImport&) = delete;
    DynamoDbImport& operator=(const DynamoDbImport&) = delete;

    // Reads a file of event items, or of snapshot items; `totalBytes` (0: unknown) is for progress only.
    void addEvents(std::istream& input, const std::string& source, std::uint64_t totalBytes = 0);
    void addSnapshots(std::istream& input, const std::string& source, std::uint64_t totalBytes = 0);
    // Checks everything staged (versions, IDs, snapshots); throws BadInput naming the stream, versions and lines.
    void check();
    // Checks the store, then appends and saves snapshots. `storeName` is for sentences. Call after check().
    DynamoDbImportSummary writeTo(EventStore& store, const std::string& storeName);

    const DynamoDbImportSummary& summary() const;

private:
    struct Staging;
    std::unique_ptr<Staging> m;
};

} // namespace eventscope
