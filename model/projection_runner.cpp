#include "model/projection_runner.h"

#include "model/js_projection.h"
#include "model/page_prefetcher.h"
#include "storage/error.h"

#include <algorithm>
#include <deque>

namespace eventscope {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kMaxHeldPartitions = 20000; // past this, states are evicted after a commit
const std::string kProjectionKey = "$projection";
const std::string kChainKey = "$projections";

Micros nowMicros()
{
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// The name without a "~shadow" or "~previous" suffix: a shadow rebuild is the same projection.
std::string baseName(const std::string& name)
{
    return name.substr(0, name.find('~'));
}

// Events per second over the last few seconds of a run.
class RateMeter
{
public:
    void add(Clock::time_point at, std::int64_t done)
    {
        m_samples.push_back({ at, done });
        while (m_samples.size() > 2 && at - m_samples.front().first > std::chrono::seconds(5))
            m_samples.pop_front();
    }
    double perSecond() const
    {
        if (m_samples.size() < 2)
            return 0;
        const double seconds = std::chrono::duration<double>(m_samples.back().first - m_samples.front().first).count();
        return seconds > 0 ? double(m_samples.back().second - m_samples.front().second) / seconds : 0;
    }

private:
    std::deque<std::pair<Clock::time_point, std::int64_t>> m_samples;
};

} // namespace

void ProjectionControl::cancel()
{
    {
        std::lock_guard lock(m_mutex);
        m_cancelled = true;
    }
    m_wake.notify_all();
}

void ProjectionControl::pause()
{
    m_paused = true;
}

void ProjectionControl::resume()
{
    {
        std::lock_guard lock(m_mutex);
        m_paused = false;
    }
    m_wake.notify_all();
}

bool ProjectionControl::waitWhilePaused()
{
    std::unique_lock lock(m_mutex);
    m_wake.wait(lock, [this] { return !m_paused.load() || m_cancelled.load(); });
    return !m_cancelled.load();
}

ProjectionRunner::ProjectionRunner(EventStore& source, EventStore& target, ProjectionRunOptions options)
    : m_source(source)
    , m_target(target)
    , m_options(std::move(options))
{
    if (m_target.describe().readOnly)
        fail(ErrorKind::BadInput,
            "the store " + m_target.describe().uri
                + " is read-only: keep the projection in a workspace (a native SQLite file) instead");
    m_runtime = std::make_unique<JsProjection>(m_options.script, m_options.timeLimit);
}

ProjectionRunner::~ProjectionRunner() = default;

EventQuery ProjectionRunner::sourceQuery(std::int64_t after) const
{
    const ProjectionSource& source = m_runtime->definition().source;
    EventQuery query;
    query.fromPosition = after + 1;
    query.limit = m_options.batchEvents;
    switch (source.kind) {
    case ProjectionSource::Kind::All:
        break;
    case ProjectionSource::Kind::Stream:
    case ProjectionSource::Kind::Streams:
        query.streams = source.streams;
        query.includeSystem = true;
        break;
    case ProjectionSource::Kind::Category:
        query.category = source.category;
        query.includeSystem = !source.category.empty() && source.category.front() == '$';
        break;
    }
    return query;
}

bool ProjectionRunner::emittedByThisChain(const Event& event) const
{
    if (event.metadata.find(kProjectionKey) == std::string::npos)
        return false;
    const auto metadata = nlohmann::json::parse(event.metadata, nullptr, false);
    if (!metadata.is_object())
        return false;
    const std::string self = baseName(m_options.name);
    if (metadata.contains(kChainKey) && metadata[kChainKey].is_array())
        for (const auto& name : metadata[kChainKey])
            if (name.is_string() && baseName(name.get<std::string>()) == self)
                return true;
    return metadata.contains(kProjectionKey) && metadata[kProjectionKey].is_string()
        && baseName(metadata[kProjectionKey].get<std::string>()) == self;
}

ProjectionRunResult ProjectionRunner::run(
    ProjectionControl& control, const ProgressCallback& progress, const LogCallback& log)
{
    const auto started = Clock::now();
    const std::string& name = m_options.name;
    std::vector<AppendRequest> firstAudit;
    nlohmann::ordered_json auditDetails;
    auditDetails["action"] = m_options.reset ? "projection rebuild" : "projection run";
    auditDetails["projection"] = name;

    if (m_options.reset)
        m_target.deleteProjection(name);
    const std::optional<ProjectionRecord> existing = m_target.projection(name);
    m_record = existing.value_or(ProjectionRecord { name, 0, projection_status::stopped, {}, 0 });
    m_details = existing ? ProjectionDetails::fromRecord(*existing) : ProjectionDetails {};
    if (m_options.skipFault) {
        if (!m_details.fault)
            fail(ErrorKind::BadInput, "the projection " + name + " has no fault to skip");
        auditDetails["skipped_position"] = m_details.fault->position;
        auditDetails["skipped_event"] = m_details.fault->eventId;
        m_details.skipped.push_back(*m_details.fault);
        m_record.position = std::max(m_record.position, m_details.fault->position);
        ++m_details.eventsProcessed;
    }
    m_emittedBefore = m_details.eventsEmitted;
    m_details.fault.reset(); // run again: a retry, unless the event was skipped just above
    m_details.script = m_options.script;
    m_details.source = m_runtime->definition().source.describe();
    m_details.partitioned = m_runtime->definition().partitioned();
    m_details.lastRunStarted = nowMicros();
    auditDetails["from_position"] = m_record.position;
    firstAudit.push_back(
        auditRequest(m_options.reset ? "ProjectionRebuilt" : "ProjectionRun", auditDetails, m_options.tool));
    m_record.status = m_options.status;
    m_record.definition = m_details.toJson();
    m_record.updated = nowMicros();
    m_target.commitProjection(m_record, {}, firstAudit);

    ProjectionRunResult result;
    ProjectionProgress report;
    RateMeter rate;
    report.head = m_source.headPosition();
    // A count leaves the paging key aside: what is left is what the source matches less what was folded already.
    EventQuery counted = sourceQuery(0);
    counted.limit = 1;
    report.eventsTotal = std::max<std::int64_t>(0, m_source.countEvents(counted).count - m_details.eventsProcessed);
    auto lastReport = Clock::time_point {};
    const auto tell = [&](bool force) {
        const auto now = Clock::now();
        if (!progress || (!force && now - lastReport < m_options.progressEvery))
            return;
        lastReport = now;
        rate.add(now, report.eventsDone);
        report.position = m_record.position;
        report.head = std::max(report.head, m_record.position);
        report.eventsPerSecond = rate.perSecond();
        report.paused = control.paused();
        const std::int64_t left = std::max<std::int64_t>(0, report.eventsTotal - report.eventsDone);
        report.etaSeconds = report.eventsPerSecond > 0 && !report.live
            ? std::optional<double>(double(left) / report.eventsPerSecond)
            : std::nullopt;
        progress(report);
    };
    const auto loader
        = [&](const std::vector<std::string>& partitions) { return m_target.projectionStates(name, partitions); };
    tell(true);

    const auto end = [&](ProjectionRunResult::End how) {
        result.end = how;
        result.position = m_record.position;
        result.eventsDone = report.eventsDone;
        result.eventsEmitted = m_emitted;
        result.seconds = std::chrono::duration<double>(Clock::now() - started).count();
        tell(true);
        return result;
    };

    // Reading ahead on a second thread needs a connection of its own: with one store object for both, the reads
    // stay on this thread.
    std::optional<PagePrefetcher> prefetch;
    if (&m_source != &m_target)
        prefetch.emplace(m_source, sourceQuery(m_record.position),
            [this, encoder = m_runtime->makeEncoder()](PreparedPage& prepared) mutable {
                pickHandled(prepared);
                encoder.encode(prepared.handled, prepared.encoded);
            });
    for (;;) {
        if (control.paused()) {
            tell(true);
            if (!control.waitWhilePaused()) {
                finish(projection_status::stopped);
                return end(ProjectionRunResult::End::Cancelled);
            }
        }
        if (control.cancelled()) {
            finish(projection_status::stopped);
            return end(ProjectionRunResult::End::Cancelled);
        }
        PreparedPage prepared = prefetch ? prefetch->next() : PreparedPage {};
        std::optional<std::int64_t> headBefore;
        if (prepared.page.events.empty()) {
            prefetch.reset(); // the source is this thread's again; a read from the checkpoint sees what came since
            headBefore = m_source.headPosition();
            prepared.page = m_source.read(sourceQuery(m_record.position));
            pickHandled(prepared);
        }
        EventPage& page = prepared.page;
        bool reachedUntil = false;
        if (m_options.until) {
            const auto later = std::find_if(page.events.begin(), page.events.end(),
                [&](const Event& event) { return event.time > *m_options.until; });
            reachedUntil = later != page.events.end();
            if (reachedUntil) {
                const auto cut = static_cast<std::size_t>(later - page.events.begin());
                page.events.erase(later, page.events.end());
                while (!prepared.pageIndex.empty() && prepared.pageIndex.back() >= cut) {
                    prepared.pageIndex.pop_back();
                    prepared.handled.pop_back();
                }
                prepared.encoded.count = 0; // encoded for the whole page: encode what is left here
            }
        }
        if (page.events.empty()) {
            if (reachedUntil) {
                finish(projection_status::stopped);
                return end(ProjectionRunResult::End::Until);
            }
            // Nothing the source matches lies between the checkpoint and the head read before: the events there
            // (system streams, other categories) are passed, so the checkpoint moves to it and the lag reads 0.
            if (headBefore && *headBefore > m_record.position)
                m_record.position = *headBefore;
            if (!m_options.live) {
                finish(projection_status::stopped);
                return end(ProjectionRunResult::End::CaughtUp);
            }
            if (!report.live) { // said once on catching up, not on every wait
                report.live = true;
                report.head = m_source.headPosition();
                tell(true);
            }
            m_source.waitForChange(std::chrono::milliseconds(250));
            if (control.cancelled()) {
                finish(projection_status::stopped);
                return end(ProjectionRunResult::End::Cancelled);
            }
            continue;
        }
        report.live = false;

        const std::vector<Event>& handled = prepared.handled;
        const std::vector<std::size_t>& pageIndex = prepared.pageIndex;
        const std::int64_t lastPosition = page.events.back().position;
        const std::optional<ProjectionFault> fault = m_runtime->apply(
            prepared.handled, loader, prepared.encoded.count == handled.size() ? &prepared.encoded : nullptr);
        if (fault) {
            const std::size_t failed = pageIndex[fault->eventIndex];
            const std::int64_t before = failed == 0 ? m_record.position : page.events[failed - 1].position;
            report.eventsDone += static_cast<std::int64_t>(failed);
            m_details.eventsProcessed += static_cast<std::int64_t>(failed);
            recordFault(handled[fault->eventIndex], *fault);
            commit(handled, before, projection_status::faulted, log);
            result.fault = m_details.fault;
            return end(ProjectionRunResult::End::Faulted);
        }
        report.eventsDone += static_cast<std::int64_t>(page.events.size());
        m_details.eventsProcessed += static_cast<std::int64_t>(page.events.size());
        report.eventsTotal = std::max(report.eventsTotal, report.eventsDone);
        commit(handled, lastPosition, m_options.status, log);
        if (!prefetch && report.eventsDone % (m_options.batchEvents * 64) < m_options.batchEvents)
            report.head = std::max(report.head, m_source.headPosition());
        tell(false);
        if (reachedUntil) {
            finish(projection_status::stopped);
            return end(ProjectionRunResult::End::Until);
        }
    }
}

void ProjectionRunner::pickHandled(PreparedPage& prepared) const
{
    // Which page event each handled one is, to put the checkpoint just before a failing event.
    std::vector<Event>& events = prepared.page.events;
    for (std::size_t i = 0; i < events.size(); ++i) {
        if (emittedByThisChain(events[i]))
            continue;
        prepared.handled.push_back(std::move(events[i]));
        prepared.pageIndex.push_back(i);
    }
}

void ProjectionRunner::recordFault(const Event& event, const ProjectionFault& fault)
{
    ProjectionFaultInfo info;
    info.position = event.position;
    info.stream = event.stream;
    info.version = event.version;
    info.type = event.type;
    info.eventId = event.id;
    info.message = fault.message;
    info.stack = fault.stack;
    info.time = nowMicros();
    m_details.fault = std::move(info);
}

void ProjectionRunner::commit(
    std::span<const Event> events, std::int64_t position, const std::string& status, const LogCallback& log)
{
    ProjectionChanges changes = m_runtime->take();
    std::vector<AppendRequest> requests = emittedRequests(events, changes);
    m_record.position = position;
    m_record.status = status;
    m_details.eventsEmitted = m_emittedBefore + m_emitted;
    m_record.definition = m_details.toJson();
    m_record.updated = nowMicros();
    m_target.commitProjection(m_record, changes.states, requests);
    if (log)
        for (const auto& line : changes.logs)
            log(line.text, line.eventIndex < events.size() ? events[line.eventIndex].position : position);
    if (m_runtime->heldPartitions() > kMaxHeldPartitions)
        m_runtime->evict();
}

std::vector<AppendRequest> ProjectionRunner::emittedRequests(
    std::span<const Event> events, const ProjectionChanges& changes)
{
    std::vector<AppendRequest> requests;
    const auto add = [&](const std::string& stream, NewEvent event) {
        if (requests.empty() || requests.back().stream != stream)
            requests.push_back({ stream, ExpectedVersion::any(), {} });
        requests.back().events.push_back(std::move(event));
    };
    if (m_options.writeEmitted) {
        for (const ProjectionEmit& emission : changes.emitted) {
            const Event& cause = events[std::min(emission.eventIndex, events.size() - 1)];
            auto metadata = nlohmann::ordered_json::parse(emission.metadata, nullptr, false);
            if (!metadata.is_object())
                metadata = metadata.is_discarded() || metadata.is_null()
                    ? nlohmann::ordered_json::object()
                    : nlohmann::ordered_json { { "value", metadata } };
            const auto causeMetadata = nlohmann::json::parse(cause.metadata, nullptr, false);
            nlohmann::ordered_json chain = nlohmann::ordered_json::array();
            if (causeMetadata.is_object() && causeMetadata.contains(kChainKey) && causeMetadata[kChainKey].is_array())
                for (const auto& upstream : causeMetadata[kChainKey])
                    if (upstream.is_string())
                        chain.push_back(upstream.get<std::string>());
            chain.push_back(m_options.name);
            metadata[kProjectionKey] = m_options.name;
            metadata[kChainKey] = chain;
            metadata["$causationId"] = cause.id;
            if (!cause.correlation.empty() && !metadata.contains("$correlationId"))
                metadata["$correlationId"] = cause.correlation;
            NewEvent event;
            event.type = emission.type;
            event.data = emission.data;
            event.metadata = metadata.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
            add(emission.stream, std::move(event));
            ++m_emitted;
        }
    }
    const ProjectionDefinition& definition = m_runtime->definition();
    if (definition.outputState && !changes.states.empty()) {
        const auto results = m_runtime->results(changes.states);
        for (std::size_t i = 0; i < results.size(); ++i) {
            const std::string& partition = changes.states[i].partition;
            if (!results[i] || partition == kSharedPartition)
                continue;
            std::string stream = definition.resultStreamName;
            if (stream.empty())
                stream = partition.empty() ? "$projections-" + m_options.name + "-result"
                                           : "$projections-" + m_options.name + "-" + partition + "-result";
            NewEvent event;
            event.type = "Result";
            event.data = *results[i];
            event.metadata = nlohmann::ordered_json {
                { kProjectionKey, m_options.name }, { kChainKey, { m_options.name } }
            }.dump();
            add(stream, std::move(event));
        }
    }
    return requests;
}

void ProjectionRunner::finish(const std::string& status)
{
    m_record.status = status;
    m_details.eventsEmitted = m_emittedBefore + m_emitted;
    m_record.definition = m_details.toJson();
    m_record.updated = nowMicros();
    m_target.commitProjection(m_record, {});
}

} // namespace eventscope
