#pragma once
// Reads pages of events ahead on a thread of its own, and prepares each there (a projection picks the events it
// reads and encodes them for JavaScript), so that reading, encoding and folding overlap: a projection rebuild runs
// on two cores instead of one. The store connection belongs to the prefetcher's thread while it lives: the caller
// must not use it until the prefetcher is gone.

#include "model/js_batch_encoder.h"
#include "storage/event_store.h"

#include <functional>

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <stop_token>
#include <thread>

namespace eventscope {

struct PreparedPage
{
    EventPage page;
    std::vector<Event> handled; // the events of the page the reader passes on (moved out of `page`)
    std::vector<std::size_t> pageIndex; // where each handled event sits in the page
    JsBatchText encoded; // the handled events encoded (count 0: not encoded)
};

class PagePrefetcher
{
public:
    using Prepare = std::function<void(PreparedPage&)>;

    // Starts reading at `first` (a query paged by position) and keeps up to `depth` pages ready, each prepared on
    // the reader's thread.
    PagePrefetcher(EventStore& source, EventQuery first, Prepare prepare, std::size_t depth = 4);
    ~PagePrefetcher();
    PagePrefetcher(const PagePrefetcher&) = delete;
    PagePrefetcher& operator=(const PagePrefetcher&) = delete;

    // The next page, in order. An empty page means the reader got to the end of what the store had. Rethrows what
    // the reader's store call (or preparation) threw.
    PreparedPage next();

private:
    void read(std::stop_token stop, EventQuery query);

    EventStore& m_source;
    Prepare m_prepare;
    std::size_t m_depth;
    std::mutex m_mutex;
    std::condition_variable_any m_changed;
    std::deque<PreparedPage> m_pages;
    bool m_ended = false;
    std::exception_ptr m_error;
    std::jthread m_reader; // last: it starts once everything it uses exists
};

} // namespace eventscope
