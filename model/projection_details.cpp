#include "model/projection_details.h"

#include "storage/error.h"

namespace eventscope {
namespace {

ProjectionFaultInfo faultFromJson(const nlohmann::json& json)
{
    ProjectionFaultInfo fault;
    fault.position = json.value("position", std::int64_t(0));
    fault.stream = json.value("stream", "");
    fault.version = json.value("version", std::int64_t(0));
    fault.type = json.value("type", "");
    fault.eventId = json.value("id", "");
    fault.message = json.value("message", "");
    fault.stack = json.value("stack", "");
    fault.time = json.value("time", Micros(0));
    return fault;
}

} // namespace

std::string ProjectionFaultInfo::describe() const
{
    return "at position " + std::to_string(position) + " (" + type + ", version " + std::to_string(version) + " of "
        + stream + "): " + message;
}

nlohmann::ordered_json faultToJson(const ProjectionFaultInfo& fault)
{
    nlohmann::ordered_json json;
    json["position"] = fault.position;
    json["stream"] = fault.stream;
    json["version"] = fault.version;
    json["type"] = fault.type;
    json["id"] = fault.eventId;
    json["message"] = fault.message;
    json["stack"] = fault.stack;
    json["time"] = fault.time;
    return json;
}

ProjectionDetails ProjectionDetails::fromRecord(const ProjectionRecord& record)
{
    ProjectionDetails details;
    const auto json = nlohmann::json::parse(record.definition, nullptr, false);
    if (!json.is_object()) {
        details.script = record.definition; // a record written by something else: keep what it says
        return details;
    }
    details.script = json.value("script", "");
    details.source = json.value("source", "");
    details.partitioned = json.value("partitioned", false);
    details.eventsProcessed = json.value("eventsProcessed", std::int64_t(0));
    details.eventsEmitted = json.value("eventsEmitted", std::int64_t(0));
    details.lastRunStarted = json.value("lastRunStarted", Micros(0));
    if (json.contains("fault") && json["fault"].is_object())
        details.fault = faultFromJson(json["fault"]);
    if (json.contains("skipped") && json["skipped"].is_array())
        for (const auto& skipped : json["skipped"])
            details.skipped.push_back(faultFromJson(skipped));
    return details;
}

std::string ProjectionDetails::toJson() const
{
    nlohmann::ordered_json json;
    json["script"] = script;
    json["source"] = source;
    json["partitioned"] = partitioned;
    json["eventsProcessed"] = eventsProcessed;
    json["eventsEmitted"] = eventsEmitted;
    json["lastRunStarted"] = lastRunStarted;
    json["fault"] = fault ? faultToJson(*fault) : nlohmann::ordered_json();
    json["skipped"] = nlohmann::ordered_json::array();
    for (const auto& skip : skipped)
        json["skipped"].push_back(faultToJson(skip));
    return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string shadowName(const std::string& name)
{
    return name + "~shadow";
}

std::string previousName(const std::string& name)
{
    return name + "~previous";
}

void checkProjectionName(const std::string& name)
{
    if (name.empty())
        fail(ErrorKind::BadInput, "a projection needs a name");
    if (name.find('~') != std::string::npos)
        fail(ErrorKind::BadInput, "the projection name " + name + " may not contain '~' (it marks shadow versions)");
}

} // namespace eventscope
