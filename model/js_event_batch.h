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

#include "model/js_batch_encoder.h"

#include <QJSValue>

class QJSEngine;

namespace eventscope {

class JsEventBatch
{
public:
    explicit JsEventBatch(QJSEngine& engine, JsBatchEncoder::Wants wants = {});

    // Encodes the first events (up to a chunk of ~4096 events or 64 MB) and says how many in `count`.
    // Throws Error(BadInput) for an event too large to pass.
    QJSValueList encode(std::span<const Event> events, std::size_t& count);
    // The values for a batch encoded elsewhere (by a JsBatchEncoder with the same wants). May rewrite its offsets.
    QJSValueList toJs(JsBatchText& text);

private:
    QJSEngine& m_engine;
    JsBatchEncoder m_encoder;
    JsBatchText m_text; // kept between calls to spare allocations
};

// The prelude's source: an expression that evaluates to an object the drivers share:
//   { K, N, BATCH, INDEX, PARTITION, common, makeBatch(data, blob, ints, numbers, strings), kind(v),
//     parse, stringify, keys, create, setPrototypeOf, isArray }
// `common` is the prototype of a batch's events: the fields few handlers read are getters on it, so that they
// cost nothing unless read. Measurements are in tests/bench/bench_js_reducer.cpp.
const char* jsEventPreludeSource();

} // namespace eventscope
