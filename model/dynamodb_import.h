#pragma once
// `eventscope import` and the window's import (DESIGN §3, §8; issue 7): DynamoDB exports into a native store.
// The files are read item by item (model/dynamodb_reader.h), each item made an event or a snapshot by its
// attribute names or a mapping file (model/dynamodb_item_mapping.h), its typed values plain JSON
// (model/dynamodb_values.h). This header includes all three: it is the import's whole interface.
//
// Order, versions and "nothing half-written". DynamoDB exports are unordered, so every item is first staged
// into a temporary SQLite file (an external sort that keeps memory flat) and checked as a whole: each stream's
// versions must run 1, 2, 3 ... with no gap or repeat (when the smallest version of the import is 0, all are
// shifted by one, since native stores number from 1, and a note says so); a stream without versions is
// numbered in time order; no event ID may appear twice; a stream that the store already holds must hold this
// import's own first event (an import run again). Bad input is reported before anything is written. Only then
// are the events appended, stream by stream in version order, each stream in batches at fixed version
// boundaries with an exact expected version, several batches a transaction. A store cannot take a multi-GB
// append in one transaction, so an interrupted import (a crash, a lost connection, a cancel) can leave whole
// batches behind; because IDs are deterministic and native stores treat the same IDs at the same place as a
// no-op, the same import run again completes it, and run once more writes nothing. The audit record (DESIGN §7)
// lands in the last transaction, with an ID derived from the import, so that it too is written once.
// Snapshots are saved with the reducer tag "dynamodb-import", after every event.

#include "model/audit_record.h"
#include "model/dynamodb_item_mapping.h"
#include "model/dynamodb_reader.h"
#include "model/dynamodb_values.h"
#include "storage/event_store.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <istream>
#include <memory>
#include <string>

namespace eventscope {

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
    // The same for a file named by its path (UTF-8), sized for progress; BadInput naming the file when it is a
    // folder or cannot be read.
    void addEventsFile(const std::string& path);
    void addSnapshotsFile(const std::string& path);
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
