#include "storage/read_only_store.h"

#include "storage/error.h"

#include <algorithm>
#include <thread>

namespace eventscope {

ReadOnlyStore::ReadOnlyStore(std::string kindName)
    : m_kindName(std::move(kindName))
{
}

void ReadOnlyStore::refuse(const std::string& what) const
{
    fail(ErrorKind::BadInput,
        "this " + m_kindName + " store is read-only: Eventscope never " + what
            + " a store another system owns; projections go to a workspace (--workspace)");
}

std::vector<AppendResult> ReadOnlyStore::append(std::span<const AppendRequest>)
{
    refuse("appends to");
}

void ReadOnlyStore::saveSnapshot(const Snapshot&)
{
    // Snapshots only save replay time; without them replays still give the same states.
}

std::optional<Snapshot> ReadOnlyStore::loadSnapshot(const std::string&, std::int64_t, const std::string&)
{
    return std::nullopt;
}

std::optional<ProjectionRecord> ReadOnlyStore::projection(const std::string&)
{
    return std::nullopt;
}

std::vector<ProjectionRecord> ReadOnlyStore::projections()
{
    return {};
}

void ReadOnlyStore::commitProjection(
    const ProjectionRecord&, std::span<const PartitionState>, std::span<const AppendRequest>)
{
    refuse("writes projections to");
}

std::vector<PartitionState> ReadOnlyStore::projectionStates(const std::string&)
{
    return {};
}

std::vector<PartitionState> ReadOnlyStore::projectionStates(const std::string&, std::span<const std::string>)
{
    return {};
}

std::vector<PartitionState> ReadOnlyStore::projectionStatesPage(
    const std::string&, const std::optional<std::string>&, std::size_t)
{
    return {};
}

std::int64_t ReadOnlyStore::projectionStateCount(const std::string&)
{
    return 0;
}

void ReadOnlyStore::deleteProjection(const std::string&)
{
    refuse("deletes projections from");
}

void ReadOnlyStore::replaceProjection(const std::string&, const std::string&, const std::string&)
{
    refuse("swaps projections in");
}

VerifyReport ReadOnlyStore::verify(const std::optional<Seal>&)
{
    fail(ErrorKind::BadInput, "a " + m_kindName + " store carries no hash chains for Eventscope to verify");
}

bool ReadOnlyStore::waitForChange(std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        const std::int64_t marker = changeMarker();
        const bool changed = m_seenMarker >= 0 && marker != m_seenMarker;
        m_seenMarker = marker;
        if (changed)
            return true;
        const auto now = std::chrono::steady_clock::now();
        if (now >= deadline)
            return false;
        std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(pollInterval(), deadline - now));
    }
}

Seal ReadOnlyStore::seal()
{
    fail(ErrorKind::BadInput, "a " + m_kindName + " store carries no hash chains for Eventscope to seal");
}

} // namespace eventscope
