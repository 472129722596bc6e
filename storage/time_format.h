#pragma once
// RFC 3339 in and out. Input takes any offset and up to nanosecond fractions (truncated to microseconds);
// output is always UTC with 'Z' and six fraction digits, e.g. 2024-01-15T14:00:00.000000Z.

#include "storage/event.h"

#include <optional>
#include <string>
#include <string_view>

namespace eventscope {

std::optional<Micros> tryParseTime(std::string_view text);
// Throws BadInput naming the text.
Micros parseTime(std::string_view text);
std::string formatTime(Micros time);
Micros nowMicros();

} // namespace eventscope
