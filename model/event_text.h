#pragma once
// Events as the text of exports and of the command line (DESIGN §8): NDJSON event lines and RFC 4180 CSV, shared
// by `read`, `export`, `audit` and the window's exports so that every file Eventscope writes reads the same.

#include "storage/event.h"

#include <string>
#include <string_view>

namespace eventscope {

// Whether a stored payload is JSON: isJsonText() (model/json_text.h), then nlohmann::json::accept for what that
// refuses, since it stops at 512 levels of nesting and an export must not.
bool isJsonPayload(std::string_view stored);

// A JSON string literal for the text (invalid UTF-8 replaced by U+FFFD).
std::string jsonString(std::string_view text);
// A stored payload as one line of JSON: its own text when it is valid JSON (key order and number spelling
// kept; line breaks between tokens become spaces), otherwise a JSON string of the text, or of "0x" and its
// hex digits when it is not UTF-8 either.
std::string jsonValueText(std::string_view stored);
void appendJsonValueText(std::string& out, std::string_view stored);

// {"position","stream","version","id","type","time","data","metadata"} and a newline.
std::string ndjsonEventLine(const Event& event);
void appendNdjsonEventLine(std::string& out, const Event& event);

// One RFC 4180 field: quoted when it holds a comma, quote, CR or LF, with quotes doubled.
std::string csvField(std::string_view text);
void appendCsvField(std::string& out, std::string_view text);
// The header row of csvEventLine(), with its CRLF.
inline constexpr std::string_view kCsvEventHeader = "position,stream,version,id,type,time,data,metadata\r\n";
// One event as a CSV row in kCsvEventHeader's columns, data and metadata as jsonValueText(), with its CRLF.
std::string csvEventLine(const Event& event);
void appendCsvEventLine(std::string& out, const Event& event);

} // namespace eventscope
