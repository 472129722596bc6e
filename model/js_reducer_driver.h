#pragma once
// The JavaScript half of JsReducer: the source of the driver its engine evaluates.

namespace eventscope {

// The driver's source: an expression that evaluates to a function taking the event prelude (js_event_batch.h) and
// returning a function that takes the reducer's handlers and returns its entry points (apply, rollback, at,
// handled, thrown, reset, restore, state) or a string saying what is wrong with the handlers.
const char* jsReducerDriverSource();

} // namespace eventscope
