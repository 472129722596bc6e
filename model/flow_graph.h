#pragma once
// The events of one correlation ID joined into a graph by causation (DESIGN §6), and its JSON export (§8).
// Pure: the caller reads the events; this only joins them, so the CLI and the window share one answer.

#include "storage/event.h"

#include <cstddef>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace eventscope {

// What an event's causation names: an event ID, or (Message DB) a global position, or a stream and position.
struct CauseReference
{
    enum class Kind { Id, GlobalPosition, StreamPosition };
    Kind kind = Kind::Id;
    std::string id;
    std::int64_t position = 0; // GlobalPosition: the position; StreamPosition: the version it names in our numbering
    std::string stream;

    std::string describe() const; // "event 5f0c…", "position 42", "order-1 version 3"
};

struct FlowOptions
{
    // Message DB numbers stream positions from 0. When the store numbers versions from 1 (native stores),
    // causationMessagePosition P names version P + 1; when it numbers from 0, version P.
    bool streamPositionsFromZero = false;
    // Asked for each cause not among the flow's events: true when the store has it under another correlation.
    // Such an event is no orphan (its cause exists) but a root of this flow, listed in externalCauses.
    std::function<bool(const CauseReference&)> causeExistsElsewhere;
};

// The cause an event names by the conventions of DESIGN §2, or nothing. `event.causation` is the derived ID.
std::optional<CauseReference> causeReferenceOf(const Event& event, const FlowOptions& options = {});

// Many systems set the first event's causation to the correlation ID: the request that began the flow, which is
// no event. When no event has that ID, such an event is a root, not an orphan.
bool startsTheFlow(const Event& event, const CauseReference& cause);

struct FlowEdge
{
    std::size_t fromIndex = 0; // the causing event
    std::size_t toIndex = 0; // the caused event
    Micros gapMicros = 0; // caused time minus causing time; negative when clocks disagree
};

struct FlowGraph
{
    std::string correlation;
    std::vector<Event> events; // by time, ties by position
    std::vector<FlowEdge> edges; // by toIndex
    // Indexes into events, each list ascending (criticalPath runs from its root to its end instead).
    std::vector<std::size_t> orphans; // causation names an event that is not in the store: no edge
    std::vector<std::size_t> externalCauses; // caused by an event of another correlation: a root, no edge
    std::vector<std::size_t> roots; // no causation, causation is the event itself, or a broken loop's start
    std::vector<std::size_t> cycles; // events whose causation closed a loop: that edge is left out
    std::vector<std::size_t> criticalPath;
};

// `events` are all those whose derived correlation is `correlation`, in any order.
// Each orphan's causeReferenceOf() says what it names. Causation is joined by
// event ID first, then by Message DB's causationMessageGlobalPosition, then by its causationMessageStreamName
// + causationMessagePosition (DESIGN §2). A loop of causes is broken at its earliest event, which becomes a
// root. The critical path is the chain from a root maximising its end's time minus the root's, ties by more
// events, then by the earlier end.
FlowGraph buildFlowGraph(const std::string& correlation, std::vector<Event> events, const FlowOptions& options = {});

// {"correlation","events":[{"position","stream","version","id","type","time","data","metadata"}],
//  "edges":[{"from","to"}],"orphans":[IDs]}: data and metadata as JSON values, or as text when not JSON.
nlohmann::ordered_json flowToJson(const FlowGraph& flow);

} // namespace eventscope
