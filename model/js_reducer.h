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

#include "model/js_event_batch.h"
#include "model/js_sandbox.h"
#include "model/reducer.h"

#include <QJSValue>

#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

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
    using Call = JsSandbox::Call;
    Call run(const QJSValue& function, const QJSValueList& arguments = {}) const;

    QJSValue evaluate(const std::string& script);
    // After a fold stopped inside `chunk`: says why, and takes the state back to just before that event.
    ReducerFailure recover(std::span<const Event> chunk, const Call& stopped);
    ReducerFailure failureAt(const Event& event) const; // with what the script threw
    std::pair<std::string, std::string> thrown() const; // the message and stack of what the script last threw
    std::string timeLimitMessage(const std::string& subject = "the reducer") const;

    std::string m_name;
    std::unique_ptr<JsSandbox> m_sandbox;
    QJSValue m_apply, m_rollback, m_at, m_thrown, m_reset, m_restore, m_state; // the driver's entry points
    std::optional<std::unordered_set<std::string>> m_handled; // the types with a handler; none: $any takes all
    std::unique_ptr<JsEventBatch> m_batch;
};

} // namespace eventscope
