#pragma once
// The Flow tab's *Broken flows* (DESIGN §6, §9): the correlation IDs of a time range that have orphans, events
// whose causation names an event the store does not have. One pass over the range, page by page, so that a
// range of any size is scanned in bounded pages; the store is asked only about causes the range does not hold.

#include "model/flow_collector.h"
#include "storage/conventions.h"

#include <atomic>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace eventscope {

class EventStore;

struct BrokenFlow
{
    std::string correlation;
    std::size_t events = 0; // the correlation's events within the range
    std::size_t orphans = 0;
    Micros firstTime = 0; // of the correlation's events within the range
    Micros lastTime = 0;
    std::string firstOrphanId; // the earliest orphan (by time, then position)
    std::string firstOrphanCause; // what it names: CauseReference::describe()

    bool operator==(const BrokenFlow&) const = default;
};

struct BrokenFlowScanOptions
{
    std::optional<Micros> since; // inclusive
    std::optional<Micros> until; // inclusive
    Conventions conventions;
    // Message DB style stores number stream positions from 0 (see FlowOptions).
    bool streamPositionsFromZero = false;
    // The earliest flows are kept when more are broken: the list is for a person to read.
    std::size_t maxResults = 10000;
    const std::atomic<bool>* cancel = nullptr; // set: Error(Cancelled)
    // After each page: eventsFound counts the correlated events read so far; firstPosition is the first position
    // read and lastPosition the store's head when the scan began, an upper bound of the range.
    std::function<void(const FlowScanProgress&)> progress;
};

// The correlations with orphans among the events whose time is within [since, until], system streams included,
// ordered by their first time in the range, then by correlation ID. A cause counts as present when it is in the
// range (even after its effect, when clocks disagree) or anywhere in the store, under any correlation. Throws
// BadInput when `until` comes before `since`, Cancelled when cancelled.
std::vector<BrokenFlow> findBrokenFlows(EventStore& store, const BrokenFlowScanOptions& options);

} // namespace eventscope
