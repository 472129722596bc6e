#pragma once
// The projection runtime of DESIGN §5: a KurrentDB-style projection script (fromAll/fromStream/fromStreams/
// fromCategory, foreachStream, partitionBy, when with $init, $initShared, $created and $any, transformBy,
// filterBy, outputState, options; emit, linkTo and log in handlers) run in a sandboxed QJSEngine.
//
// Events reach handlers with our fields and KurrentDB's, as reducers see them (js_reducer.h); `partition` is the
// event's partition ("" when the projection is not partitioned).
//
// The runtime holds partition states in its engine between batches. It does not read the store: apply() asks its
// loader for the stored states of partitions it has not seen, and take() hands back what changed for the runner to
// commit. A runtime belongs to the thread that made it.

#include "model/js_event_batch.h"
#include "model/js_sandbox.h"
#include "model/projection_definition.h"
#include "storage/query.h"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace eventscope {

struct ProjectionEmit
{
    std::string stream;
    std::string type; // "$>" for linkTo
    std::string data; // JSON text
    std::string metadata; // JSON text, as the script gave it
    std::size_t eventIndex = 0; // which event of the applied span emitted it
};

struct ProjectionLogLine
{
    std::string text;
    std::size_t eventIndex = 0;
};

// Why apply() stopped: the event whose handler (or partitionBy) threw or ran past the time limit.
struct ProjectionFault
{
    std::size_t eventIndex = 0; // in the span given to apply()
    std::string message;
    std::string stack; // the JavaScript stack, without the driver's frames
    bool timedOut = false;
};

// What changed since the last take().
struct ProjectionChanges
{
    std::vector<PartitionState> states;
    std::vector<ProjectionEmit> emitted;
    std::vector<ProjectionLogLine> logs; // at most 1000 between takes
};

class JsProjection
{
public:
    // Returns the stored states of the partitions asked for (absent ones left out).
    using Loader = std::function<std::vector<PartitionState>(const std::vector<std::string>& partitions)>;

    // Runs the script's top level. Throws Error(Script) when it does not compile (with the line), throws, runs
    // past the time limit, or defines no source or no handlers.
    JsProjection(const std::string& script, std::chrono::milliseconds timeLimit = std::chrono::seconds(10));
    ~JsProjection();

    const ProjectionDefinition& definition() const { return m_definition; }

    // Folds the events in order. On a fault, the runtime holds exactly the events before the failing one (all
    // changes since the last take() are rolled back and the events before it applied again) and says why.
    // `encoded`, when given, is `events` already encoded by an encoder from makeEncoder() (on another thread).
    std::optional<ProjectionFault> apply(
        std::span<const Event> events, const Loader& loader, JsBatchText* encoded = nullptr);
    // An encoder for batches of this projection, usable on any one thread.
    JsBatchEncoder makeEncoder() const { return JsBatchEncoder(m_wants); }
    ProjectionChanges take();
    // Forgets every change since the last take().
    void discard();
    // Forgets the states held (call right after a commit): memory stays flat however many partitions there are.
    void evict();
    std::size_t heldPartitions() const;

    // The results of stored states through transformBy and filterBy: JSON text, or empty where filterBy said no.
    // Throws Error(Script) naming the partition when a transform throws.
    std::vector<std::optional<std::string>> results(std::span<const PartitionState> states);

private:
    using Call = JsSandbox::Call;
    std::optional<ProjectionFault> applyOnce(std::span<const Event> events, const Loader& loader, JsBatchText* encoded);
    ProjectionFault faultAt(std::size_t index, const Call& call);
    void readDefinition(const QJSValue& text);

    std::unique_ptr<JsSandbox> m_sandbox;
    JsBatchEncoder::Wants m_wants;
    std::unique_ptr<JsEventBatch> m_batch;
    QJSValue m_driver;
    QJSValue m_prepare, m_load, m_fold, m_at, m_thrown, m_take, m_discard, m_evict, m_held, m_results;
    ProjectionDefinition m_definition;
};

struct ScriptProblem
{
    int line = 0; // 1-based; 0 when the problem has no line
    std::string message; // the sentence JsProjection's constructor throws
};
// Checks a script without running it against a store: empty when it is fine.
std::optional<ScriptProblem> projectionScriptProblem(const std::string& script);

} // namespace eventscope
