#pragma once
// DynamoDB's typed values as plain JSON, and plain attribute values as an event's fields, for `eventscope import`
// (model/dynamodb_import.h; DESIGN §3; issue 7).
//
// Typed values become plain JSON: S a string; N a number (see dynamoDbNumber); BOOL; NULL null; M an object;
// L an array; SS, NS and BS arrays; B and BS binary kept as their base64 text.

#include "storage/error.h"
#include "storage/event.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace eventscope {

// The import's one kind of error: input it cannot use, in a sentence naming what is wrong.
[[noreturn]] inline void dynamoDbBadInput(const std::string& sentence)
{
    fail(ErrorKind::BadInput, sentence);
}

// An N value as plain JSON: a whole number within int64 (or uint64) as an integer, including "1.0" and "1E+3";
// else a double when the double prints back as the same decimal value ("0.25", "1.5E-7"); else, so that no
// digit is lost, the decimal text as a JSON string (38-digit values, "0.1000000000000000000001"). Throws
// BadInput for text that is not a number.
nlohmann::ordered_json dynamoDbNumber(std::string_view text);
// A typed value ({"S":"x"}, {"M":{...}}, ...) as plain JSON. Throws BadInput naming what is wrong.
nlohmann::ordered_json dynamoDbPlainValue(const nlohmann::ordered_json& typed);

// JSON text of a plain value; bytes that are not UTF-8 are replaced rather than stopping a large import.
std::string dynamoDbJsonText(const nlohmann::ordered_json& value);

// Plain attribute values as fields. Each throws BadInput naming the attribute (`what` says which field it is
// for: "stream", "type", ...) and the value.
// Text: a string, or a whole number as its digits.
std::string dynamoDbText(const nlohmann::ordered_json& value, const std::string& attribute, const char* what);
// A whole number within int64 (an integer, a float without a fraction, or the digits of one), else nothing.
std::optional<std::int64_t> dynamoDbWholeNumber(const nlohmann::ordered_json& value);
// A version: a whole number of 0 or more.
std::int64_t dynamoDbVersion(const nlohmann::ordered_json& value, const std::string& attribute);
// A time: ISO 8601 text (UTC when it has no offset) or epoch seconds, milliseconds, microseconds or nanoseconds
// (told by magnitude), as a number or as its text.
Micros dynamoDbTime(const nlohmann::ordered_json& value, const std::string& attribute);
// JSON text in a string that holds an object or an array is that JSON; any other value is itself.
nlohmann::ordered_json dynamoDbParsedIfJsonText(const nlohmann::ordered_json& value);

} // namespace eventscope
