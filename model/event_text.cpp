#include "model/event_text.h"

#include "model/json_text.h"

#include "storage/time_format.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace eventscope {
namespace {

// std::string_view::find_first_of calls memchr over the set for every byte of the text: a plain loop is several
// times faster for sets this small, and exports run it over every payload.
bool containsLineBreak(std::string_view text)
{
    return std::any_of(text.begin(), text.end(), [](char c) { return c == '\n' || c == '\r'; });
}

bool needsCsvQuotes(std::string_view text)
{
    return std::any_of(text.begin(), text.end(), [](char c) { return c == ',' || c == '"' || c == '\n' || c == '\r'; });
}

} // namespace

bool isJsonPayload(std::string_view stored)
{
    return isJsonText(stored) || nlohmann::json::accept(stored);
}

std::string jsonString(std::string_view text)
{
    return nlohmann::json(std::string(text)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void appendJsonValueText(std::string& out, std::string_view stored)
{
    if (isJsonPayload(stored)) {
        // Valid JSON holds no raw line breaks inside strings, so any CR or LF sits between tokens.
        const auto first = stored.find_first_not_of(" \t\r\n");
        const auto last = stored.find_last_not_of(" \t\r\n");
        const std::string_view value = stored.substr(first, last - first + 1);
        const std::size_t start = out.size();
        out += value;
        if (containsLineBreak(value))
            std::replace_if(
                out.begin() + static_cast<std::ptrdiff_t>(start), out.end(),
                [](char c) { return c == '\n' || c == '\r'; }, ' ');
        return;
    }
    try {
        out += nlohmann::json(std::string(stored)).dump(-1, ' ', false, nlohmann::json::error_handler_t::strict);
    } catch (const nlohmann::json::exception&) {
        static constexpr char hex[] = "0123456789abcdef";
        out += "\"0x";
        for (const char c : stored) {
            out += hex[static_cast<unsigned char>(c) >> 4];
            out += hex[static_cast<unsigned char>(c) & 0x0F];
        }
        out += '"';
    }
}

std::string jsonValueText(std::string_view stored)
{
    std::string out;
    appendJsonValueText(out, stored);
    return out;
}

void appendNdjsonEventLine(std::string& line, const Event& event)
{
    line += "{\"position\":";
    line += std::to_string(event.position);
    line += ",\"stream\":";
    line += jsonString(event.stream);
    line += ",\"version\":";
    line += std::to_string(event.version);
    line += ",\"id\":";
    line += jsonString(event.id);
    line += ",\"type\":";
    line += jsonString(event.type);
    line += ",\"time\":\"";
    line += formatTime(event.time);
    line += "\",\"data\":";
    appendJsonValueText(line, event.data);
    line += ",\"metadata\":";
    appendJsonValueText(line, event.metadata);
    line += "}\n";
}

std::string ndjsonEventLine(const Event& event)
{
    std::string line;
    line.reserve(160 + event.data.size() + event.metadata.size());
    appendNdjsonEventLine(line, event);
    return line;
}

void appendCsvField(std::string& out, std::string_view text)
{
    if (!needsCsvQuotes(text)) {
        out += text;
        return;
    }
    out += '"';
    for (auto quote = text.find('"'); quote != std::string_view::npos; quote = text.find('"')) {
        out += text.substr(0, quote + 1);
        out += '"';
        text.remove_prefix(quote + 1);
    }
    out += text;
    out += '"';
}

std::string csvField(std::string_view text)
{
    std::string out;
    appendCsvField(out, text);
    return out;
}

void appendCsvEventLine(std::string& line, const Event& event)
{
    thread_local std::string payload;
    line += std::to_string(event.position);
    line += ',';
    appendCsvField(line, event.stream);
    line += ',';
    line += std::to_string(event.version);
    line += ',';
    appendCsvField(line, event.id);
    line += ',';
    appendCsvField(line, event.type);
    line += ',';
    line += formatTime(event.time);
    line += ',';
    payload.clear();
    appendJsonValueText(payload, event.data);
    appendCsvField(line, payload);
    line += ',';
    payload.clear();
    appendJsonValueText(payload, event.metadata);
    appendCsvField(line, payload);
    line += "\r\n";
}

std::string csvEventLine(const Event& event)
{
    std::string line;
    line.reserve(120 + event.data.size() + event.metadata.size());
    appendCsvEventLine(line, event);
    return line;
}

} // namespace eventscope
