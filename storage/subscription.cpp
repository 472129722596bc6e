#include "storage/subscription.h"

#include "storage/error.h"

namespace eventscope {

std::int64_t subscribe(EventStore& store, EventQuery query, const std::function<bool(const Event&)>& handler,
    std::stop_token stop, SubscriptionOptions options)
{
    if (query.stream)
        fail(ErrorKind::BadInput, "a subscription follows positions; filter by category or type instead of one stream");
    query.backward = false;
    query.limit = options.pageSize;
    std::int64_t next = query.fromPosition.value_or(1);
    while (!stop.stop_requested()) {
        query.fromPosition = next;
        const EventPage page = store.read(query);
        for (const Event& event : page.events) {
            next = event.position + 1;
            if (!handler(event))
                return next;
            if (stop.stop_requested())
                return next;
        }
        if (page.next) {
            next = *page.next;
            continue;
        }
        if (!options.follow)
            break;
        store.waitForChange(options.pollTimeout);
    }
    return next;
}

} // namespace eventscope
