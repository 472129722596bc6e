#pragma once
// Makes a realistic demo store (`eventscope demo`): bank accounts, and orders whose payments, inventory
// reservations and shipments live in streams of their own, tied by correlation IDs and causation chains;
// several actors; schema v1 and v2 events; weeks of timestamps. Deterministic for a seed.

#include "storage/event_store.h"

#include <cstdint>
#include <functional>

namespace eventscope {

struct DemoOptions
{
    std::int64_t events = 50'000;
    std::int64_t streams = 0; // 0: about one stream per 12 events
    std::uint64_t seed = 1;
};

struct DemoSummary
{
    std::int64_t events = 0;
    std::int64_t streams = 0;
    Micros firstTime = 0;
    Micros lastTime = 0;
};

// Appends in large transactions; `progress` is called now and then with the events written so far.
DemoSummary generateDemo(
    EventStore& store, const DemoOptions& options, const std::function<void(std::int64_t)>& progress = {});

} // namespace eventscope
