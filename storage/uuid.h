#pragma once
// Event IDs: UUIDs in lower-case text. The store makes time-ordered ones (version 7); any UUID is accepted.

#include <cstdint>
#include <string>
#include <string_view>

namespace eventscope {

std::string makeUuid();
// A version 7 UUID (RFC 9562) from Unix milliseconds and 74 bits taken from the two random words.
std::string uuidV7(std::uint64_t unixMillis, std::uint64_t randomHigh, std::uint64_t randomLow);
// The 36-character form in any case, or the same in braces.
bool isUuid(std::string_view text);
// Lower-cases a valid UUID and drops its braces; throws BadInput naming the text otherwise.
std::string normalizeUuid(std::string_view text);

} // namespace eventscope
