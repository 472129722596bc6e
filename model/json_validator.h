#pragma once
// Whether bytes are one JSON text (RFC 8259: a value with optional whitespace around it, UTF-8, escapes and
// surrogate pairs well formed). Exports check every payload they write, and nlohmann::json::accept was most of an
// export's time; this single pass over the bytes gives the same answers several times faster.

#include <string_view>

namespace eventscope {

bool isJsonText(std::string_view text);

} // namespace eventscope
