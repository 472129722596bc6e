#pragma once
// Reads the derived fields of an event (correlation, causation, actor, schema version) from its metadata,
// by the conventions of DESIGN §2: the first key present wins.

#include "storage/event.h"

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace eventscope {

struct Conventions
{
    std::vector<std::string> correlation { "correlationId", "correlation_id", "$correlationId",
        "correlationStreamName" };
    std::vector<std::string> causation { "causationId", "causation_id", "$causationId" };
    std::vector<std::string> actor { "userId", "user_id", "createdBy", "created_by", "user" };
    std::vector<std::string> schemaVersion { "schemaVersion", "event_version", "eventVersion" };

    static const Conventions& defaults();
    // Fills event.correlation, causation, actor and schemaVersion from parsed metadata.
    void derive(const nlohmann::json& metadata, Event& event) const;
    // Clears the derived fields, then derives them again from the event's metadata text.
    void rederive(Event& event) const;

    // {"correlation":[keys],"causation":[keys],"actor":[keys],"schemaVersion":[keys]}; a missing member keeps
    // the default. Throws BadInput with a sentence naming the member for anything else.
    static Conventions fromJson(const std::string& text);
    std::string toJson() const;

    bool operator==(const Conventions&) const = default;
};

} // namespace eventscope
