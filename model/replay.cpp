#include "model/replay.h"

#include "storage/error.h"
#include "storage/time_format.h"

namespace eventscope {

void MergePatchReducer::apply(nlohmann::ordered_json& state, const Event& event)
{
    nlohmann::ordered_json patch;
    try {
        patch = nlohmann::ordered_json::parse(event.data);
    } catch (const nlohmann::json::parse_error&) {
        fail(ErrorKind::BadInput,
            "the data of event " + std::to_string(event.version) + " in stream " + event.stream + " is not JSON");
    }
    if (patch.is_object()) {
        state.merge_patch(patch);
    } else {
        // RFC 7386 replaces the whole document with a non-object patch; keep it under a key so that the
        // state stays an object that can carry $version.
        state = nlohmann::ordered_json::object();
        state["$value"] = std::move(patch);
    }
    state["$version"] = event.version;
    state["$type"] = event.type;
    state["$time"] = formatTime(event.time);
}

ReplayResult replayStream(EventStore& store, const std::string& stream, const ReplayTarget& target)
{
    const auto head = store.streamHead(stream);
    if (!head)
        fail(ErrorKind::BadInput, "stream " + stream + " has no events");
    if (target.version && *target.version < 0)
        fail(ErrorKind::BadInput, "a version to replay to cannot be negative");
    const std::int64_t lastVersion = target.version ? std::min(*target.version, head->version) : head->version;

    ReplayResult result;
    result.state = MergePatchReducer::initialState();
    std::int64_t fromVersion = 1;
    if (auto snapshot = store.loadSnapshot(stream, lastVersion, MergePatchReducer::kName);
        snapshot && (!target.at || snapshot->time <= *target.at)) {
        result.state = nlohmann::ordered_json::parse(snapshot->state);
        result.version = snapshot->version;
        result.snapshotVersion = snapshot->version;
        fromVersion = snapshot->version + 1;
    }

    EventQuery query;
    query.stream = stream;
    query.until = target.at;
    query.limit = 1000;
    std::optional<std::int64_t> next = fromVersion;
    while (next && *next <= lastVersion) {
        query.fromVersion = *next;
        const EventPage page = store.read(query);
        for (const Event& event : page.events) {
            if (event.version > lastVersion)
                return result;
            MergePatchReducer::apply(result.state, event);
            result.version = event.version;
            ++result.eventsFolded;
        }
        next = page.next;
    }
    return result;
}

} // namespace eventscope
