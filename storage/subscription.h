#pragma once
// Catch-up plus follow over any store: reads pages from a position to the head, then waits for the store to
// change and reads again. Stores guarantee that read() never returns an event above one that may still
// commit (DESIGN §3), so following by position never skips a late commit.

#include "storage/event_store.h"

#include <chrono>
#include <functional>
#include <stop_token>

namespace eventscope {

struct SubscriptionOptions
{
    bool follow = true; // false: stop at the head
    std::chrono::milliseconds pollTimeout { 250 };
    std::size_t pageSize = 1000;
};

// Returns the position after the last event handed over. The handler returns false to stop early.
// `query` filters as read() does; its fromPosition is where to start. Stream reads are not supported here.
std::int64_t subscribe(EventStore& store, EventQuery query, const std::function<bool(const Event&)>& handler,
    std::stop_token stop, SubscriptionOptions options = {});

} // namespace eventscope
