#pragma once
// The native PostgreSQL store, through libpqxx. Same behaviour as the SQLite store; positions come from a
// sequence, and readers only see below the oldest open writer (xid8 horizon), so no late commit is skipped.

#include "storage/event_store.h"
#include "storage/store_uri.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>

namespace pqxx {
class transaction_base;
}

namespace eventscope {

class PostgresConnection;
struct PreparedAppend;

class PostgresStore final : public EventStore
{
public:
    PostgresStore(const StoreUri& uri, bool create);
    ~PostgresStore() override;

    StoreDescription describe() const override;
    using EventStore::append;
    std::vector<AppendResult> append(std::span<const AppendRequest> requests) override;
    EventPage read(const EventQuery& query) override;
    std::optional<StreamInfo> streamHead(const std::string& stream) override;
    std::vector<StreamInfo> streams(const StreamQuery& query) override;
    std::vector<CategoryInfo> categories(const CategoryQuery& query) override;
    std::vector<std::string> eventTypes(std::size_t limit) override;
    EventCount countEvents(const EventQuery& query) override;
    std::int64_t headPosition() override;
    std::optional<Event> eventById(const std::string& id) override;
    bool waitForChange(std::chrono::milliseconds timeout) override;
    void saveSnapshot(const Snapshot& snapshot) override;
    std::optional<Snapshot> loadSnapshot(
        const std::string& stream, std::int64_t maxVersion, const std::string& reducer) override;
    std::optional<ProjectionRecord> projection(const std::string& name) override;
    std::vector<ProjectionRecord> projections() override;
    void commitProjection(const ProjectionRecord& record, std::span<const PartitionState> changedStates,
        std::span<const AppendRequest> emitted = {}) override;
    std::vector<PartitionState> projectionStates(const std::string& name) override;
    std::vector<PartitionState> projectionStates(
        const std::string& name, std::span<const std::string> partitions) override;
    std::vector<PartitionState> projectionStatesPage(
        const std::string& name, const std::optional<std::string>& after, std::size_t limit) override;
    std::int64_t projectionStateCount(const std::string& name) override;
    void deleteProjection(const std::string& name) override;
    void replaceProjection(const std::string& live, const std::string& shadow, const std::string& previous) override;
    void interrupt() override;
    VerifyReport verify(const std::optional<Seal>& seal) override;
    Seal seal() override;

private:
    void createSchema();
    void openSchema();
    // Adds append_stream_v1() to a store made without it; false when this role or server may not.
    bool addAppendFunction();
    // Calls `tryOnce` again (up to a limit, backing off) while a concurrent writer gets in first, and turns
    // what is left of such a race into WrongExpectedVersion or BadInput. `tryOnce` is told whether it may
    // trust the cached heads (the first try only).
    std::vector<AppendResult> retryAppend(std::vector<PreparedAppend>& prepared,
        const std::function<std::vector<AppendResult>(bool trustCache)>& tryOnce);
    // One try at a whole append; throws pqxx's exceptions when a concurrent writer got in first. With
    // `trustCache`, heads this connection wrote last stand in for reading them. With `tx`, the append joins that
    // open transaction, which must not have written yet (see reserve_positions()) and which the caller commits;
    // without, it commits by itself.
    std::vector<AppendResult> appendAttempt(
        std::vector<PreparedAppend>& prepared, bool trustCache, pqxx::transaction_base* tx);
    // The same for a batch of one stream, in one round trip through append_stream_v1().
    AppendResult appendOneStream(const PreparedAppend& append, pqxx::transaction_base* tx);
    // Called from a catch block when a write failed: forgets the heads involved, turns a lost connection into
    // Unreachable, and drops the advisory locks a cancelled statement may have kept; rethrows the rest. Inside
    // a transaction (`tx`) it leaves the locks: the transaction's owner calls it again once it has ended.
    [[noreturn]] void writeFailed(std::span<const PreparedAppend> prepared, pqxx::transaction_base* tx = nullptr);
    AppendResult idempotentResult(const PreparedAppend& append, std::int64_t currentVersion,
        const std::string& storedStream, std::int64_t storedVersion, pqxx::transaction_base* tx);
    std::int64_t streamVersion(const std::string& stream);
    // Raises the writer floor when no writer of this store runs (see postgres_store.cpp); returns it.
    std::uint64_t refreshWriterFloor();

    StoreUri m_uri;
    std::unique_ptr<PostgresConnection> m_db;
    std::string m_storeId;
    std::string m_channel; // NOTIFY channel of this store
    std::int64_t m_positionLock = 0; // advisory lock key under which positions are handed out
    std::int64_t m_writersLock = 0; // advisory lock key that running writers hold shared
    std::uint64_t m_writerFloor = 0; // xids below it are no running writer's (an xid8, 0: none known)
    bool m_serverAppend = false; // the store has append_stream_v1()

    struct Head
    {
        std::int64_t version = 0;
        std::string hash;
    };
    // The heads of the streams this connection appended to last. A writer that appends to the same stream
    // again (an aggregate's command handler) saves a round trip; if someone else appended meanwhile, the
    // insert collides on (stream, version) and the append starts over with heads read from the database.
    std::unordered_map<std::string, Head> m_heads;
};

} // namespace eventscope
