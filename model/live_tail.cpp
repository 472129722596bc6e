#include "model/live_tail.h"

#include "storage/error.h"

#include <QMetaObject>

namespace eventscope {

namespace {
// Short enough that closing a tab or changing the filter never waits noticeably for the follower to stop.
constexpr std::chrono::milliseconds kWaitSlice { 200 };
constexpr std::size_t kTailPage = 1000;
} // namespace

LiveTail::LiveTail(std::string storeUri, EventQuery query, std::int64_t nextKey, Delivery delivery, QObject* parent)
    : QObject(parent)
    , m_uri(std::move(storeUri))
    , m_query(std::move(query))
    , m_nextKey(nextKey)
    , m_delivery(std::move(delivery))
{
    m_query.backward = false;
    m_query.limit = kTailPage;
    m_thread = std::jthread([this](std::stop_token stop) { follow(std::move(stop)); });
}

LiveTail::~LiveTail()
{
    m_thread.request_stop();
    if (m_thread.joinable())
        m_thread.join();
}

void LiveTail::follow(std::stop_token stop)
{
    try {
        auto store = openStore(m_uri);
        bool changed = true; // read once at start: events may have landed since the owner's last read
        while (!stop.stop_requested()) {
            if (changed) {
                std::vector<Event> arrived;
                for (;;) {
                    EventQuery query = m_query;
                    (query.stream ? query.fromVersion : query.fromPosition) = m_nextKey;
                    EventPage page = store->read(query);
                    if (!page.events.empty())
                        m_nextKey = (query.stream ? page.events.back().version : page.events.back().position) + 1;
                    arrived.insert(arrived.end(), std::make_move_iterator(page.events.begin()),
                        std::make_move_iterator(page.events.end()));
                    if (!page.next || stop.stop_requested())
                        break;
                }
                const std::int64_t head = store->headPosition();
                QMetaObject::invokeMethod(
                    this, [this, events = std::move(arrived), head]() mutable { m_delivery(std::move(events), head); },
                    Qt::QueuedConnection);
            }
            changed = store->waitForChange(kWaitSlice);
        }
    } catch (const Error& e) {
        const QString message = QString::fromStdString(e.what());
        QMetaObject::invokeMethod(
            this, [this, message] { emit failed(message); }, Qt::QueuedConnection);
    }
}

} // namespace eventscope
