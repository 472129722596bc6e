#pragma once
// Collects the events of one correlation ID from a store (DESIGN §6) and joins them into a FlowGraph. With the
// conventions the store derived its columns by, the correlation index serves the read; with other conventions
// (configured per connection) the metadata is searched for the ID and every event derived again.

#include "model/flow_graph.h"
#include "storage/conventions.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

namespace eventscope {

class EventStore;

struct FlowScanProgress
{
    std::size_t eventsFound = 0;
    std::int64_t position = 0; // the last position read
    std::int64_t firstPosition = 0; // the range being read, for a fraction and an ETA
    std::int64_t lastPosition = 0;
};

struct FlowCollectOptions
{
    Conventions conventions;
    // Message DB style stores number stream positions from 0 (see FlowOptions).
    bool streamPositionsFromZero = false;
    // A flow bigger than this is refused with a sentence rather than filling memory.
    std::size_t maxEvents = 1'000'000;
    const std::atomic<bool>* cancel = nullptr; // set: Error(Cancelled)
    std::function<void(const FlowScanProgress&)> progress; // after each page
};

// Every event whose correlation (by the conventions) is `correlation`, system streams included, joined by
// causation. A cause not among them is looked up in the store: found, the event is an external cause's root;
// not found, an orphan. An unknown correlation gives an empty flow. Throws BadInput for an empty correlation.
FlowGraph collectFlow(EventStore& store, const std::string& correlation, const FlowCollectOptions& options = {});

// Whether the store has the event a cause reference names, at whatever correlation.
bool storeHasCause(EventStore& store, const CauseReference& cause);

} // namespace eventscope
