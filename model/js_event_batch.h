#pragma once
// Events handed to JavaScript in batches: one crossing from C++ per ~4000 events instead of one per event.
// Shared by the JavaScript reducer and the projection runtime.
//
// A batch is five values (JsEventBatch::encode writes them), read by the prelude's makeBatch():
//   data     JSON text of an array with each event's data: the data itself when it is JSON, else the text as a
//            JSON string. One JSON.parse per batch is twice as fast in V4 as one per event.
//   blob     one string with the texts few handlers read: id, correlation, causation, actor, time, metadata and
//            the raw data of each event, cut out on demand.
//   ints     Int32Array, 10 per event: type and stream (indexes into `strings`), then where each of the 7 texts
//            starts in `blob`, and where the last one ends.
//   numbers  Float64Array, 5 per event: version, position, time in µs, 1 when the data is JSON, schema version
//            (NaN when there is none).
//   strings  the batch's distinct types and streams.

#include "storage/event.h"

#include <QJSValue>

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

class QJSEngine;

namespace eventscope {

inline constexpr int kIntsPerEvent = 10; // the prelude's K
inline constexpr int kNumbersPerEvent = 5; // the prelude's N

class JsEventBatch
{
public:
    // Whether any handler will read an event of this type; the others are passed without texts or data.
    using Wants = std::function<bool(const std::string& type)>;

    explicit JsEventBatch(QJSEngine& engine, Wants wants = {});

    // Encodes the first events (up to a chunk of ~4096 events or 64 MB) and says how many in `count`.
    // Throws Error(BadInput) for an event too large to pass.
    QJSValueList encode(std::span<const Event> events, std::size_t& count);

private:
    std::int32_t intern(const std::string& text);
    bool wanted(std::int32_t type);

    QJSEngine& m_engine;
    Wants m_wants;
    // Kept between calls to spare allocations.
    std::string m_data;
    std::string m_blob;
    std::vector<std::int32_t> m_ints;
    std::vector<double> m_numbers;
    std::vector<std::string> m_strings;
    std::vector<signed char> m_wanted; // per m_strings entry used as a type: 1, 0, or -1 not yet known
};

// The prelude's source: an expression that evaluates to an object the drivers share:
//   { K, N, BATCH, INDEX, PARTITION, common, makeBatch(data, blob, ints, numbers, strings), kind(v),
//     parse, stringify, keys, create, setPrototypeOf, isArray }
// `common` is the prototype of a batch's events: the fields few handlers read are getters on it, so that they
// cost nothing unless read. Measurements are in tests/bench/bench_js_reducer.cpp.
const char* jsEventPreludeSource();

} // namespace eventscope
