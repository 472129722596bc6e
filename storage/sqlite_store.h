#pragma once
// The native SQLite store: the embedded default. One file in WAL mode; every filter of read() has an index;
// data and metadata are kept as JSON text so the file stays readable with the sqlite3 shell.

#include "storage/event_store.h"
#include "storage/sql_filter.h"
#include "storage/store_uri.h"

#include <memory>

namespace eventscope {

class SqliteDb;
struct PreparedAppend;

class SqliteStore final : public EventStore
{
public:
    SqliteStore(const StoreUri& uri, bool create);
    ~SqliteStore() override;

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
    void openSchema(bool created);
    // The writes of an append, inside a transaction the caller opened and commits.
    std::vector<AppendResult> appendPrepared(std::vector<PreparedAppend>& prepared);
    void deleteProjectionRows(const std::string& name);
    AppendResult appendOne(PreparedAppend& append);
    std::optional<AppendResult> idempotentResult(const PreparedAppend& append, std::int64_t currentVersion);
    void walkChains(class ChainVerifier& verifier);
    std::optional<PositionRange> timeRangeAsPositions(const EventQuery& query);

    StoreUri m_uri;
    std::unique_ptr<SqliteDb> m_db;
    std::string m_storeId;
    std::int64_t m_dataVersion = -1;
};

} // namespace eventscope
