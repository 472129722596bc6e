#pragma once
// Where in a JSON text the values at some paths are, as byte ranges, without building a document: redaction
// replaces just those bytes, so an export keeps every other byte of the stored text (key order, number spelling)
// and costs one pass over it.

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace eventscope {

struct JsonPathStep
{
    std::string key; // an object's member; empty for an array step
    long long index = -1; // with an empty key: this element, or every element when -1
};

using JsonSpan = std::pair<std::size_t, std::size_t>; // [begin, end)

// The spans of the values any of `paths` reaches in `text`, which must be valid JSON (isJsonText). A value inside
// another one found is not listed again; spans come in text order. An empty path reaches the whole value.
std::vector<JsonSpan> findJsonValueSpans(std::string_view text, std::span<const std::vector<JsonPathStep>> paths);

} // namespace eventscope
