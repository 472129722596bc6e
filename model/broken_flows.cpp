#include "model/broken_flows.h"

#include "model/flow_graph.h"
#include "storage/error.h"
#include "storage/event_store.h"
#include "storage/uuid.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

namespace eventscope {

namespace {

// A UUID names the same event in capitals: IDs compare in the lower case the native stores keep them in.
std::string idKey(const std::string& id)
{
    return isUuid(id) ? normalizeUuid(id) : id;
}

// Every event read in the range, by each key a cause may name it by.
class RangeIndex
{
public:
    void add(const Event& event)
    {
        if (!event.id.empty())
            m_ids.insert(idKey(event.id));
        m_positions.insert(event.position);
        m_streamVersions[event.stream].insert(event.version);
    }

    bool has(const CauseReference& cause) const
    {
        switch (cause.kind) {
        case CauseReference::Kind::Id:
            return m_ids.contains(idKey(cause.id));
        case CauseReference::Kind::GlobalPosition:
            return m_positions.contains(cause.position);
        case CauseReference::Kind::StreamPosition: {
            const auto stream = m_streamVersions.find(cause.stream);
            return stream != m_streamVersions.end() && stream->second.contains(cause.position);
        }
        }
        return false;
    }

private:
    std::unordered_set<std::string> m_ids;
    std::unordered_set<std::int64_t> m_positions;
    std::unordered_map<std::string, std::unordered_set<std::int64_t>> m_streamVersions;
};

// An effect whose cause had not been read when the effect was.
struct Unresolved
{
    std::size_t tally = 0;
    std::string id;
    std::int64_t position = 0;
    Micros time = 0;
    CauseReference cause;
};

struct Tally
{
    BrokenFlow flow;
    Micros firstOrphanTime = 0;
    std::int64_t firstOrphanPosition = 0;
};

void checkCancelled(const BrokenFlowScanOptions& options)
{
    if (options.cancel && options.cancel->load(std::memory_order_relaxed))
        throw Error(ErrorKind::Cancelled, "the search for broken flows was cancelled");
}

} // namespace

std::vector<BrokenFlow> findBrokenFlows(EventStore& store, const BrokenFlowScanOptions& options)
{
    if (options.since && options.until && *options.until < *options.since)
        throw Error(ErrorKind::BadInput, "the time range ends before it begins");
    // The store derived its columns by the default conventions; only others need the metadata read again.
    const bool storeConventions = options.conventions == Conventions::defaults();
    const FlowOptions flowOptions { options.streamPositionsFromZero, {} };

    EventQuery query;
    query.since = options.since;
    query.until = options.until;
    query.includeSystem = true;
    query.limit = 1000;

    FlowScanProgress progress;
    progress.lastPosition = store.headPosition();
    RangeIndex index;
    std::vector<Tally> tallies;
    std::unordered_map<std::string, std::size_t> tallyOf;
    std::vector<Unresolved> unresolved;
    for (;;) {
        checkCancelled(options);
        EventPage page = store.read(query);
        for (Event& event : page.events) {
            if (progress.firstPosition == 0)
                progress.firstPosition = event.position;
            progress.position = event.position;
            index.add(event);
            if (!storeConventions)
                options.conventions.rederive(event);
            if (event.correlation.empty())
                continue;
            ++progress.eventsFound;
            const auto [at, added] = tallyOf.try_emplace(event.correlation, tallies.size());
            if (added) {
                Tally tally;
                tally.flow.correlation = event.correlation;
                tally.flow.firstTime = tally.flow.lastTime = event.time;
                tallies.push_back(std::move(tally));
            }
            BrokenFlow& flow = tallies[at->second].flow;
            ++flow.events;
            flow.firstTime = std::min(flow.firstTime, event.time);
            flow.lastTime = std::max(flow.lastTime, event.time);
            // Most causes come before their effects and are found at once; the rest wait for the whole range.
            auto cause = causeReferenceOf(event, flowOptions);
            if (cause && !index.has(*cause))
                unresolved.push_back({ at->second, event.id, event.position, event.time, std::move(*cause) });
        }
        if (options.progress)
            options.progress(progress);
        if (!page.next)
            break;
        query.fromPosition = page.next;
    }

    // One store lookup per distinct missing cause: many effects often name the same one.
    std::map<std::tuple<CauseReference::Kind, std::string, std::int64_t, std::string>, bool> inStore;
    for (const Unresolved& effect : unresolved) {
        if (index.has(effect.cause))
            continue;
        // The request that began the flow (causation = correlation ID) is no event, so no orphan either.
        if (effect.cause.kind == CauseReference::Kind::Id && effect.cause.id == tallies[effect.tally].flow.correlation)
            continue;
        const auto key = std::tuple(effect.cause.kind, effect.cause.id, effect.cause.position, effect.cause.stream);
        auto found = inStore.find(key);
        if (found == inStore.end()) {
            checkCancelled(options);
            found = inStore.emplace(key, storeHasCause(store, effect.cause)).first;
        }
        if (found->second)
            continue;
        Tally& tally = tallies[effect.tally];
        const bool earlier = tally.flow.orphans == 0 || effect.time < tally.firstOrphanTime
            || (effect.time == tally.firstOrphanTime && effect.position < tally.firstOrphanPosition);
        ++tally.flow.orphans;
        if (earlier) {
            tally.flow.firstOrphanId = effect.id;
            tally.flow.firstOrphanCause = effect.cause.describe();
            tally.firstOrphanTime = effect.time;
            tally.firstOrphanPosition = effect.position;
        }
    }

    std::vector<BrokenFlow> broken;
    for (Tally& tally : tallies)
        if (tally.flow.orphans > 0)
            broken.push_back(std::move(tally.flow));
    std::sort(broken.begin(), broken.end(), [](const BrokenFlow& a, const BrokenFlow& b) {
        return a.firstTime != b.firstTime ? a.firstTime < b.firstTime : a.correlation < b.correlation;
    });
    if (broken.size() > options.maxResults)
        broken.resize(options.maxResults);
    return broken;
}

} // namespace eventscope
