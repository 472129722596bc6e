#pragma once
// The question an auditor asks (DESIGN §7): who (actor), when (an inclusive time range), where (one stream or a
// category) and what (event types). Saved in the workspace as JSON, and printed at the top of a PDF report.

#include "storage/event.h"
#include "storage/query.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace eventscope {

struct AuditQuery
{
    std::string actor; // empty: anyone
    std::optional<Micros> since; // inclusive
    std::optional<Micros> until; // inclusive
    std::string stream; // empty: every stream; never together with category
    std::string category;
    std::vector<std::string> types; // any of; empty: every type
    bool includeSystem = false; // streams starting with '$' (always when `stream` names one)

    // Throws Error(BadInput) for a stream together with a category, or a range that ends before it starts.
    void check() const;
    // The store query of one page of the answer, in position order (or version order for one stream).
    EventQuery toEventQuery(std::size_t pageSize = 1000) const;
    // One line for people: "actor u-17, 2024-01-01T00:00:00Z to 2024-01-31T23:59:59Z, category orders, types A, B".
    std::string describe() const;

    nlohmann::ordered_json toJson() const;
    // The inverse of toJson(); throws Error(BadInput) naming the first field that is not what it should be.
    static AuditQuery fromJson(const nlohmann::json& json);

    bool operator==(const AuditQuery&) const = default;
};

} // namespace eventscope
