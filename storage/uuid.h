#pragma once
// Event IDs: UUIDs in lower-case text. The store makes time-ordered ones (version 7); any UUID is accepted.

#include <string>
#include <string_view>

namespace eventscope {

std::string makeUuid();
bool isUuid(std::string_view text);
// Lower-cases a valid UUID; throws BadInput naming the text otherwise.
std::string normalizeUuid(std::string_view text);

} // namespace eventscope
