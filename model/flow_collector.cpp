#include "model/flow_collector.h"

#include "storage/error.h"
#include "storage/event_store.h"

#include <nlohmann/json.hpp>

namespace eventscope {

namespace {

// The ID as it appears inside the metadata's JSON text; nothing when escaping would change it, since then a
// byte search could miss it and only a full read is safe.
std::optional<std::string> searchableText(const std::string& correlation)
{
    const std::string quoted = nlohmann::json(correlation).dump();
    if (quoted.size() != correlation.size() + 2)
        return std::nullopt;
    return correlation;
}

void checkCancelled(const FlowCollectOptions& options)
{
    if (options.cancel && options.cancel->load(std::memory_order_relaxed))
        throw Error(ErrorKind::Cancelled, "the flow was cancelled");
}

} // namespace

bool storeHasCause(EventStore& store, const CauseReference& cause)
{
    switch (cause.kind) {
    case CauseReference::Kind::Id:
        return store.eventById(cause.id).has_value();
    case CauseReference::Kind::GlobalPosition: {
        EventQuery query;
        query.fromPosition = cause.position;
        query.includeSystem = true;
        query.limit = 1;
        const EventPage page = store.read(query);
        return !page.events.empty() && page.events.front().position == cause.position;
    }
    case CauseReference::Kind::StreamPosition: {
        const auto head = store.streamHead(cause.stream);
        if (!head)
            return false;
        EventQuery query;
        query.stream = cause.stream;
        query.fromVersion = cause.position;
        query.limit = 1;
        const EventPage page = store.read(query);
        return !page.events.empty() && page.events.front().version == cause.position;
    }
    }
    return false;
}

FlowGraph collectFlow(EventStore& store, const std::string& correlation, const FlowCollectOptions& options)
{
    if (correlation.empty())
        throw Error(ErrorKind::BadInput, "the correlation ID is empty");
    const bool storeConventions = options.conventions == Conventions::defaults();

    EventQuery query;
    query.includeSystem = true;
    query.limit = 1000;
    FlowScanProgress progress;
    if (storeConventions) {
        query.correlation = correlation;
    } else {
        query.metadataContains = searchableText(correlation);
    }
    {
        const EventCount count = store.countEvents(query);
        progress.firstPosition = count.firstPosition;
        progress.lastPosition = count.lastPosition;
        if (count.count == 0)
            return buildFlowGraph(correlation, {});
    }

    std::vector<Event> events;
    for (;;) {
        checkCancelled(options);
        EventPage page = store.read(query);
        for (Event& event : page.events) {
            progress.position = event.position;
            // The store's derived columns follow the default conventions; the connection's may differ.
            if (!storeConventions)
                options.conventions.rederive(event);
            if (event.correlation != correlation)
                continue;
            if (events.size() == options.maxEvents)
                throw Error(ErrorKind::BadInput,
                    "the flow of " + correlation + " has more than " + std::to_string(options.maxEvents)
                        + " events, more than Eventscope draws");
            events.push_back(std::move(event));
        }
        progress.eventsFound = events.size();
        if (options.progress)
            options.progress(progress);
        if (!page.next)
            break;
        query.fromPosition = page.next;
    }

    FlowOptions flowOptions;
    flowOptions.streamPositionsFromZero = options.streamPositionsFromZero;
    flowOptions.causeExistsElsewhere = [&store](const CauseReference& cause) { return storeHasCause(store, cause); };
    return buildFlowGraph(correlation, std::move(events), flowOptions);
}

} // namespace eventscope
