#pragma once
// What changed between two JSON documents, e.g. a replayed state before and after one event (DESIGN §4): the
// Stream tab's diff and change highlighting, and text for the command line and tooltips. Plain C++.
//
// Objects are compared by member name (moving a member is no change), arrays by index. Numbers are compared
// by value: 1 and 1.0 are equal, and an integer equals a float only when the float is exactly that integer.
// A member that holds null is not a missing member: {} -> {"a":null} adds "a".

#include "model/json_path.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace eventscope {

struct JsonChange
{
    enum class Kind { Added, Removed, Changed };
    Kind kind;
    std::string path; // as formatJsonPath writes it; "" is the document itself
    nlohmann::ordered_json before; // null for Added
    nlohmann::ordered_json after; // null for Removed
};

// In document order: an object's members in `after`'s order, then the members it lost; an array's changed
// items, then the items it gained or lost at its end. A value that changes kind (object -> number) is one
// Changed at its path, with nothing reported below it.
std::vector<JsonChange> diffJson(const nlohmann::ordered_json& before, const nlohmann::ordered_json& after);

// One line a change: "~ balance: 120 → 95", "+ lines[3]: {"sku":"C-3"}", "- note". Long values are cut.
// At most `maxLines` lines: when changes are left out, the last line says how many. Empty for no changes.
// A document for diffJson: JSON text parsed, or, when it is not JSON, the text itself as a JSON string.
nlohmann::ordered_json parseJsonOrText(const std::string& text);

std::string describeChanges(const std::vector<JsonChange>& changes, std::size_t maxLines = 20);

} // namespace eventscope
