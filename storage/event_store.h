#pragma once
// The store interface of DESIGN §3. Native stores (SQLite, PostgreSQL) implement all of it; foreign,
// read-only adapters refuse writes with ErrorKind::BadInput.
//
// A store object is one connection: use it from one thread at a time, and give each worker its own
// (openStore() again with the same URI).

#include "storage/event.h"
#include "storage/integrity.h"
#include "storage/query.h"

#include <chrono>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace eventscope {

struct StoreDescription
{
    std::string kind; // "sqlite", "postgresql", ...
    std::string uri; // as opened, without a password
    bool readOnly = false;
    std::string storeId; // a UUID made when the store was created
    // Native stores number a stream's first event 1; adapters keep the foreign numbering (Message DB: 0).
    bool versionsFromZero = false;
};

class EventStore
{
public:
    virtual ~EventStore() = default;
    EventStore() = default;
    EventStore(const EventStore&) = delete;
    EventStore& operator=(const EventStore&) = delete;

    virtual StoreDescription describe() const = 0;

    // Appends every request in one transaction: all of them land or none does.
    // Throws WrongExpectedVersion naming the stream, expected and actual versions.
    virtual std::vector<AppendResult> append(std::span<const AppendRequest> requests) = 0;
    AppendResult append(
        const std::string& stream, std::vector<NewEvent> events, ExpectedVersion expected = ExpectedVersion::any());

    virtual EventPage read(const EventQuery& query) = 0;
    // A stream's head; empty when it has no events.
    virtual std::optional<StreamInfo> streamHead(const std::string& stream) = 0;
    virtual std::vector<StreamInfo> streams(const StreamQuery& query) = 0;
    // The categories of the streams, with their stream counts: one index probe each, never a scan of streams.
    virtual std::vector<CategoryInfo> categories(const CategoryQuery& query) = 0;
    // The distinct event types (at most `limit`), in name order.
    virtual std::vector<std::string> eventTypes(std::size_t limit) = 0;
    // What a query matches in all: its count and position bounds. May take a while on a large, filtered store;
    // run it off the UI thread.
    virtual EventCount countEvents(const EventQuery& query) = 0;
    // The highest position a reader may safely see (0 for an empty store).
    virtual std::int64_t headPosition() = 0;
    // The event with this ID, if any.
    virtual std::optional<Event> eventById(const std::string& id) = 0;

    // Blocks until the store may have changed since the last call, or the timeout passes.
    // Returns true when something may have changed. Followers call read() again after it.
    virtual bool waitForChange(std::chrono::milliseconds timeout) = 0;

    // Snapshots: the newest at or before maxVersion made by this reducer.
    virtual void saveSnapshot(const Snapshot& snapshot) = 0;
    virtual std::optional<Snapshot> loadSnapshot(
        const std::string& stream, std::int64_t maxVersion, const std::string& reducer)
        = 0;

    // Projections: checkpoint and partition states are committed in one transaction.
    virtual std::optional<ProjectionRecord> projection(const std::string& name) = 0;
    virtual std::vector<ProjectionRecord> projections() = 0;
    // The events the projection emitted (emit, linkTo) land in the same transaction as its checkpoint and states,
    // appended as append() would; if one of them fails (a wrong expected version, say), nothing lands and the
    // Error propagates. A crash can never leave emitted events without their checkpoint or the other way round.
    virtual void commitProjection(const ProjectionRecord& record, std::span<const PartitionState> changedStates,
        std::span<const AppendRequest> emitted = {})
        = 0;
    // Every stored state of the projection, in partition order.
    virtual std::vector<PartitionState> projectionStates(const std::string& name) = 0;
    // The stored states of just these partitions, in partition order; those with no state are absent. Served by
    // the key, so a runner may load a thousand partitions at a time.
    virtual std::vector<PartitionState> projectionStates(
        const std::string& name, std::span<const std::string> partitions)
        = 0;
    // At most `limit` stored states of the projection whose partition comes after `after` (all of them from the
    // start when it is empty), in the order of projectionStates(name): byte order. Paged by the key, never OFFSET,
    // so a reader walks a million partitions in flat memory: pass the last partition of a page to get the next.
    virtual std::vector<PartitionState> projectionStatesPage(
        const std::string& name, const std::optional<std::string>& after, std::size_t limit)
        = 0;
    virtual std::int64_t projectionStateCount(const std::string& name) = 0;
    // Deletes the projection (record and states) in one transaction.
    virtual void deleteProjection(const std::string& name) = 0;
    // Swaps a shadow rebuild in, in one transaction: deletes `previous` if it exists, renames `live` to `previous`
    // if it exists, and renames `shadow` to `live`. Throws BadInput, changing nothing, when there is no `shadow`.
    // Rolling back is the same call with `shadow` and `previous` exchanged.
    virtual void replaceProjection(const std::string& live, const std::string& shadow, const std::string& previous) = 0;

    // Makes the statement running on this connection, if any, stop with ErrorKind::Cancelled. Unlike every
    // other call it may come from another thread: that is how a worker's long count is cancelled.
    virtual void interrupt() = 0;

    // Integrity (DESIGN §7).
    virtual VerifyReport verify(const std::optional<Seal>& seal) = 0;
    virtual Seal seal() = 0;
};

// What one SQLite connection may hold in memory. The command line reads big stores in one pass and wants both
// large; the window keeps several connections open at once (pages, counts, the tail, the navigator) and sets
// them small. Applies to connections opened afterwards.
struct SqliteMemoryBudget
{
    std::int64_t cacheKiB = 65536;
    std::int64_t mmapBytes = 256LL << 20;
};
void setSqliteMemoryBudget(SqliteMemoryBudget budget);
SqliteMemoryBudget sqliteMemoryBudget();

// Opens the store named by a STORE string (DESIGN §3). Creates a native store that does not exist yet
// only when `create` is true. Throws Unreachable when it cannot be opened or reached, BadInput for a
// string that names no store.
std::unique_ptr<EventStore> openStore(const std::string& uri, bool create = false);

} // namespace eventscope
