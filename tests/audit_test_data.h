#pragma once
// The events the audit tests query: `count` of them over about a week (one every 37 minutes), three types, eight
// streams, and three actors of whom u-17 made every fifth event. Data holds a card number to redact and text
// that CSV must quote. Returned as the oracle the tests count against.

#include "storage/event_store.h"
#include "storage/time_format.h"

#include <string>
#include <vector>

namespace eventscope::test {

struct MadeEvent
{
    std::string stream;
    std::string type;
    std::string actor;
    Micros time = 0;
};

inline const Micros kAuditStart = parseTime("2024-03-01T00:00:00Z");
inline constexpr Micros kMinute = 60'000'000;

inline std::vector<MadeEvent> fillAuditStore(EventStore& store, int count)
{
    std::vector<MadeEvent> made;
    std::vector<AppendRequest> requests;
    for (int i = 0; i < count; ++i) {
        MadeEvent event { "acct-" + std::to_string(i % 8),
            std::vector<std::string> { "Opened", "Deposited", "Closed" }[i % 3],
            "u-" + std::to_string(i % 5 == 0 ? 17 : i % 2), kAuditStart + i * 37 * kMinute };
        NewEvent e;
        e.type = event.type;
        e.data = "{\"amount\":" + std::to_string(i) + ",\"card\":\"4111-secret-" + std::to_string(i)
            + "\",\"note\":\"a, \\\"quoted\\\"\\nline\"}";
        e.metadata = "{\"userId\":\"" + event.actor + "\"}";
        e.time = event.time;
        requests.push_back({ event.stream, ExpectedVersion::any(), { e } });
        made.push_back(event);
    }
    store.append(requests);
    return made;
}

} // namespace eventscope::test
