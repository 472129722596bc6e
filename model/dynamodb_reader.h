#pragma once
// The items of a DynamoDB file, one at a time, for `eventscope import` (model/dynamodb_import.h; DESIGN §3).
//
// Plain text only (a gzip-compressed export is refused with a sentence: decompress it first), in either format,
// told apart by the first key of the file:
//   - the export format: one {"Item":{...}} a line;
//   - the output of a scan: {"Items":[...],"Count":N,"ScannedCount":N,...}, read by nlohmann's SAX interface one
//     item at a time, so that a file of many GB is never held: memory stays flat whatever the file's size.
// Attribute values become plain JSON as dynamoDbPlainValue makes them (model/dynamodb_values.h).

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <istream>
#include <string>

namespace eventscope {

struct DynamoDbItem
{
    std::int64_t line = 0; // where the item starts in its file, from 1
    std::uint64_t bytesRead = 0; // of the file, so far
    nlohmann::ordered_json attributes; // plain JSON, one member an attribute
};

enum class DynamoDbFormat { Export, Scan };

// Calls `each` for every item of the file in file order, holding one item at a time. `source` names the file
// in errors: "SOURCE line N: what is wrong". Returns the format found.
DynamoDbFormat readDynamoDbItems(
    std::istream& input, const std::string& source, const std::function<void(DynamoDbItem&)>& each);

} // namespace eventscope
