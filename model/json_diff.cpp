#include "model/json_diff.h"

#include <algorithm>
#include <cstdint>
#include <iterator>

namespace eventscope {
namespace {

using Json = nlohmann::ordered_json;

// Exact, unlike converting both to double: 2^53 + 1 is not 2^53.0.
bool sameNumber(const Json& a, const Json& b)
{
    if (a.is_number_float() && b.is_number_float())
        return a.get<double>() == b.get<double>();
    if (a.is_number_float() || b.is_number_float()) {
        const double d = a.is_number_float() ? a.get<double>() : b.get<double>();
        const Json& integer = a.is_number_float() ? b : a;
        if (integer.is_number_unsigned()) {
            return d >= 0 && d < 18446744073709551616.0 && double(std::uint64_t(d)) == d
                && std::uint64_t(d) == integer.get<std::uint64_t>();
        }
        return d >= -9223372036854775808.0 && d < 9223372036854775808.0 && double(std::int64_t(d)) == d
            && std::int64_t(d) == integer.get<std::int64_t>();
    }
    // nlohmann keeps non-negative integers as unsigned and negative ones as signed, but both kinds may appear.
    if (a.is_number_unsigned() && b.is_number_unsigned())
        return a.get<std::uint64_t>() == b.get<std::uint64_t>();
    if (a.is_number_integer() && b.is_number_integer() && !a.is_number_unsigned() && !b.is_number_unsigned())
        return a.get<std::int64_t>() == b.get<std::int64_t>();
    const Json& u = a.is_number_unsigned() ? a : b;
    const Json& s = a.is_number_unsigned() ? b : a;
    return s.get<std::int64_t>() >= 0 && std::uint64_t(s.get<std::int64_t>()) == u.get<std::uint64_t>();
}

bool sameKind(const Json& a, const Json& b)
{
    return a.type() == b.type() || (a.is_number() && b.is_number());
}

// A value cut to about `limit` bytes without splitting a UTF-8 sequence.
std::string shortJson(const Json& value, std::size_t limit = 60)
{
    std::string text = value.dump(-1, ' ', false, Json::error_handler_t::replace);
    if (text.size() <= limit)
        return text;
    std::size_t cut = limit;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xc0) == 0x80)
        --cut;
    text.resize(cut);
    return text + "\u2026";
}

} // namespace

std::vector<JsonChange> diffJson(const Json& before, const Json& after)
{
    // A stack instead of recursion: a payload nested thousands deep must not overflow the thread's stack.
    // A task with one side missing reports an added or removed value; pushing in reverse keeps document order.
    struct Task
    {
        const Json* before;
        const Json* after;
        std::string path;
    };
    std::vector<JsonChange> changes;
    std::vector<Task> tasks { { &before, &after, {} } };
    std::vector<Task> children;
    while (!tasks.empty()) {
        Task task = std::move(tasks.back());
        tasks.pop_back();
        const Json* b = task.before;
        const Json* a = task.after;
        if (!b || !a) {
            changes.push_back({ b ? JsonChange::Kind::Removed : JsonChange::Kind::Added, std::move(task.path),
                b ? *b : Json(), a ? *a : Json() });
            continue;
        }
        if (!sameKind(*b, *a)) {
            changes.push_back({ JsonChange::Kind::Changed, std::move(task.path), *b, *a });
            continue;
        }
        children.clear();
        if (a->is_object()) {
            for (auto it = a->begin(); it != a->end(); ++it) {
                const auto old = b->find(it.key());
                children.push_back({ old == b->end() ? nullptr : &*old, &*it, appendJsonPathKey(task.path, it.key()) });
            }
            for (auto it = b->begin(); it != b->end(); ++it) {
                if (!a->contains(it.key()))
                    children.push_back({ &*it, nullptr, appendJsonPathKey(task.path, it.key()) });
            }
        } else if (a->is_array()) {
            const std::size_t count = std::max(a->size(), b->size());
            for (std::size_t i = 0; i < count; ++i) {
                children.push_back({ i < b->size() ? &(*b)[i] : nullptr, i < a->size() ? &(*a)[i] : nullptr,
                    appendJsonPathIndex(task.path, i) });
            }
        } else if (a->is_number() ? !sameNumber(*b, *a) : *b != *a) {
            changes.push_back({ JsonChange::Kind::Changed, std::move(task.path), *b, *a });
        }
        tasks.insert(tasks.end(), std::make_move_iterator(children.rbegin()), std::make_move_iterator(children.rend()));
    }
    return changes;
}

std::string describeChanges(const std::vector<JsonChange>& changes, std::size_t maxLines)
{
    const std::size_t shown = changes.size() <= maxLines ? changes.size() : (maxLines > 0 ? maxLines - 1 : 0);
    std::string text;
    for (std::size_t i = 0; i < shown; ++i) {
        const JsonChange& change = changes[i];
        if (!text.empty())
            text += '\n';
        const std::string path = change.path.empty() ? std::string("(document)") : change.path;
        switch (change.kind) {
        case JsonChange::Kind::Added:
            text += "+ " + path + ": " + shortJson(change.after);
            break;
        case JsonChange::Kind::Removed:
            text += "- " + path;
            break;
        case JsonChange::Kind::Changed:
            text += "~ " + path + ": " + shortJson(change.before) + " \u2192 " + shortJson(change.after);
            break;
        }
    }
    if (shown < changes.size() && maxLines > 0) {
        if (!text.empty())
            text += '\n';
        const std::size_t rest = changes.size() - shown;
        text += "\u2026 " + std::to_string(rest) + (rest == 1 ? " more change" : " more changes");
    }
    return text;
}

nlohmann::ordered_json parseJsonOrText(const std::string& text)
{
    try {
        return nlohmann::ordered_json::parse(text);
    } catch (const nlohmann::json::exception&) {
        return nlohmann::ordered_json(text);
    }
}

} // namespace eventscope
