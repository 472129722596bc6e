#include "model/projection_admin.h"

#include "storage/error.h"

#include <algorithm>
#include <optional>
#include <utility>

namespace eventscope {
namespace {

void audit(EventStore& target, const std::string& type, nlohmann::ordered_json details, AuditTool tool)
{
    const AppendRequest request = auditRequest(type, std::move(details), tool);
    target.append(std::span<const AppendRequest>(&request, 1));
}

ProjectionSummary summarize(EventStore& target, const ProjectionRecord& record, std::int64_t head)
{
    ProjectionSummary summary;
    summary.record = record;
    summary.details = ProjectionDetails::fromRecord(record);
    summary.head = head;
    summary.lag = std::max<std::int64_t>(0, head - record.position);
    summary.partitions = target.projectionStateCount(record.name);
    summary.hasShadow = target.projection(shadowName(record.name)).has_value();
    summary.hasPrevious = target.projection(previousName(record.name)).has_value();
    return summary;
}

// Walks a projection's states in partition order a page at a time, so that comparing two versions holds two pages
// of states, not two projections.
class StateCursor
{
public:
    StateCursor(EventStore& store, std::string name)
        : m_store(store)
        , m_name(std::move(name))
    {
        fetch();
    }
    bool atEnd() const { return m_index == m_page.size(); }
    const PartitionState& current() const { return m_page[m_index]; }
    void next()
    {
        // A short page is the last one; a full one may have more behind it.
        if (++m_index == m_page.size() && m_page.size() == kPage) {
            m_after = m_page.back().partition;
            fetch();
        }
    }

private:
    static constexpr std::size_t kPage = 1000;
    void fetch()
    {
        m_page = m_store.projectionStatesPage(m_name, m_after, kPage);
        m_index = 0;
    }
    EventStore& m_store;
    std::string m_name;
    std::optional<std::string> m_after;
    std::vector<PartitionState> m_page;
    std::size_t m_index = 0;
};

} // namespace

nlohmann::ordered_json ProjectionSummary::toJson(bool withScript) const
{
    nlohmann::ordered_json json;
    json["name"] = record.name;
    json["status"] = record.status;
    json["source"] = details.source;
    json["position"] = record.position;
    json["head"] = head;
    json["lag"] = lag;
    json["partitioned"] = details.partitioned;
    json["partitions"] = partitions;
    json["events_processed"] = details.eventsProcessed;
    json["events_emitted"] = details.eventsEmitted;
    json["updated"] = record.updated;
    json["fault"] = details.fault ? faultToJson(*details.fault) : nlohmann::ordered_json();
    json["skipped"] = nlohmann::ordered_json::array();
    for (const auto& skipped : details.skipped)
        json["skipped"].push_back(faultToJson(skipped));
    json["shadow"] = hasShadow;
    json["previous"] = hasPrevious;
    if (withScript)
        json["script"] = details.script;
    return json;
}

std::vector<ProjectionSummary> listProjections(EventStore& target, EventStore& source)
{
    const std::int64_t head = source.headPosition();
    std::vector<ProjectionSummary> out;
    for (const ProjectionRecord& record : target.projections())
        if (record.name.find('~') == std::string::npos)
            out.push_back(summarize(target, record, head));
    return out;
}

ProjectionSummary projectionSummary(EventStore& target, EventStore& source, const std::string& name)
{
    const std::optional<ProjectionRecord> record = target.projection(name);
    if (!record)
        fail(ErrorKind::BadInput, "there is no projection named " + name);
    return summarize(target, *record, source.headPosition());
}

void deleteProjectionVersions(EventStore& target, const std::string& name, AuditTool tool)
{
    if (!target.projection(name) && !target.projection(shadowName(name)))
        fail(ErrorKind::BadInput, "there is no projection named " + name);
    for (const std::string& version : { name, shadowName(name), previousName(name) })
        target.deleteProjection(version);
    audit(target, "ProjectionDeleted", { { "action", "projection delete" }, { "projection", name } }, tool);
}

ProjectionComparison compareProjections(EventStore& target, const std::string& live, const std::string& shadow)
{
    // Both cursors run in partition order (bytes, as std::string compares), so one merge pass pairs them.
    StateCursor before(target, live);
    StateCursor after(target, shadow);
    ProjectionComparison comparison;
    while (!before.atEnd() || !after.atEnd()) {
        PartitionDifference difference;
        if (after.atEnd() || (!before.atEnd() && before.current().partition < after.current().partition)) {
            const PartitionState& b = before.current();
            difference = { PartitionDifference::Kind::Removed, b.partition, b.state, {}, {} };
            before.next();
        } else if (before.atEnd() || after.current().partition < before.current().partition) {
            const PartitionState& a = after.current();
            difference = { PartitionDifference::Kind::Added, a.partition, {}, a.state, {} };
            after.next();
        } else {
            const PartitionState& b = before.current();
            const PartitionState& a = after.current();
            auto changes = diffJson(parseJsonOrText(b.state), parseJsonOrText(a.state));
            const bool same = changes.empty();
            if (same)
                ++comparison.unchanged;
            else
                difference = { PartitionDifference::Kind::Changed, b.partition, b.state, a.state, std::move(changes) };
            // Only now: next() may fetch a new page, which the references above point into.
            before.next();
            after.next();
            if (same)
                continue;
        }
        comparison.differences.push_back(std::move(difference));
    }
    return comparison;
}

void swapShadow(EventStore& target, const std::string& name, AuditTool tool)
{
    if (!target.projection(shadowName(name)))
        fail(ErrorKind::BadInput, "the projection " + name + " has no shadow rebuild to swap in");
    target.replaceProjection(name, shadowName(name), previousName(name));
    audit(target, "ProjectionSwapped", { { "action", "projection swap" }, { "projection", name } }, tool);
}

void rollbackSwap(EventStore& target, const std::string& name, AuditTool tool)
{
    if (!target.projection(previousName(name)))
        fail(ErrorKind::BadInput, "the projection " + name + " has no previous version to roll back to");
    target.replaceProjection(name, previousName(name), shadowName(name));
    audit(target, "ProjectionRolledBack", { { "action", "projection rollback" }, { "projection", name } }, tool);
}

} // namespace eventscope
