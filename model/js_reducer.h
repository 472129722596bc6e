#pragma once
// The JavaScript reducer of DESIGN §4: a KurrentDB-style object of handlers run in a sandboxed QJSEngine (no
// extensions: no console, no Qt, no XMLHttpRequest, no file or network access).
//
// Each event goes to the handler named by its type, else to $any, else nowhere (KurrentDB's engine runs one
// handler, never both). A handler's return value replaces the state unless it is undefined. $init gives the
// first state ({} when it is absent or returns nothing). Events carry our fields (type stream version position
// time id data metadata correlation causation actor schemaVersion) and KurrentDB's (eventType streamId
// sequenceNumber = version - 1, body, bodyRaw, metadataRaw, isJson, partition, eventId, category); data that is
// not JSON is its text, with isJson false and body undefined.
//
// A reducer belongs to the thread that made it (its engine does), and is used from that thread only.
// The time limit applies to each call into the script: each apply() as a whole (all its events), each reset()
// ($init), restore() and state(). Callers choose the batch size; a batch of ~1000 events costs one crossing
// into JavaScript. When a handler throws or runs out of time, the state is taken back to just before its event:
// each apply() keeps the state as JSON at its start (one JSON.stringify, shared with a state() called just
// before) and replays the events before the failing one.

#include "model/reducer.h"

#include <QJSValue>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>
#include <unordered_set>
#include <utility>
#include <vector>

class QJSEngine;

namespace eventscope {

class JsReducer final : public Reducer
{
public:
    // Throws Error(Script) when the script does not compile, does not evaluate to an object of handlers, or its
    // $init fails.
    JsReducer(const std::string& script, std::chrono::milliseconds timeLimit);
    ~JsReducer() override;

    std::string name() const override;
    void reset() override;
    // Throws Error(BadInput) when the text is not JSON.
    void restore(const std::string& stateJson) override;
    std::optional<ReducerFailure> apply(std::span<const Event> events) override;
    // Throws Error(Script) when the state cannot be written as JSON (a cycle, a BigInt, a toJSON that throws).
    std::string state() const override;

private:
    struct Call
    {
        QJSValue result;
        bool timedOut = false;
    };
    // Runs `call` (a call into the engine) under a deadline, and makes the engine usable again if the watchdog
    // interrupted it.
    template <typename F> Call run(F&& call, std::chrono::steady_clock::time_point deadline) const;
    Call run(const QJSValue& function, const QJSValueList& arguments = {}) const;
    std::chrono::steady_clock::time_point deadline() const;
    void watch(std::stop_token stop);

    QJSValue evaluate(const std::string& script);
    // Writes the first events (up to a chunk) into the batch that the driver reads; see the driver in the .cpp.
    QJSValueList encode(std::span<const Event> events, std::size_t& count);
    std::int32_t intern(const std::string& text);
    bool handles(std::int32_t type); // whether a handler will see events of m_strings[type]
    // After a fold stopped inside `chunk`: says why, and takes the state back to just before that event.
    ReducerFailure recover(std::span<const Event> chunk, const Call& stopped);
    ReducerFailure failureAt(const Event& event) const; // with what the script threw
    std::pair<std::string, std::string> thrown() const; // the message and stack of what the script last threw
    std::string timeLimitMessage(const std::string& subject = "the reducer") const;

    std::string m_name;
    std::chrono::milliseconds m_timeLimit;
    std::unique_ptr<QJSEngine> m_engine;
    QJSValue m_apply, m_rollback, m_at, m_thrown, m_reset, m_restore, m_state; // the driver's entry points

    // Batch buffers, kept between calls to spare allocations.
    std::string m_data; // a JSON array of the events' data
    std::string m_blob; // the texts read on demand: id, correlation, causation, actor, time, metadata, raw data
    std::vector<std::int32_t> m_ints; // per event: type and stream (indexes into m_strings), then text offsets
    std::vector<double> m_numbers; // per event: version, position, time (µs), data is JSON, schema version
    std::vector<std::string> m_strings; // the batch's distinct types and streams
    std::vector<signed char> m_handles; // per m_strings entry used as a type: 1 handled, 0 not, -1 not yet known
    std::optional<std::unordered_set<std::string>> m_handled; // the types with a handler; none: $any takes all

    // The watchdog: a thread that wakes at deadlines (or when a first one is set) and interrupts a call past it.
    mutable std::mutex m_mutex;
    mutable std::condition_variable_any m_wake;
    mutable std::optional<std::chrono::steady_clock::time_point> m_deadline;
    mutable bool m_fired = false;
    std::chrono::steady_clock::time_point m_watchedUntil = std::chrono::steady_clock::time_point::max();
    std::jthread m_watchdog; // last: it starts once everything it reads exists, and stops before it goes
};

} // namespace eventscope
