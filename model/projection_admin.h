#pragma once
// What operators do to projections besides running them (DESIGN §5): list them with their lag, look at one,
// delete one, compare a shadow rebuild with the live version, swap them, and roll a swap back. Each write is
// recorded in the target store's audit stream (DESIGN §7).

#include "model/audit_record.h"
#include "model/json_diff.h"
#include "model/projection_details.h"
#include "storage/event_store.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace eventscope {

struct ProjectionSummary
{
    ProjectionRecord record;
    ProjectionDetails details;
    std::int64_t head = 0; // the source's head position
    std::int64_t lag = 0; // head - checkpoint (positions, not events: other streams' events count too)
    std::int64_t partitions = 0;
    bool hasShadow = false;
    bool hasPrevious = false;

    nlohmann::ordered_json toJson(bool withScript) const;
};

// The live projections (not their shadow or previous versions), by name.
std::vector<ProjectionSummary> listProjections(EventStore& target, EventStore& source);
// Throws BadInput "there is no projection named N".
ProjectionSummary projectionSummary(EventStore& target, EventStore& source, const std::string& name);

// Deletes the projection (states and checkpoint), its shadow and its previous version.
void deleteProjectionVersions(EventStore& target, const std::string& name, AuditTool tool);

struct PartitionDifference
{
    enum class Kind { Added, Removed, Changed };
    Kind kind = Kind::Changed;
    std::string partition;
    std::string before; // JSON text; empty when added
    std::string after; // JSON text; empty when removed
    std::vector<JsonChange> changes;
};

struct ProjectionComparison
{
    std::vector<PartitionDifference> differences; // by partition name
    std::int64_t unchanged = 0;
};

// The differences between two versions of a projection, partition by partition (states compared as JSON values).
ProjectionComparison compareProjections(EventStore& target, const std::string& live, const std::string& shadow);

// The shadow becomes live and the live version becomes the previous one (kept for rollback). Throws BadInput when
// there is no shadow.
void swapShadow(EventStore& target, const std::string& name, AuditTool tool);
// The previous version becomes live again; the version it replaces becomes the shadow.
void rollbackSwap(EventStore& target, const std::string& name, AuditTool tool);

} // namespace eventscope
