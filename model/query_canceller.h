#pragma once
// Lets the UI thread cancel what a worker's connection is running: the worker attaches its store while it
// works, and cancel() interrupts it (EventStore::interrupt), or makes attach() refuse when it comes first.

#include "storage/error.h"
#include "storage/event_store.h"

#include <mutex>

namespace eventscope {

class QueryCanceller
{
public:
    void attach(EventStore* store)
    {
        const std::lock_guard lock(m_mutex);
        if (m_cancelled)
            fail(ErrorKind::Cancelled, "the query was cancelled");
        m_store = store;
    }
    void detach()
    {
        const std::lock_guard lock(m_mutex);
        m_store = nullptr;
    }
    void cancel()
    {
        const std::lock_guard lock(m_mutex);
        m_cancelled = true;
        if (m_store)
            m_store->interrupt();
    }

private:
    std::mutex m_mutex;
    EventStore* m_store = nullptr;
    bool m_cancelled = false;
};

// Detaches when the worker's scope ends, before its store is closed.
class AttachedQuery
{
public:
    AttachedQuery(QueryCanceller& canceller, EventStore* store)
        : m_canceller(canceller)
    {
        m_canceller.attach(store);
    }
    ~AttachedQuery() { m_canceller.detach(); }
    AttachedQuery(const AttachedQuery&) = delete;
    AttachedQuery& operator=(const AttachedQuery&) = delete;

private:
    QueryCanceller& m_canceller;
};

} // namespace eventscope
