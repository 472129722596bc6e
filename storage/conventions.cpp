#include "storage/conventions.h"

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

} // namespace eventscope
