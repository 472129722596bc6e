#pragma once
// The one spelling of a place in a JSON document, shared by the JSON tree's paths and the JSON diff, so that a
// path copied from one finds the row in the other: `lines[2].sku`, `["a b"].c`, `[0]`. A member whose name is
// not an ASCII identifier is written as a JSON string in brackets. Plain C++: usable outside Qt.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace eventscope {

// A member name, or an array index.
using JsonPathStep = std::variant<std::string, std::size_t>;

// `path` + `.key`, or `key` alone when `path` is empty (the document's own members have no leading dot).
std::string appendJsonPathKey(std::string path, std::string_view key);
std::string appendJsonPathIndex(std::string path, std::size_t index);
std::string formatJsonPath(const std::vector<JsonPathStep>& steps);
// The steps of a path as formatJsonPath writes it (a bracketed name need not be canonical); nullopt when
// `path` is not such a path. An empty path is the document itself.
std::optional<std::vector<JsonPathStep>> parseJsonPath(std::string_view path);
// A JSON string literal of UTF-8 text: quotes, backslashes and control characters escaped, the rest kept.
std::string jsonStringLiteral(std::string_view text);

} // namespace eventscope
