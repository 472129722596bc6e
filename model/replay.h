#pragma once
// Replays one stream to a moment (DESIGN §4) through a reducer: the default RFC 7386 merge patch of each
// event's data onto the state, plus "$version", "$type" (the last type) and "$time", or a JavaScript one.
// This is the one-shot fold of the command line; the timeline's engine with checkpoints is ReplayEngine.

#include "model/reducer.h"
#include "storage/event_store.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace eventscope {

struct ReplayTarget
{
    std::optional<Micros> at; // fold events with time <= at
    std::optional<std::int64_t> version; // fold events with version <= version
};

struct ReplayResult
{
    nlohmann::ordered_json state;
    std::int64_t version = 0; // the last version folded in (0: none)
    std::int64_t eventsFolded = 0; // reducer steps taken (after any snapshot)
    std::optional<std::int64_t> snapshotVersion; // the snapshot the replay started from
    std::optional<ReducerFailure> failure; // the fold stopped at this event; `state` holds what came before
};

class MergePatchReducer
{
public:
    static constexpr const char* kName = "merge-patch";
    static nlohmann::ordered_json initialState() { return nlohmann::ordered_json::object(); }
    // Throws BadInput when the event's data is not JSON.
    static void apply(nlohmann::ordered_json& state, const Event& event);
};

// Throws BadInput when the stream has no events.
ReplayResult replayStream(EventStore& store, const std::string& stream, const ReplayTarget& target);
ReplayResult replayStream(EventStore& store, const std::string& stream, const ReplayTarget& target, Reducer& reducer);

// The sentence for a failed fold, naming the stream, version and type.
std::string describeFailure(const std::string& stream, const ReducerFailure& failure);

} // namespace eventscope
