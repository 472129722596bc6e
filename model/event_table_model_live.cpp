// The live tail of the events table (model/live_tail.h): new events become new rows, highlighted for a while.

#include "model/event_table_model.h"

#include "model/live_tail.h"

namespace eventscope {
namespace {

constexpr qint64 kHighlightMs = 4000;

} // namespace

void EventTableModel::setLive(bool live)
{
    m_liveWanted = live;
    if (!live) {
        m_tail.reset();
        return;
    }
    if (m_tail || !m_counted)
        return; // takeCount() starts the tail once the bounds are known
    const std::int64_t highest = std::max(m_firstKey, m_lastKey);
    const quint64 generation = m_generation;
    m_tail = std::make_unique<LiveTail>(
        m_uri, m_query, highest + 1, [this, generation](std::vector<Event> events, std::int64_t head) {
            takeLiveEvents(std::move(events), head, generation);
        });
    connect(m_tail.get(), &LiveTail::failed, this, &EventTableModel::loadFailed);
}

void EventTableModel::takeLiveEvents(std::vector<Event> events, std::int64_t head, quint64 generation)
{
    if (generation != m_generation)
        return;
    if (head != m_head) {
        m_head = head;
        emit headChanged(head);
    }
    const std::int64_t highest = std::max(m_firstKey, m_lastKey);
    std::erase_if(events, [&](const Event& e) { return keyOf(e) <= highest; });
    if (events.empty())
        return;
    const int count = static_cast<int>(events.size());
    const qint64 until = m_clock.elapsed() + kHighlightMs;
    for (const Event& e : events)
        m_newUntil[keyOf(e)] = until;
    m_expiry.start();
    const std::int64_t newest = keyOf(events.back());
    if (!m_query.backward) {
        const bool windowAtEnd = runEnd() == m_rows && (m_run.empty() || keyOf(m_run.back()) == highest);
        beginInsertRows({}, m_rows, m_rows + count - 1);
        m_rows += count;
        if (windowAtEnd)
            m_run.insert(m_run.end(), std::make_move_iterator(events.begin()), std::make_move_iterator(events.end()));
        endInsertRows();
        trimRun(true);
        m_lastKey = newest;
        if (m_count.count == 0)
            m_firstKey = keyOf(m_run.empty() ? events.front() : m_run.front());
    } else {
        const bool windowAtStart = m_runFirst == 0 && (m_run.empty() || keyOf(m_run.front()) == highest);
        beginInsertRows({}, 0, count - 1);
        m_rows += count;
        if (windowAtStart) {
            for (auto& e : events)
                m_run.push_front(std::move(e));
        } else {
            m_runFirst += count;
        }
        endInsertRows();
        trimRun(false);
        m_firstKey = newest;
        if (m_count.count == 0)
            m_lastKey = keyOf(m_run.empty() ? events.front() : m_run.back());
    }
    m_count.count += count;
    emit liveEventsArrived(count);
}

void EventTableModel::expireNewRows()
{
    const qint64 now = m_clock.elapsed();
    const bool any = std::erase_if(m_newUntil, [now](const auto& entry) { return entry.second <= now; }) > 0;
    if (m_newUntil.empty())
        m_expiry.stop();
    if (any && m_rows > 0)
        emit dataChanged(index(0, 0), index(m_rows - 1, ColumnCount - 1), { IsNewRole });
}

} // namespace eventscope
