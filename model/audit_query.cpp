#include "model/audit_query.h"

#include "storage/error.h"
#include "storage/time_format.h"

namespace eventscope {
namespace {

std::string joined(const std::vector<std::string>& items)
{
    std::string text;
    for (const auto& item : items)
        text += (text.empty() ? "" : ", ") + item;
    return text;
}

std::string textField(const nlohmann::json& json, const char* key)
{
    const auto found = json.find(key);
    if (found == json.end() || found->is_null())
        return {};
    if (!found->is_string())
        fail(ErrorKind::BadInput, std::string("the saved query's \"") + key + "\" is not a string");
    return found->get<std::string>();
}

std::optional<Micros> timeField(const nlohmann::json& json, const char* key)
{
    const std::string text = textField(json, key);
    if (text.empty())
        return std::nullopt;
    const auto time = tryParseTime(text);
    if (!time)
        fail(ErrorKind::BadInput, std::string("the saved query's \"") + key + "\" is not an RFC 3339 time: " + text);
    return time;
}

} // namespace

void AuditQuery::check() const
{
    if (!stream.empty() && !category.empty())
        fail(ErrorKind::BadInput, "ask for one stream or one category, not both");
    if (since && until && *until < *since)
        fail(ErrorKind::BadInput,
            "the time range ends (" + formatTime(*until) + ") before it starts (" + formatTime(*since) + ")");
}

EventQuery AuditQuery::toEventQuery(std::size_t pageSize) const
{
    EventQuery query;
    if (!stream.empty())
        query.stream = stream;
    if (!category.empty())
        query.category = category;
    if (!actor.empty())
        query.actor = actor;
    query.types = types;
    query.since = since;
    query.until = until;
    query.includeSystem = includeSystem;
    query.limit = pageSize;
    return query;
}

std::string AuditQuery::describe() const
{
    std::vector<std::string> parts;
    parts.push_back(actor.empty() ? "every actor" : "actor " + actor);
    if (since || until)
        parts.push_back((since ? formatTime(*since) : std::string("the beginning")) + " to "
            + (until ? formatTime(*until) : std::string("now")));
    else
        parts.push_back("all time");
    if (!stream.empty())
        parts.push_back("stream " + stream);
    else if (!category.empty())
        parts.push_back("category " + category);
    else
        parts.push_back(includeSystem ? "every stream, system streams included" : "every stream");
    parts.push_back(types.empty() ? "every type" : (types.size() == 1 ? "type " : "types ") + joined(types));
    return joined(parts);
}

nlohmann::ordered_json AuditQuery::toJson() const
{
    nlohmann::ordered_json json;
    json["actor"] = actor;
    json["since"] = since ? formatTime(*since) : std::string();
    json["until"] = until ? formatTime(*until) : std::string();
    json["stream"] = stream;
    json["category"] = category;
    json["types"] = types;
    json["include_system"] = includeSystem;
    return json;
}

AuditQuery AuditQuery::fromJson(const nlohmann::json& json)
{
    if (!json.is_object())
        fail(ErrorKind::BadInput, "a saved query is not a JSON object");
    AuditQuery query;
    query.actor = textField(json, "actor");
    query.since = timeField(json, "since");
    query.until = timeField(json, "until");
    query.stream = textField(json, "stream");
    query.category = textField(json, "category");
    if (const auto types = json.find("types"); types != json.end() && !types->is_null()) {
        if (!types->is_array())
            fail(ErrorKind::BadInput, "the saved query's \"types\" is not a list");
        for (const auto& type : *types) {
            if (!type.is_string())
                fail(ErrorKind::BadInput, "the saved query's \"types\" holds something that is not a string");
            query.types.push_back(type.get<std::string>());
        }
    }
    if (const auto system = json.find("include_system"); system != json.end() && !system->is_null()) {
        if (!system->is_boolean())
            fail(ErrorKind::BadInput, "the saved query's \"include_system\" is not true or false");
        query.includeSystem = system->get<bool>();
    }
    query.check();
    return query;
}

} // namespace eventscope
