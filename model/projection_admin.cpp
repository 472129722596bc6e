#include "model/projection_admin.h"

#include "storage/error.h"

#include <algorithm>

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
    // Both lists come sorted by partition, so one merge pass pairs them.
    const std::vector<PartitionState> before = target.projectionStates(live);
    const std::vector<PartitionState> after = target.projectionStates(shadow);
    ProjectionComparison comparison;
    std::size_t i = 0, j = 0;
    while (i < before.size() || j < after.size()) {
        PartitionDifference difference;
        if (j == after.size() || (i < before.size() && before[i].partition < after[j].partition)) {
            difference = { PartitionDifference::Kind::Removed, before[i].partition, before[i].state, {}, {} };
            ++i;
        } else if (i == before.size() || after[j].partition < before[i].partition) {
            difference = { PartitionDifference::Kind::Added, after[j].partition, {}, after[j].state, {} };
            ++j;
        } else {
            auto changes = diffJson(parseJsonOrText(before[i].state), parseJsonOrText(after[j].state));
            if (changes.empty()) {
                ++comparison.unchanged;
                ++i;
                ++j;
                continue;
            }
            difference = { PartitionDifference::Kind::Changed, before[i].partition, before[i].state, after[j].state,
                std::move(changes) };
            ++i;
            ++j;
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
