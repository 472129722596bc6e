#pragma once
// Event IDs: random (version 4) UUIDs in lower-case text.

#include <string>
#include <string_view>

namespace eventscope {

std::string makeUuid();
bool isUuid(std::string_view text);
// Lower-cases a valid UUID; throws BadInput naming the text otherwise.
std::string normalizeUuid(std::string_view text);

} // namespace eventscope
