#include "model/json_path.h"

#include <nlohmann/json.hpp>

#include <charconv>

namespace eventscope {
namespace {

bool isIdentifierStart(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == '$';
}

bool isIdentifierChar(char c)
{
    return isIdentifierStart(c) || (c >= '0' && c <= '9');
}

bool isIdentifier(std::string_view key)
{
    if (key.empty() || !isIdentifierStart(key.front()))
        return false;
    for (const char c : key) {
        if (!isIdentifierChar(c))
            return false;
    }
    return true;
}

} // namespace

std::string jsonStringLiteral(std::string_view text)
{
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(text.size() + 2);
    out += '"';
    // Bytes of multi-byte UTF-8 sequences are all >= 0x80, so escaping byte by byte never splits a character.
    for (const char c : text) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                out += "\\u00";
                out += hex[(c >> 4) & 0xf];
                out += hex[c & 0xf];
            } else {
                out += c;
            }
        }
    }
    out += '"';
    return out;
}

std::string appendJsonPathKey(std::string path, std::string_view key)
{
    if (!isIdentifier(key)) {
        path += '[';
        path += jsonStringLiteral(key);
        path += ']';
    } else {
        if (!path.empty())
            path += '.';
        path += key;
    }
    return path;
}

std::string appendJsonPathIndex(std::string path, std::size_t index)
{
    path += '[';
    path += std::to_string(index);
    path += ']';
    return path;
}

std::string formatJsonPath(const std::vector<JsonPathStep>& steps)
{
    std::string path;
    for (const JsonPathStep& step : steps) {
        if (const auto* key = std::get_if<std::string>(&step))
            path = appendJsonPathKey(std::move(path), *key);
        else
            path = appendJsonPathIndex(std::move(path), std::get<std::size_t>(step));
    }
    return path;
}

std::optional<std::vector<JsonPathStep>> parseJsonPath(std::string_view path)
{
    std::vector<JsonPathStep> steps;
    std::size_t at = 0;
    auto identifier = [&]() -> std::optional<std::string> {
        const std::size_t start = at;
        if (at >= path.size() || !isIdentifierStart(path[at]))
            return std::nullopt;
        while (at < path.size() && isIdentifierChar(path[at]))
            ++at;
        return std::string(path.substr(start, at - start));
    };
    if (!path.empty() && path.front() != '[') {
        auto key = identifier();
        if (!key)
            return std::nullopt;
        steps.emplace_back(std::move(*key));
    }
    while (at < path.size()) {
        if (path[at] == '.') {
            ++at;
            auto key = identifier();
            if (!key)
                return std::nullopt;
            steps.emplace_back(std::move(*key));
            continue;
        }
        if (path[at] != '[' || ++at >= path.size())
            return std::nullopt;
        if (path[at] == '"') {
            std::size_t end = at + 1;
            while (end < path.size() && path[end] != '"')
                end += path[end] == '\\' ? 2 : 1;
            if (end >= path.size() || end + 1 >= path.size() || path[end + 1] != ']')
                return std::nullopt;
            // nlohmann decodes every escape JSON allows, and rejects raw control characters and bad UTF-8.
            nlohmann::json key = nlohmann::json::parse(path.substr(at, end + 1 - at), nullptr, false);
            if (!key.is_string())
                return std::nullopt;
            steps.emplace_back(key.get<std::string>());
            at = end + 2;
            continue;
        }
        const std::size_t close = path.find(']', at);
        if (close == std::string_view::npos || close == at || (path[at] == '0' && close > at + 1))
            return std::nullopt;
        std::size_t index = 0;
        const auto [end, error] = std::from_chars(path.data() + at, path.data() + close, index);
        if (error != std::errc() || end != path.data() + close)
            return std::nullopt;
        steps.emplace_back(index);
        at = close + 1;
    }
    return steps;
}

} // namespace eventscope
