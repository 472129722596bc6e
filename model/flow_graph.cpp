#include "model/flow_graph.h"

#include "storage/time_format.h"
#include "storage/uuid.h"

#include <algorithm>
#include <map>
#include <optional>
#include <unordered_map>
#include <utility>

namespace eventscope {

namespace {

constexpr std::size_t noCause = static_cast<std::size_t>(-1);

// What an event's causation names, before looking it up.
enum class CauseKind { None, Found, Missing, Elsewhere };

// A UUID may be spelled in capitals or braces by whoever wrote the causation; the stores keep lower case.
std::string idKey(const std::string& id)
{
    return isUuid(id) ? normalizeUuid(id) : id;
}

struct Lookup
{
    std::unordered_map<std::string, std::size_t> byId;
    std::unordered_map<std::int64_t, std::size_t> byPosition;
    std::map<std::pair<std::string, std::int64_t>, std::size_t> byStreamVersion;

    // The first event in time order wins a duplicated key, so that a repeated ID resolves the same way every time.
    explicit Lookup(const std::vector<Event>& events)
    {
        for (std::size_t i = 0; i < events.size(); ++i) {
            const Event& event = events[i];
            if (!event.id.empty())
                byId.emplace(idKey(event.id), i);
            byPosition.emplace(event.position, i);
            byStreamVersion.emplace(std::make_pair(event.stream, event.version), i);
        }
    }
};

template <typename Map, typename Key> std::pair<CauseKind, std::size_t> find(const Map& map, const Key& key)
{
    const auto it = map.find(key);
    return it == map.end() ? std::pair { CauseKind::Missing, noCause } : std::pair { CauseKind::Found, it->second };
}

std::pair<CauseKind, std::size_t> causeOf(const Event& event, const Lookup& lookup, const FlowOptions& options)
{
    const auto reference = causeReferenceOf(event, options);
    if (!reference)
        return { CauseKind::None, noCause };
    std::pair<CauseKind, std::size_t> found;
    switch (reference->kind) {
    case CauseReference::Kind::Id:
        found = find(lookup.byId, idKey(reference->id));
        break;
    case CauseReference::Kind::GlobalPosition:
        found = find(lookup.byPosition, reference->position);
        break;
    case CauseReference::Kind::StreamPosition:
        found = find(lookup.byStreamVersion, std::make_pair(reference->stream, reference->position));
        break;
    }
    if (found.first == CauseKind::Missing && startsTheFlow(event, *reference))
        return { CauseKind::None, noCause };
    if (found.first == CauseKind::Missing && options.causeExistsElsewhere && options.causeExistsElsewhere(*reference))
        return { CauseKind::Elsewhere, noCause };
    return found;
}

// Each event has at most one cause, so every loop is found by walking causes until a walk meets itself.
// The loop is broken at its earliest event: its cause is the edge that closes the loop.
std::vector<std::size_t> breakLoops(std::vector<std::size_t>& cause)
{
    enum : char { Unseen, OnWalk, Done };
    std::vector<char> state(cause.size(), Unseen);
    std::vector<std::size_t> broken;
    std::vector<std::size_t> walk;
    for (std::size_t start = 0; start < cause.size(); ++start) {
        walk.clear();
        std::size_t at = start;
        while (at != noCause && state[at] == Unseen) {
            state[at] = OnWalk;
            walk.push_back(at);
            at = cause[at];
        }
        if (at != noCause && state[at] == OnWalk) {
            const auto loopStart = std::find(walk.begin(), walk.end(), at);
            const std::size_t earliest = *std::min_element(loopStart, walk.end());
            cause[earliest] = noCause;
            broken.push_back(earliest);
        }
        for (const std::size_t visited : walk)
            state[visited] = Done;
    }
    std::sort(broken.begin(), broken.end());
    return broken;
}

std::vector<std::size_t> criticalPath(
    const FlowGraph& flow, const std::vector<std::size_t>& cause, const std::vector<bool>& isRoot)
{
    const std::size_t count = flow.events.size();
    // The top of each event's chain and the chain's length; filled by walking up to the first known event.
    std::vector<std::size_t> top(count, noCause);
    std::vector<std::size_t> depth(count, 0);
    std::vector<std::size_t> walk;
    for (std::size_t i = 0; i < count; ++i) {
        walk.clear();
        std::size_t at = i;
        while (top[at] == noCause) {
            walk.push_back(at);
            if (cause[at] == noCause) {
                top[at] = at;
                depth[at] = 1;
                walk.pop_back();
                break;
            }
            at = cause[at];
        }
        for (auto it = walk.rbegin(); it != walk.rend(); ++it) {
            top[*it] = top[cause[*it]];
            depth[*it] = depth[cause[*it]] + 1;
        }
    }
    std::size_t best = noCause;
    Micros bestSpan = 0;
    for (std::size_t i = 0; i < count; ++i) {
        if (!isRoot[top[i]])
            continue; // a chain under an orphan does not start at a root
        const Micros span = flow.events[i].time - flow.events[top[i]].time;
        if (best == noCause || span > bestSpan || (span == bestSpan && depth[i] > depth[best])) {
            best = i;
            bestSpan = span;
        }
    }
    std::vector<std::size_t> path;
    for (std::size_t at = best; at != noCause; at = cause[at])
        path.push_back(at);
    std::reverse(path.begin(), path.end());
    return path;
}

nlohmann::ordered_json jsonOrText(const std::string& text)
{
    auto value = nlohmann::ordered_json::parse(text, nullptr, false);
    if (value.is_discarded())
        return text;
    return value;
}

} // namespace

bool startsTheFlow(const Event& event, const CauseReference& cause)
{
    return cause.kind == CauseReference::Kind::Id && !event.correlation.empty() && cause.id == event.correlation;
}

std::string CauseReference::describe() const
{
    switch (kind) {
    case Kind::Id:
        return "event " + id;
    case Kind::GlobalPosition:
        return "position " + std::to_string(position);
    case Kind::StreamPosition:
        return stream + " version " + std::to_string(position);
    }
    return {};
}

std::optional<CauseReference> causeReferenceOf(const Event& event, const FlowOptions& options)
{
    if (!event.causation.empty())
        return CauseReference { CauseReference::Kind::Id, event.causation, 0, {} };
    if (event.metadata.empty())
        return std::nullopt;
    const auto metadata = nlohmann::json::parse(event.metadata, nullptr, false);
    if (!metadata.is_object())
        return std::nullopt;
    if (const auto global = metadata.find("causationMessageGlobalPosition");
        global != metadata.end() && global->is_number_integer())
        return CauseReference { CauseReference::Kind::GlobalPosition, {}, global->get<std::int64_t>(), {} };
    const auto stream = metadata.find("causationMessageStreamName");
    const auto position = metadata.find("causationMessagePosition");
    if (stream != metadata.end() && stream->is_string() && position != metadata.end()
        && position->is_number_integer()) {
        const std::int64_t version = position->get<std::int64_t>() + (options.streamPositionsFromZero ? 0 : 1);
        return CauseReference { CauseReference::Kind::StreamPosition, {}, version, stream->get<std::string>() };
    }
    return std::nullopt;
}

FlowGraph buildFlowGraph(const std::string& correlation, std::vector<Event> events, const FlowOptions& options)
{
    FlowGraph flow;
    flow.correlation = correlation;
    std::stable_sort(events.begin(), events.end(),
        [](const Event& a, const Event& b) { return a.time != b.time ? a.time < b.time : a.position < b.position; });
    flow.events = std::move(events);

    const std::size_t count = flow.events.size();
    const Lookup lookup(flow.events);
    std::vector<std::size_t> cause(count, noCause);
    std::vector<bool> isRoot(count, false);
    for (std::size_t i = 0; i < count; ++i) {
        const auto [kind, index] = causeOf(flow.events[i], lookup, options);
        if (kind == CauseKind::Missing)
            flow.orphans.push_back(i);
        else if (kind == CauseKind::Elsewhere) {
            flow.externalCauses.push_back(i);
            isRoot[i] = true;
        } else if (kind == CauseKind::None || index == i)
            isRoot[i] = true;
        else
            cause[i] = index;
    }
    flow.cycles = breakLoops(cause);
    for (const std::size_t broken : flow.cycles)
        isRoot[broken] = true;

    for (std::size_t i = 0; i < count; ++i) {
        if (isRoot[i])
            flow.roots.push_back(i);
        if (cause[i] != noCause)
            flow.edges.push_back({ cause[i], i, flow.events[i].time - flow.events[cause[i]].time });
    }
    flow.criticalPath = criticalPath(flow, cause, isRoot);
    return flow;
}

nlohmann::ordered_json flowToJson(const FlowGraph& flow)
{
    nlohmann::ordered_json json;
    json["correlation"] = flow.correlation;
    json["events"] = nlohmann::ordered_json::array();
    for (const Event& event : flow.events) {
        nlohmann::ordered_json line;
        line["position"] = event.position;
        line["stream"] = event.stream;
        line["version"] = event.version;
        line["id"] = event.id;
        line["type"] = event.type;
        line["time"] = formatTime(event.time);
        line["data"] = jsonOrText(event.data);
        line["metadata"] = jsonOrText(event.metadata);
        json["events"].push_back(std::move(line));
    }
    json["edges"] = nlohmann::ordered_json::array();
    for (const FlowEdge& edge : flow.edges) {
        nlohmann::ordered_json line;
        line["from"] = flow.events[edge.fromIndex].id;
        line["to"] = flow.events[edge.toIndex].id;
        json["edges"].push_back(std::move(line));
    }
    json["orphans"] = nlohmann::ordered_json::array();
    for (const std::size_t orphan : flow.orphans)
        json["orphans"].push_back(flow.events[orphan].id);
    return json;
}

} // namespace eventscope
