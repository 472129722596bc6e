#pragma once
// The JavaScript half of JsProjection: the source of the driver its engine evaluates.

namespace eventscope {

// An expression that evaluates to a function taking the event prelude (js_event_batch.h) and returning the
// driver: install(global) puts the KurrentDB API (fromAll, fromStream, fromStreams, fromCategory,
// fromStreamsMatching, options, emit, linkTo, log) on the global object; definition() then says what the
// script defined, and prepare/load/fold/take/discard/evict/results run it. See js_projection.cpp.
const char* jsProjectionDriverSource();

} // namespace eventscope
