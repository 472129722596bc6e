#pragma once
// Reads pages of events ahead on a thread of its own, so that reading the store and folding in JavaScript overlap
// (a projection rebuild runs on two cores instead of one). The store connection belongs to the prefetcher's
// thread while it lives: the caller must not use it until the prefetcher is gone.

#include "storage/event_store.h"

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <stop_token>
#include <thread>

namespace eventscope {

class PagePrefetcher
{
public:
    // Starts reading at `first` (a query paged by position) and keeps up to `depth` pages ready.
    PagePrefetcher(EventStore& source, EventQuery first, std::size_t depth = 4);
    ~PagePrefetcher();
    PagePrefetcher(const PagePrefetcher&) = delete;
    PagePrefetcher& operator=(const PagePrefetcher&) = delete;

    // The next page, in order. An empty page means the reader got to the end of what the store had. Rethrows what
    // the reader's store call threw.
    EventPage next();

private:
    void read(std::stop_token stop, EventQuery query);

    EventStore& m_source;
    std::size_t m_depth;
    std::mutex m_mutex;
    std::condition_variable_any m_changed;
    std::deque<EventPage> m_pages;
    bool m_ended = false;
    std::exception_ptr m_error;
    std::jthread m_reader; // last: it starts once everything it uses exists
};

} // namespace eventscope
