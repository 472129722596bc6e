#pragma once
// The timeline's replay engine (DESIGN §4). It reads a stream once, keeps each event's time and type for the
// timeline and the reducer's state every K events; after that, the state at any version costs at most K
// reducer steps and one keyed read of at most K events, whatever the stream's length.
//
// One engine, one store connection and one reducer belong to one thread (a JavaScript reducer's engine lives
// where it was made); ReplaySession runs them on a worker thread for the window.

#include "model/reducer.h"
#include "storage/event_store.h"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace eventscope {

struct StreamPoint
{
    Micros time = 0;
    std::int64_t version = 0;
    int typeIndex = 0; // into ReplayEngine::typeNames()
};

// One moment of the stream: the state before and after the event of `version`, and that event.
struct ReplayFrame
{
    std::int64_t version = 0; // 0: before the first event
    std::string stateBefore; // JSON text
    std::string state; // JSON text, after the event (== stateBefore where the event failed)
    std::optional<Event> event;
    std::optional<ReducerFailure> failure; // the fold stopped at or before this version
    std::int64_t steps = 0; // reducer steps this frame cost
};

// A stored snapshot beside the state the reducer gives at its version.
struct SnapshotDrift
{
    std::int64_t version = 0;
    Micros time = 0;
    std::string stored; // JSON text
    std::string replayed;
    bool equal = false; // the same JSON values, whatever the key order
};

class ReplayEngine
{
public:
    // Called now and then with the events read so far and the stream's length; return false to stop the load,
    // which then throws ErrorKind::Cancelled.
    using Progress = std::function<bool(std::int64_t done, std::int64_t total)>;

    ReplayEngine(EventStore& store, std::string stream, Reducer& reducer, int checkpointEvery = 1000);

    // Reads the whole stream. A failing event ends the fold there; the timeline still gets every event.
    // Throws BadInput when the stream has no events.
    void load(const Progress& progress = {});

    const std::string& stream() const { return m_stream; }
    const std::vector<StreamPoint>& points() const { return m_points; }
    const std::vector<std::string>& typeNames() const { return m_typeNames; }
    std::int64_t headVersion() const { return m_points.empty() ? 0 : m_points.back().version; }
    const std::optional<ReducerFailure>& loadFailure() const { return m_failure; }
    int checkpointEvery() const { return m_checkpointEvery; }
    std::size_t checkpointCount() const { return m_checkpoints.size(); }

    // The last version whose event has time <= `time` (0 when none). Times that go back within the stream make
    // "the state at a time" a prefix no longer: then this is the last such event in version order.
    std::int64_t versionAt(Micros time) const;
    // The state after the event of `version` (clamped to the stream), and the one before it.
    ReplayFrame frameAt(std::int64_t version);
    // The stored snapshots made by this reducer (newest first, at most `limit`) beside the replayed state.
    std::vector<SnapshotDrift> snapshotDrift(std::size_t limit = 20);

private:
    EventStore& m_store;
    std::string m_stream;
    Reducer& m_reducer;
    int m_checkpointEvery;
    std::vector<StreamPoint> m_points;
    std::vector<std::string> m_typeNames;
    bool m_timesInOrder = true;
    std::map<std::int64_t, std::string> m_checkpoints; // version -> state after it (0: the initial state)
    std::int64_t m_offset = 0; // 1 where the store numbers a stream's events from 0
    std::optional<ReducerFailure> m_failure;
};

} // namespace eventscope
