#include "model/page_prefetcher.h"

namespace eventscope {

PagePrefetcher::PagePrefetcher(EventStore& source, EventQuery first, Prepare prepare, std::size_t depth)
    : m_source(source)
    , m_prepare(std::move(prepare))
    , m_depth(std::max<std::size_t>(depth, 1))
    , m_reader([this, first](std::stop_token stop) { read(stop, first); })
{
}

PagePrefetcher::~PagePrefetcher()
{
    m_reader.request_stop();
    m_changed.notify_all();
    m_reader.join(); // a page read in flight ends first: it is short
}

void PagePrefetcher::read(std::stop_token stop, EventQuery query)
{
    try {
        while (!stop.stop_requested()) {
            PreparedPage prepared;
            prepared.page = m_source.read(query);
            const EventPage& page = prepared.page;
            const bool last = page.events.empty() || !page.next;
            if (page.next)
                query.fromPosition = page.next;
            if (!page.events.empty() && m_prepare)
                m_prepare(prepared);
            std::unique_lock lock(m_mutex);
            if (!m_changed.wait(lock, stop, [this] { return m_pages.size() < m_depth; }))
                return;
            if (!prepared.page.events.empty())
                m_pages.push_back(std::move(prepared));
            if (last) {
                m_ended = true;
                m_changed.notify_all();
                return;
            }
            m_changed.notify_all();
        }
    } catch (...) {
        std::lock_guard lock(m_mutex);
        m_error = std::current_exception();
        m_changed.notify_all();
    }
}

PreparedPage PagePrefetcher::next()
{
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [this] { return !m_pages.empty() || m_ended || m_error; });
    if (!m_pages.empty()) {
        PreparedPage page = std::move(m_pages.front());
        m_pages.pop_front();
        m_changed.notify_all();
        return page;
    }
    if (m_error)
        std::rethrow_exception(m_error);
    return {};
}

} // namespace eventscope
