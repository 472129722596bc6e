#pragma once
// A reducer folds a stream's events into a state (DESIGN §4). The state lives inside the reducer between calls,
// so that a JavaScript reducer keeps its objects in its engine; the replay engine asks for the state as JSON
// text only where it keeps a checkpoint or shows it.

#include "storage/event.h"

#include <chrono>
#include <memory>
#include <optional>
#include <span>
#include <string>

namespace eventscope {

// Why a fold stopped early: the event whose handler threw, or ran past the time limit.
struct ReducerFailure
{
    std::int64_t version = 0;
    std::string type;
    std::string message; // one sentence: the script's own message, or "ran past its time limit of 10 s"
    std::string stack; // the JavaScript stack, when there is one
};

class Reducer
{
public:
    virtual ~Reducer() = default;

    // Tags the snapshots made with this reducer: "merge-patch", or "js:" and the SHA-256 of the script.
    virtual std::string name() const = 0;
    // Back to the initial state ({} or what $init returns).
    virtual void reset() = 0;
    // Continues from a kept state (a stored snapshot or a checkpoint), given as JSON text.
    virtual void restore(const std::string& stateJson) = 0;
    // Folds events in version order. Stops at the first event that fails and returns why; the state then holds
    // every event before it.
    virtual std::optional<ReducerFailure> apply(std::span<const Event> events) = 0;
    // The state as compact JSON text.
    virtual std::string state() const = 0;
};

// RFC 7386 merge patch of each event's data, plus $version, $type and $time.
std::unique_ptr<Reducer> makeMergePatchReducer();

// A JavaScript reducer of the handler-object shape of DESIGN §4, in a sandboxed QJSEngine owned by the calling
// thread. Throws Error(Script) with the line when the script does not compile or does not evaluate to an object
// of handlers.
std::unique_ptr<Reducer> makeJsReducer(
    const std::string& script, std::chrono::milliseconds timeLimit = std::chrono::seconds(10));

} // namespace eventscope
