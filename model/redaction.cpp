#include "model/redaction.h"

#include "model/event_text.h"
#include "storage/error.h"

#include <nlohmann/json.hpp>

#include <set>
#include <span>

namespace eventscope {
namespace {

using Json = nlohmann::ordered_json;

[[noreturn]] void badPath(const std::string& path, const std::string& why)
{
    fail(ErrorKind::BadInput, "the redaction path '" + path + "' " + why);
}

Redaction::Rule parseRule(const std::string& path)
{
    std::string_view rest = path;
    if (rest.starts_with("$."))
        rest.remove_prefix(2);
    Redaction::Rule rule;
    if (rest.starts_with("metadata")) {
        rule.inMetadata = true;
        rest.remove_prefix(8);
    } else if (rest.starts_with("data")) {
        rest.remove_prefix(4);
    } else {
        badPath(path, "does not start with data or metadata (for example data.cardNumber)");
    }
    while (!rest.empty()) {
        if (rest.front() == '.') {
            rest.remove_prefix(1);
            const auto end = rest.find_first_of(".[");
            const std::string key(rest.substr(0, end));
            if (key.empty())
                badPath(path, "has an empty key");
            rule.steps.push_back({ key, -1 });
            rule.lastKey = key;
            rest.remove_prefix(end == std::string_view::npos ? rest.size() : end);
        } else if (rest.front() == '[') {
            const auto close = rest.find(']');
            if (close == std::string_view::npos)
                badPath(path, "has a [ without its ]");
            const std::string inside(rest.substr(1, close - 1));
            Redaction::Step step;
            if (inside != "*") {
                if (inside.empty() || inside.find_first_not_of("0123456789") != std::string::npos)
                    badPath(path, "has [" + inside + "], which is neither an index nor *");
                step.index = std::stoll(inside);
            }
            rule.steps.push_back(step);
            rest.remove_prefix(close + 1);
        } else {
            badPath(path, "has a key that is not preceded by a dot");
        }
    }
    return rule;
}

// Every scalar inside `value` as the text a derived field would hold.
void collectScalars(const Json& value, std::set<std::string>& out)
{
    if (value.is_structured()) {
        for (const auto& item : value)
            collectScalars(item, out);
    } else if (value.is_string()) {
        out.insert(value.get<std::string>());
    } else if (!value.is_null()) {
        out.insert(value.dump());
    }
}

// Masks, in `text`, the values `paths` reach, byte for byte around them; `text` is left alone when none is there.
void redactPayload(std::string& text, std::span<const std::vector<Redaction::Step>> paths,
    const std::vector<std::string>& lastKeys, std::set<std::string>& masked)
{
    if (paths.empty())
        return;
    // Most payloads hold none of the keys: skip them after a search (a text with escapes may spell a key
    // differently, so it is scanned).
    const bool escaped = text.find('\\') != std::string::npos;
    bool mayHold = escaped;
    for (const auto& key : lastKeys)
        mayHold = mayHold || key.empty() || text.find(key) != std::string::npos;
    if (!mayHold || !isJsonPayload(text))
        return; // not JSON: there are no paths in it
    const std::vector<JsonSpan> spans = findJsonValueSpans(text, paths);
    if (spans.empty())
        return;
    std::string out;
    out.reserve(text.size());
    std::size_t copied = 0;
    for (const auto& [begin, end] : spans) {
        out.append(text, copied, begin - copied);
        collectScalars(Json::parse(text.substr(begin, end - begin)), masked);
        out += '"';
        out += kRedactedText;
        out += '"';
        copied = end;
    }
    out.append(text, copied, std::string::npos);
    text = std::move(out);
}

} // namespace

Redaction::Redaction(const std::vector<std::string>& paths)
    : m_paths(paths)
{
    for (const auto& path : paths) {
        m_rules.push_back(parseRule(path));
        const Rule& rule = m_rules.back();
        (rule.inMetadata ? m_metadataPaths : m_dataPaths).push_back(rule.steps);
        (rule.inMetadata ? m_metadataKeys : m_dataKeys).push_back(rule.lastKey);
    }
}

Event Redaction::apply(const Event& event) const
{
    if (m_rules.empty())
        return event;
    Event shown = event;
    std::set<std::string> masked;
    redactPayload(shown.data, m_dataPaths, m_dataKeys, masked);
    redactPayload(shown.metadata, m_metadataPaths, m_metadataKeys, masked);
    for (std::string* derived : { &shown.actor, &shown.correlation, &shown.causation })
        if (!derived->empty() && masked.contains(*derived))
            *derived = kRedactedText;
    return shown;
}

} // namespace eventscope
