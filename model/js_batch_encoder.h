#pragma once
// The C++ half of handing events to JavaScript in batches (js_event_batch.h): the texts, numbers and offsets of
// a batch, built without the engine, so that a reader thread can build them while the engine's thread folds the
// batch before.

#include "storage/event.h"

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace eventscope {

inline constexpr int kIntsPerEvent = 10; // the prelude's K
inline constexpr int kNumbersPerEvent = 5; // the prelude's N

// One batch, as JsEventBatch::toJs hands it to the prelude's makeBatch (the layout is in js_event_batch.h).
struct JsBatchText
{
    std::string data; // a JSON array of the events' data
    std::string blob; // the texts read on demand
    std::vector<std::int32_t> ints;
    std::vector<double> numbers;
    std::vector<std::string> strings; // the batch's distinct types and streams
    std::size_t count = 0; // how many events of the span it holds
};

class JsBatchEncoder
{
public:
    // Whether any handler will read an event of this type; the others are passed without texts or data.
    using Wants = std::function<bool(const std::string& type)>;

    explicit JsBatchEncoder(Wants wants = {});

    // Encodes the first events (up to a chunk of ~4096 events or 64 MB) into `out`; out.count says how many.
    // Throws Error(BadInput) for an event too large to pass.
    void encode(std::span<const Event> events, JsBatchText& out);

private:
    std::int32_t intern(const std::string& text);
    bool wanted(std::int32_t type);

    Wants m_wants;
    JsBatchText* m_text = nullptr; // the batch being encoded
    std::vector<signed char> m_wanted; // per string used as a type: 1, 0, or -1 not yet known
};

} // namespace eventscope
