#pragma once
// What every store another system wrote has in common (DESIGN §3): Eventscope never writes to it. Appends,
// projection writes and seals are refused with a sentence that says where such writes go instead (a workspace);
// snapshots, being only a cache, are quietly not kept. Adapters implement the reads.

#include "storage/event_store.h"

#include <string>

namespace eventscope {

class ReadOnlyStore : public EventStore
{
public:
    std::vector<AppendResult> append(std::span<const AppendRequest> requests) override;
    void saveSnapshot(const Snapshot& snapshot) override;
    std::optional<Snapshot> loadSnapshot(
        const std::string& stream, std::int64_t maxVersion, const std::string& reducer) override;
    std::optional<ProjectionRecord> projection(const std::string& name) override;
    std::vector<ProjectionRecord> projections() override;
    void commitProjection(const ProjectionRecord& record, std::span<const PartitionState> changedStates,
        std::span<const AppendRequest> emitted) override;
    std::vector<PartitionState> projectionStates(const std::string& name) override;
    std::vector<PartitionState> projectionStates(
        const std::string& name, std::span<const std::string> partitions) override;
    std::vector<PartitionState> projectionStatesPage(
        const std::string& name, const std::optional<std::string>& after, std::size_t limit) override;
    std::int64_t projectionStateCount(const std::string& name) override;
    void deleteProjection(const std::string& name) override;
    void replaceProjection(const std::string& live, const std::string& shadow, const std::string& previous) override;
    VerifyReport verify(const std::optional<Seal>& seal) override;
    Seal seal() override;
    // Other systems send Eventscope no notifications: polls changeMarker() every pollInterval().
    bool waitForChange(std::chrono::milliseconds timeout) override;

protected:
    // "Message DB", as sentences name the kind of store.
    explicit ReadOnlyStore(std::string kindName);
    const std::string& kindName() const { return m_kindName; }
    // What moves when the store changes: the head position unless an adapter knows a cheaper sign.
    virtual std::int64_t changeMarker() { return headPosition(); }
    virtual std::chrono::milliseconds pollInterval() const { return std::chrono::milliseconds(250); }

private:
    [[noreturn]] void refuse(const std::string& what) const;

    std::string m_kindName;
    std::int64_t m_seenMarker = -1;
};

} // namespace eventscope
