#pragma once
// What a projection keeps beside its checkpoint, in the record's `definition` as JSON: the script, where it reads,
// counters, the fault that stopped it, and the events skipped by hand. Read by the runner, `projection status`
// and the Projections tab.

#include "storage/query.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace eventscope {

// The event a handler failed on, with what it threw.
struct ProjectionFaultInfo
{
    std::int64_t position = 0;
    std::string stream;
    std::int64_t version = 0;
    std::string type;
    std::string eventId;
    std::string message;
    std::string stack;
    Micros time = 0; // when it faulted

    // "at position 42 (MoneyWithdrawn, version 3 of account-7): overdraft"
    std::string describe() const;
};

struct ProjectionDetails
{
    std::string script;
    std::string source; // as ProjectionSource::describe() writes it
    bool partitioned = false;
    std::int64_t eventsProcessed = 0; // events read since the last reset, handled or not
    std::int64_t eventsEmitted = 0;
    std::optional<ProjectionFaultInfo> fault;
    std::vector<ProjectionFaultInfo> skipped; // faults the user chose to step over
    Micros lastRunStarted = 0;

    static ProjectionDetails fromRecord(const ProjectionRecord& record);
    std::string toJson() const;
};

nlohmann::ordered_json faultToJson(const ProjectionFaultInfo& fault);

// Names: the live version, its shadow (a rebuild beside it) and the version a swap put aside.
std::string shadowName(const std::string& name);
std::string previousName(const std::string& name);
// Throws BadInput for a name a user may not give: empty, or using the characters the shadow names use.
void checkProjectionName(const std::string& name);

namespace projection_status {
inline const std::string running = "running";
inline const std::string stopped = "stopped";
inline const std::string faulted = "faulted";
inline const std::string rebuilding = "rebuilding";
} // namespace projection_status

} // namespace eventscope
