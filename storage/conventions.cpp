#include "storage/conventions.h"

#include "storage/error.h"

#include <nlohmann/json.hpp>

namespace eventscope {
namespace {

const nlohmann::json* firstPresent(const nlohmann::json& object, const std::vector<std::string>& keys)
{
    for (const auto& key : keys) {
        const auto it = object.find(key);
        if (it != object.end() && !it->is_null())
            return &*it;
    }
    return nullptr;
}

std::string asText(const nlohmann::json& value)
{
    return value.is_string() ? value.get<std::string>() : value.dump();
}

struct Member
{
    const char* name;
    std::vector<std::string> Conventions::*keys;
};

constexpr Member members[] = {
    { "correlation", &Conventions::correlation },
    { "causation", &Conventions::causation },
    { "actor", &Conventions::actor },
    { "schemaVersion", &Conventions::schemaVersion },
};

} // namespace

const Conventions& Conventions::defaults()
{
    static const Conventions conventions;
    return conventions;
}

void Conventions::derive(const nlohmann::json& metadata, Event& event) const
{
    if (!metadata.is_object())
        return;
    if (const auto* v = firstPresent(metadata, correlation))
        event.correlation = asText(*v);
    if (const auto* v = firstPresent(metadata, causation))
        event.causation = asText(*v);
    if (const auto* v = firstPresent(metadata, actor))
        event.actor = asText(*v);
    if (const auto* v = firstPresent(metadata, schemaVersion)) {
        if (v->is_number_integer())
            event.schemaVersion = v->get<std::int64_t>();
        else if (v->is_string()) {
            try {
                event.schemaVersion = std::stoll(v->get<std::string>());
            } catch (const std::exception&) {
                // A schema version like "v2" names no number; leave it unset.
            }
        }
    }
}

void Conventions::rederive(Event& event) const
{
    event.correlation.clear();
    event.causation.clear();
    event.actor.clear();
    event.schemaVersion.reset();
    if (event.metadata.empty())
        return;
    const auto metadata = nlohmann::json::parse(event.metadata, nullptr, false);
    if (!metadata.is_discarded())
        derive(metadata, event);
}

Conventions Conventions::fromJson(const std::string& text)
{
    const auto json = nlohmann::json::parse(text, nullptr, false);
    if (!json.is_object())
        throw Error(ErrorKind::BadInput, "the conventions are not a JSON object");
    Conventions conventions;
    for (auto it = json.begin(); it != json.end(); ++it) {
        const Member* member = nullptr;
        for (const Member& candidate : members)
            member = it.key() == candidate.name ? &candidate : member;
        if (!member)
            throw Error(ErrorKind::BadInput,
                "the conventions have an unknown member '" + it.key()
                    + "' (expected correlation, causation, actor or schemaVersion)");
        if (!it->is_array() || it->empty())
            throw Error(
                ErrorKind::BadInput, "the conventions' " + it.key() + " is not a non-empty array of metadata keys");
        std::vector<std::string> keys;
        for (const auto& key : *it) {
            if (!key.is_string() || key.get<std::string>().empty())
                throw Error(ErrorKind::BadInput,
                    "the conventions' " + it.key() + " holds something that is not a metadata key");
            keys.push_back(key.get<std::string>());
        }
        conventions.*(member->keys) = std::move(keys);
    }
    return conventions;
}

std::string Conventions::toJson() const
{
    nlohmann::ordered_json json;
    for (const Member& member : members)
        json[member.name] = this->*(member.keys);
    return json.dump();
}

} // namespace eventscope
