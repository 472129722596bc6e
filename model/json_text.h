#pragma once
// JSON text at the speed of the JavaScript reducer's encoding: checked and written by hand, per event, in a
// budget of a few tens of ns. nlohmann::json::accept takes ~430 ns for a 30-byte object, more than the whole
// fold's budget per event.

#include <string>
#include <string_view>

namespace eventscope {

// Whether `text` is one JSON value as JSON.parse reads it (RFC 8259, in well-formed UTF-8 with whole surrogate
// pairs), nested at most 512 deep: deeper data is passed to the script as text, since V4's JSON.parse recurses.
// It accepts nothing nlohmann::json::accept refuses (tests/model/tst_json_text_validation.cpp).
bool isJsonText(std::string_view text);

// Appends `text` to `out` as a JSON string, quoted and escaped.
void appendJsonString(std::string& out, std::string_view text);

} // namespace eventscope
