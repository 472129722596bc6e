#include "model/replay_engine.h"

#include "storage/error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <unordered_map>

namespace eventscope {
namespace {

constexpr std::size_t kReadPage = 1000;

bool sameJson(const std::string& a, const std::string& b)
{
    // Plain (unordered) json compares objects by key, so key order does not count.
    try {
        return nlohmann::json::parse(a) == nlohmann::json::parse(b);
    } catch (const nlohmann::json::exception&) {
        return a == b;
    }
}

} // namespace

ReplayEngine::ReplayEngine(EventStore& store, std::string stream, Reducer& reducer, int checkpointEvery)
    : m_store(store)
    , m_stream(std::move(stream))
    , m_reducer(reducer)
    , m_checkpointEvery(std::max(1, checkpointEvery))
{
}

void ReplayEngine::load(const Progress& progress)
{
    // The timeline counts a stream's events from 1, and 0 is the moment before the first. A store that numbers
    // from 0 (Message DB) has its versions shifted by one here; frames still carry the events as stored.
    m_offset = m_store.describe().versionsFromZero ? 1 : 0;
    const auto head = m_store.streamHead(m_stream);
    if (!head)
        fail(ErrorKind::BadInput, "stream " + m_stream + " has no events");
    m_points.clear();
    m_points.reserve(static_cast<std::size_t>(std::max<std::int64_t>(head->count, 0)));
    m_typeNames.clear();
    m_timesInOrder = true;
    m_checkpoints.clear();
    m_failure.reset();
    m_reducer.reset();
    m_checkpoints[0] = m_reducer.state();

    std::unordered_map<std::string, int> typeIndex;
    std::int64_t folded = 0;
    EventQuery query;
    query.stream = m_stream;
    query.limit = kReadPage;
    std::optional<std::int64_t> next = std::int64_t(0);
    while (next) {
        query.fromVersion = *next;
        const EventPage page = m_store.read(query);
        for (const Event& event : page.events) {
            auto [it, added] = typeIndex.try_emplace(event.type, static_cast<int>(m_typeNames.size()));
            if (added)
                m_typeNames.push_back(event.type);
            if (!m_points.empty() && event.time < m_points.back().time)
                m_timesInOrder = false;
            m_points.push_back({ event.time, event.version + m_offset, it->second });
        }
        // Fold in runs that end where a checkpoint is due, so each checkpoint is the state after exactly K
        // more events.
        const std::span<const Event> events(page.events);
        std::size_t at = 0;
        while (!m_failure && at < events.size()) {
            const std::size_t room = static_cast<std::size_t>(m_checkpointEvery - folded % m_checkpointEvery);
            const std::size_t take = std::min(room, events.size() - at);
            if (auto failure = m_reducer.apply(events.subspan(at, take))) {
                failure->version += m_offset; // named on the timeline, as every version the engine hands out
                m_failure = std::move(failure);
                break;
            }
            at += take;
            folded += static_cast<std::int64_t>(take);
            if (folded % m_checkpointEvery == 0)
                m_checkpoints[events[at - 1].version + m_offset] = m_reducer.state();
        }
        if (progress && !progress(static_cast<std::int64_t>(m_points.size()), head->count))
            fail(ErrorKind::Cancelled, "the replay of stream " + m_stream + " was cancelled");
        next = page.next;
    }
}

std::int64_t ReplayEngine::versionAt(Micros time) const
{
    if (m_timesInOrder) {
        const auto after = std::upper_bound(
            m_points.begin(), m_points.end(), time, [](Micros t, const StreamPoint& point) { return t < point.time; });
        return after == m_points.begin() ? 0 : std::prev(after)->version;
    }
    for (auto it = m_points.rbegin(); it != m_points.rend(); ++it)
        if (it->time <= time)
            return it->version;
    return 0;
}

ReplayFrame ReplayEngine::frameAt(std::int64_t version)
{
    ReplayFrame frame;
    version = std::clamp<std::int64_t>(version, 0, headVersion());
    frame.version = version;
    if (version == 0) {
        frame.stateBefore = frame.state = m_checkpoints.at(0);
        return frame;
    }
    // The newest checkpoint below the event, then every event up to and including it in one keyed read: all
    // but the last give the state before, the last the state after.
    auto checkpoint = std::prev(m_checkpoints.lower_bound(version));
    m_reducer.restore(checkpoint->second);
    std::vector<Event> events;
    EventQuery query;
    query.stream = m_stream;
    query.limit = kReadPage;
    std::optional<std::int64_t> next = checkpoint->first + 1 - m_offset;
    while (next && *next + m_offset <= version) {
        query.fromVersion = *next;
        EventPage page = m_store.read(query);
        for (Event& event : page.events)
            if (event.version + m_offset <= version)
                events.push_back(std::move(event));
        next = page.next;
    }
    if (events.empty() || events.back().version + m_offset != version) {
        frame.stateBefore = frame.state = m_reducer.state();
        return frame; // the stream changed under us: no event of that version any more
    }
    frame.event = events.back();
    const std::span<const Event> before(events.data(), events.size() - 1);
    if (auto failure = m_reducer.apply(before)) {
        failure->version += m_offset;
        frame.failure = std::move(failure);
        frame.stateBefore = frame.state = m_reducer.state();
        frame.steps = static_cast<std::int64_t>(before.size());
        return frame;
    }
    frame.stateBefore = m_reducer.state();
    frame.steps = static_cast<std::int64_t>(events.size());
    if (auto failure = m_reducer.apply(std::span<const Event>(&events.back(), 1))) {
        failure->version += m_offset;
        frame.failure = std::move(failure);
        frame.state = frame.stateBefore;
        return frame;
    }
    frame.state = m_reducer.state();
    return frame;
}

std::vector<SnapshotDrift> ReplayEngine::snapshotDrift(std::size_t limit)
{
    std::vector<SnapshotDrift> drifts;
    std::int64_t below = headVersion();
    while (drifts.size() < limit && below > 0) {
        const auto snapshot = m_store.loadSnapshot(m_stream, below, m_reducer.name());
        if (!snapshot)
            break;
        SnapshotDrift drift;
        drift.version = snapshot->version;
        drift.time = snapshot->time;
        drift.stored = snapshot->state;
        drift.replayed = frameAt(snapshot->version).state;
        drift.equal = sameJson(drift.stored, drift.replayed);
        drifts.push_back(std::move(drift));
        below = snapshot->version - 1;
    }
    return drifts;
}

} // namespace eventscope
