#pragma once
// Runs a projection (DESIGN §5) from its checkpoint to the head, then optionally live. Every batch is committed
// in one transaction: the changed partition states, the checkpoint, the events the handlers emitted and the
// result events of outputState(), so a process killed at any moment resumes with each event counted once.
//
// The source is read, never written; the target (the same store for a native one, the workspace for a foreign
// or read-only one) holds the states, the checkpoint and whatever the projection emits. Events a projection
// emitted carry "$projection" in their metadata, and a projection never reads back what it (or a projection
// upstream of it) emitted, so it cannot feed itself in a loop.
//
// Runs on the calling thread (a worker's): the JavaScript engine and both store connections belong to it.

#include "model/audit_record.h"
#include "model/projection_details.h"
#include "storage/event_store.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

namespace eventscope {

class JsProjection;
struct ProjectionChanges;
struct ProjectionFault;

// Pause, resume and cancel, from any thread.
class ProjectionControl
{
public:
    void cancel();
    void pause();
    void resume();
    bool cancelled() const { return m_cancelled.load(); }
    bool paused() const { return m_paused.load(); }
    // Blocks while paused; returns false when cancelled.
    bool waitWhilePaused();

private:
    std::atomic<bool> m_cancelled { false };
    std::atomic<bool> m_paused { false };
    std::mutex m_mutex;
    std::condition_variable m_wake;
};

struct ProjectionProgress
{
    std::int64_t eventsDone = 0; // in this run
    std::int64_t eventsTotal = 0; // this run's estimate: what was left at its start, plus what arrived since
    std::int64_t position = 0; // the checkpoint
    std::int64_t head = 0; // the source's head position
    double eventsPerSecond = 0; // over the last few seconds
    std::optional<double> etaSeconds;
    bool live = false; // caught up and following
    bool paused = false;
};

struct ProjectionRunOptions
{
    std::string name;
    std::string script;
    std::chrono::milliseconds timeLimit = std::chrono::seconds(10);
    bool reset = false; // forget the states and checkpoint first (a rebuild)
    std::optional<Micros> until; // stop before the first event later than this
    bool live = false; // after catching up, follow new events until cancelled
    bool skipFault = false; // step over the event the projection last faulted on (recorded)
    std::size_t batchEvents = 1000; // events a commit
    std::chrono::milliseconds progressEvery { 250 };
    AuditTool tool = AuditTool::CommandLine;
    std::string status = "running"; // what the record says while this run goes ("rebuilding" for one)
    // A shadow rebuild leaves emitted events out: the live version wrote them already.
    bool writeEmitted = true;
};

struct ProjectionRunResult
{
    enum class End { CaughtUp, Until, Cancelled, Faulted };
    End end = End::CaughtUp;
    std::int64_t position = 0;
    std::int64_t eventsDone = 0;
    std::int64_t eventsEmitted = 0;
    std::optional<ProjectionFaultInfo> fault;
    double seconds = 0;
};

class ProjectionRunner
{
public:
    using ProgressCallback = std::function<void(const ProjectionProgress&)>;
    using LogCallback = std::function<void(const std::string& line, std::int64_t position)>;

    // Throws Error(Script) when the script does not compile; BadInput for a target that cannot be written.
    ProjectionRunner(EventStore& source, EventStore& target, ProjectionRunOptions options);
    ~ProjectionRunner();

    ProjectionRunResult run(
        ProjectionControl& control, const ProgressCallback& progress = {}, const LogCallback& log = {});

    JsProjection& runtime() { return *m_runtime; }

private:
    EventQuery sourceQuery(std::int64_t after) const;
    bool emittedByThisChain(const Event& event) const;
    // Moves the page's events that this projection reads into prepared.handled (its own emitted ones stay out).
    void pickHandled(struct PreparedPage& prepared) const;
    void commit(
        std::span<const Event> events, std::int64_t position, const std::string& status, const LogCallback& log);
    std::vector<AppendRequest> emittedRequests(std::span<const Event> events, const ProjectionChanges& changes);
    void recordFault(const Event& event, const ProjectionFault& fault);
    void finish(const std::string& status);

    EventStore& m_source;
    EventStore& m_target;
    ProjectionRunOptions m_options;
    std::unique_ptr<JsProjection> m_runtime;
    ProjectionRecord m_record;
    ProjectionDetails m_details;
    std::int64_t m_emitted = 0; // in this run
    std::int64_t m_emittedBefore = 0; // in the runs before it, since the last reset
};

} // namespace eventscope
