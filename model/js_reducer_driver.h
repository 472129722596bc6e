#pragma once
// The JavaScript half of JsReducer: the source of the driver its engine evaluates, and the shape of the batches
// JsReducer::encode hands it.

namespace eventscope {

// Per event, in a batch's `ints` and `numbers` arrays; the driver's K and N must be the same.
inline constexpr int kIntsPerEvent = 10;
inline constexpr int kNumbersPerEvent = 5;

// The driver's source: an expression that evaluates to a function taking the reducer's handlers and returning
// its entry points (apply, rollback, at, handled, thrown, reset, restore, state) or a string saying what is
// wrong with the handlers.
const char* jsReducerDriverSource();

} // namespace eventscope
