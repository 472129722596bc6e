#include "model/replay.h"

#include "storage/error.h"
#include "storage/time_format.h"

namespace eventscope {
namespace {

class MergePatchAdapter final : public Reducer
{
public:
    std::string name() const override { return MergePatchReducer::kName; }
    void reset() override { m_state = MergePatchReducer::initialState(); }
    void restore(const std::string& stateJson) override { m_state = nlohmann::ordered_json::parse(stateJson); }
    std::optional<ReducerFailure> apply(std::span<const Event> events) override
    {
        for (const Event& event : events) {
            try {
                MergePatchReducer::apply(m_state, event);
            } catch (const Error& e) {
                return ReducerFailure { event.version, event.type, e.what(), {} };
            }
        }
        return std::nullopt;
    }
    std::string state() const override
    {
        return m_state.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }

private:
    nlohmann::ordered_json m_state = MergePatchReducer::initialState();
};

} // namespace

std::unique_ptr<Reducer> makeMergePatchReducer()
{
    return std::make_unique<MergePatchAdapter>();
}

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
    const auto reducer = makeMergePatchReducer();
    return replayStream(store, stream, target, *reducer);
}

ReplayResult replayStream(EventStore& store, const std::string& stream, const ReplayTarget& target, Reducer& reducer)
{
    const auto head = store.streamHead(stream);
    if (!head)
        fail(ErrorKind::BadInput, "stream " + stream + " has no events");
    if (target.version && *target.version < 0)
        fail(ErrorKind::BadInput, "a version to replay to cannot be negative");
    const std::int64_t lastVersion = target.version ? std::min(*target.version, head->version) : head->version;

    ReplayResult result;
    reducer.reset();
    // From the stream's first event: version 1 in native stores, 0 where a store counts from 0 (Message DB).
    std::int64_t fromVersion = 0;
    if (auto snapshot = store.loadSnapshot(stream, lastVersion, reducer.name());
        snapshot && (!target.at || snapshot->time <= *target.at)) {
        reducer.restore(snapshot->state);
        result.version = snapshot->version;
        result.snapshotVersion = snapshot->version;
        fromVersion = snapshot->version + 1;
    }

    // Events with time <= at, in version order: where times go back and forth (imported events), that is not
    // a prefix of the stream, so the time is a filter rather than a stopping point.
    EventQuery query;
    query.stream = stream;
    query.until = target.at;
    query.limit = 1000;
    std::optional<std::int64_t> next = fromVersion;
    while (next && *next <= lastVersion) {
        query.fromVersion = *next;
        EventPage page = store.read(query);
        std::erase_if(page.events, [&](const Event& e) { return e.version > lastVersion; });
        if (auto failure = reducer.apply(page.events)) {
            for (const Event& e : page.events) {
                if (e.version >= failure->version)
                    break;
                result.version = e.version;
                ++result.eventsFolded;
            }
            result.failure = std::move(failure);
            break;
        }
        if (!page.events.empty())
            result.version = page.events.back().version;
        result.eventsFolded += static_cast<std::int64_t>(page.events.size());
        next = page.next;
    }
    try {
        result.state = nlohmann::ordered_json::parse(reducer.state());
    } catch (const std::exception&) {
        if (!result.failure)
            throw;
        // After a failure the reducer may hold no state it can write; the failure is the answer.
        result.state = nlohmann::ordered_json::object();
    }
    return result;
}

std::string describeFailure(const std::string& stream, const ReducerFailure& failure)
{
    return "the reducer failed at version " + std::to_string(failure.version) + " (" + failure.type + ") of stream "
        + stream + ": " + failure.message;
}

} // namespace eventscope
