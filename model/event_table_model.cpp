#include "model/event_table_model.h"

#include "model/live_tail.h"
#include "storage/error.h"
#include "storage/time_format.h"

#include <QDateTime>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <climits>

namespace eventscope {
namespace {

constexpr int kPage = 256;
// Rows kept around the view: a few screens either way, so scrolling back a little reads nothing.
constexpr std::size_t kMaxRun = 4096;

} // namespace

EventTableModel::EventTableModel(std::string storeUri, QObject* parent)
    : QAbstractTableModel(parent)
    , m_uri(std::move(storeUri))
{
    connect(&m_pageWatcher, &QFutureWatcher<PageResult>::finished, this, &EventTableModel::takePage);
    connect(&m_countWatcher, &QFutureWatcher<CountResult>::finished, this, &EventTableModel::takeCount);
    m_clock.start();
    m_expiry.setInterval(500);
    connect(&m_expiry, &QTimer::timeout, this, &EventTableModel::expireNewRows);
}

EventTableModel::~EventTableModel()
{
    m_tail.reset();
    if (m_countCanceller)
        m_countCanceller->cancel(); // closing must not wait for a long count
    m_pageWatcher.waitForFinished();
    m_countWatcher.waitForFinished();
}

std::int64_t EventTableModel::keyOf(const Event& event) const
{
    return m_query.stream ? event.version : event.position;
}

void EventTableModel::setQuery(const EventQuery& query)
{
    const bool live = m_tail != nullptr;
    m_tail.reset();
    beginResetModel();
    m_query = query;
    m_query.fromPosition.reset();
    m_query.fromVersion.reset();
    m_query.limit = kPage;
    m_run.clear();
    m_runFirst = 0;
    m_rows = 0;
    m_counted = false;
    m_count = {};
    m_firstKey = m_lastKey = 0;
    m_atEnd = false;
    m_wantedRow.reset();
    m_pendingJob.reset();
    m_newUntil.clear();
    m_liveWanted = live || m_liveWanted;
    ++m_generation;
    endResetModel();

    startRead({ Read::First, std::nullopt, 0, std::nullopt, std::nullopt, m_generation });
    if (m_countCanceller)
        m_countCanceller->cancel(); // the old count's answer is no longer wanted: free its connection
    m_countCanceller = std::make_shared<QueryCanceller>();
    m_counting = true;
    m_countWatcher.setFuture(
        QtConcurrent::run([uri = m_uri, query = m_query, generation = m_generation, canceller = m_countCanceller] {
            CountResult result;
            result.generation = generation;
            try {
                auto store = openStore(uri);
                const AttachedQuery attached(*canceller, store.get());
                result.head = store->headPosition();
                result.count = store->countEvents(query);
                if (query.stream && result.count.count > 0) {
                    // One stream is keyed by version: its bounds are its first and last events.
                    EventQuery edge = query;
                    edge.limit = 1;
                    edge.backward = false;
                    result.count.firstPosition = store->read(edge).events.at(0).version;
                    edge.backward = true;
                    result.count.lastPosition = store->read(edge).events.at(0).version;
                }
            } catch (const Error& e) {
                result.error = QString::fromStdString(e.what());
                result.cancelled = e.kind == ErrorKind::Cancelled;
            }
            return result;
        }));
}

void EventTableModel::cancelCount()
{
    if (m_counting && m_countCanceller)
        m_countCanceller->cancel();
}

void EventTableModel::setLocalTime(bool local)
{
    if (local == m_localTime)
        return;
    m_localTime = local;
    emit headerDataChanged(Qt::Horizontal, Time, Time);
    if (m_rows > 0)
        emit dataChanged(index(0, Time), index(m_rows - 1, Time));
}

void EventTableModel::startRead(PageJob job)
{
    // A jump places rows by the count's bounds, so it waits for them.
    if (m_reading || (job.kind == Read::Jump && !m_counted)) {
        m_pendingJob = job; // the newest wish wins; it runs when the current read (or the count) ends
        return;
    }
    m_reading = true;
    m_pageWatcher.setFuture(QtConcurrent::run([uri = m_uri, store = m_pageStore, query = m_query, job]() mutable {
        PageResult result;
        result.job = job;
        try {
            if (!store)
                store = openStore(uri);
            EventQuery read = query;
            auto& from = query.stream ? read.fromVersion : read.fromPosition;
            if (job.locateTime) {
                // The first event at or after the time, in the view's order (at or before it when newest first).
                EventQuery probe = query;
                probe.limit = 1;
                if (query.backward)
                    probe.until = std::min(query.until.value_or(*job.locateTime), *job.locateTime);
                else
                    probe.since = std::max(query.since.value_or(*job.locateTime), *job.locateTime);
                const EventPage found = store->read(probe);
                if (found.events.empty()) {
                    result.job.locate.reset();
                } else {
                    const Event& e = found.events.front();
                    result.job.key = query.stream ? e.version : e.position;
                    result.job.locate = result.job.key;
                }
            }
            if (job.kind == Read::Before)
                read.backward = !read.backward;
            if (result.job.kind != Read::First)
                from = result.job.key;
            if (!job.locateTime || result.job.locate)
                result.page = store->read(read);
            result.store = std::move(store);
        } catch (const Error& e) {
            result.error = QString::fromStdString(e.what());
        }
        return result;
    }));
}

void EventTableModel::takePage()
{
    PageResult result = m_pageWatcher.result();
    m_reading = false;
    if (result.store)
        m_pageStore = std::move(result.store);
    if (result.job.generation == m_generation) {
        if (!result.error.isEmpty())
            emit loadFailed(result.error);
        else
            placeRun(result);
    }
    if (m_pendingJob) {
        PageJob next = *m_pendingJob;
        m_pendingJob.reset();
        if (next.generation == m_generation) {
            startRead(next);
            return;
        }
    }
    serveWantedRow();
}

void EventTableModel::takeCount()
{
    const CountResult result = m_countWatcher.result();
    if (result.generation != m_generation)
        return;
    m_counting = false;
    if (result.cancelled) {
        // Without the count the table still grows page by page as the view scrolls; only jumps need it.
        if (m_pendingJob && m_pendingJob->kind == Read::Jump)
            m_pendingJob.reset();
        emit countCancelled();
        return;
    }
    if (!result.error.isEmpty()) {
        emit loadFailed(result.error);
        return;
    }
    m_count = result.count;
    m_head = result.head;
    m_counted = true;
    m_firstKey = m_query.backward ? m_count.lastPosition : m_count.firstPosition;
    m_lastKey = m_query.backward ? m_count.firstPosition : m_count.lastPosition;
    const int rows = std::max(static_cast<int>(std::min<std::int64_t>(m_count.count, INT_MAX - 1)), runEnd());
    if (rows > m_rows) {
        beginInsertRows({}, m_rows, rows - 1);
        m_rows = rows;
        endInsertRows();
    }
    emit counted(m_count.count);
    emit headChanged(m_head);
    if (m_liveWanted)
        setLive(true);
    if (m_pendingJob && !m_reading) {
        const PageJob next = *m_pendingJob;
        m_pendingJob.reset();
        startRead(next);
        return;
    }
    serveWantedRow();
}

void EventTableModel::resetRows(int rows)
{
    rows = std::max(rows, 0);
    if (rows > m_rows) {
        beginInsertRows({}, m_rows, rows - 1);
        m_rows = rows;
        endInsertRows();
    } else if (rows < m_rows) {
        beginRemoveRows({}, rows, m_rows - 1);
        m_rows = rows;
        endRemoveRows();
    }
}

void EventTableModel::placeRun(const PageResult& result)
{
    const PageJob& job = result.job;
    std::vector<Event> events = result.page.events;
    const int step = m_query.backward ? -1 : 1;
    const bool more = result.page.next.has_value();
    const int oldFirst = m_runFirst;
    const int oldEnd = runEnd();
    switch (job.kind) {
    case Read::First:
        m_run.assign(events.begin(), events.end());
        m_runFirst = 0;
        m_atEnd = !more;
        if (m_counted && !more)
            resetRows(static_cast<int>(m_run.size())); // everything fits in the first page: the count is exact
        else if (runEnd() > m_rows)
            resetRows(runEnd());
        break;
    case Read::After:
        if (m_run.empty() || job.key != keyOf(m_run.back()) + step)
            return; // the window moved while this page was read
        m_run.insert(m_run.end(), events.begin(), events.end());
        m_atEnd = !more;
        if (!m_counted || runEnd() > m_rows)
            resetRows(runEnd());
        else if (!more && runEnd() < m_rows)
            m_runFirst = m_rows - static_cast<int>(m_run.size()); // reached the true end: pin the window to it
        trimRun(true);
        break;
    case Read::Before:
        if (m_run.empty() || job.key != keyOf(m_run.front()) - step)
            return;
        for (auto& event : events)
            m_run.push_front(std::move(event));
        m_runFirst -= static_cast<int>(events.size());
        if (!more || m_runFirst < 0)
            m_runFirst = 0; // reached the true start, or the estimate was short of it
        if (runEnd() > m_rows)
            resetRows(runEnd());
        trimRun(false);
        break;
    case Read::Jump: {
        if (events.empty()) {
            if (job.locate || job.locateTime) {
                emit notFound(tr("No event matches from there on."));
                return;
            }
            if (m_counted && m_rows > 0 && job.key != m_lastKey) // the estimate overshot: read the end instead
                startRead({ Read::Jump, m_lastKey, m_rows - 1, std::nullopt, std::nullopt, m_generation });
            return;
        }
        int anchor = job.anchorRow;
        if (job.locate)
            anchor = estimatedRow(*job.locate);
        m_run.assign(events.begin(), events.end());
        m_runFirst = anchor;
        if (!more)
            m_runFirst = std::max(0, m_rows - static_cast<int>(m_run.size()));
        if (runEnd() > m_rows)
            resetRows(runEnd());
        break;
    }
    }
    // The rows that changed: those the window left (now placeholders) and those it holds now.
    const int changedFirst = std::min(oldFirst, m_runFirst);
    const int changedLast = std::min(std::max(oldEnd, runEnd()), m_rows) - 1;
    if (changedFirst <= changedLast)
        emit dataChanged(index(changedFirst, 0), index(changedLast, ColumnCount - 1));
    if (job.locate) {
        for (std::size_t i = 0; i < m_run.size(); ++i) {
            const std::int64_t key = keyOf(m_run[i]);
            if (m_query.backward ? key <= *job.locate : key >= *job.locate) {
                emit located(m_runFirst + static_cast<int>(i));
                break;
            }
        }
    }
    emit pageLoaded();
}

void EventTableModel::trimRun(bool keepBack)
{
    while (m_run.size() > kMaxRun) {
        if (keepBack) {
            m_run.pop_front();
            ++m_runFirst;
        } else {
            m_run.pop_back();
        }
    }
}

std::int64_t EventTableModel::estimatedKey(int row) const
{
    if (m_rows <= 1)
        return m_firstKey;
    const long double share = static_cast<long double>(row) / (m_rows - 1);
    return m_firstKey + static_cast<std::int64_t>(share * static_cast<long double>(m_lastKey - m_firstKey));
}

int EventTableModel::estimatedRow(std::int64_t key) const
{
    if (m_lastKey == m_firstKey || m_rows <= 1)
        return 0;
    const long double share
        = static_cast<long double>(key - m_firstKey) / static_cast<long double>(m_lastKey - m_firstKey);
    return std::clamp(static_cast<int>(share * (m_rows - 1)), 0, m_rows - 1);
}

void EventTableModel::requestRow(int row) const
{
    m_wantedRow = row;
    if (m_wantScheduled)
        return;
    m_wantScheduled = true;
    // data() is const and may be called while the view paints: the read starts from the event loop.
    QMetaObject::invokeMethod(
        const_cast<EventTableModel*>(this), [this] { const_cast<EventTableModel*>(this)->serveWantedRow(); },
        Qt::QueuedConnection);
}

void EventTableModel::serveWantedRow()
{
    m_wantScheduled = false;
    if (!m_wantedRow || m_reading)
        return; // takePage() comes back here
    const int row = *m_wantedRow;
    m_wantedRow.reset();
    if ((row >= m_runFirst && row < runEnd()) || row >= m_rows || m_run.empty())
        return;
    const int step = m_query.backward ? -1 : 1;
    const PageJob base { Read::After, std::nullopt, 0, std::nullopt, std::nullopt, m_generation };
    if (row >= runEnd() && (row < runEnd() + 2 * kPage || !m_counted)) {
        if (keyOf(m_run.back()) != m_lastKey && !m_atEnd) {
            PageJob job = base;
            job.key = keyOf(m_run.back()) + step;
            startRead(job);
        }
        return;
    }
    if (!m_counted)
        return;
    if (row < m_runFirst && row >= m_runFirst - 2 * kPage) {
        if (keyOf(m_run.front()) != m_firstKey) {
            PageJob job = base;
            job.kind = Read::Before;
            job.key = keyOf(m_run.front()) - step;
            startRead(job);
        }
        return;
    }
    PageJob job = base;
    job.kind = Read::Jump;
    job.anchorRow = std::max(0, row - kPage / 4);
    job.key = estimatedKey(job.anchorRow);
    startRead(job);
}

void EventTableModel::goToPosition(std::int64_t position)
{
    for (std::size_t i = 0; i < m_run.size(); ++i) {
        const std::int64_t key = keyOf(m_run[i]);
        if (m_query.backward ? key <= position : key >= position) {
            if (key == position || i > 0 || m_runFirst == 0) {
                emit located(m_runFirst + static_cast<int>(i));
                return;
            }
            break;
        }
    }
    startRead({ Read::Jump, position, 0, position, std::nullopt, m_generation });
}

void EventTableModel::goToTime(Micros time)
{
    startRead({ Read::Jump, std::nullopt, 0, std::nullopt, time, m_generation });
}

bool EventTableModel::canFetchMore(const QModelIndex& parent) const
{
    // Until the count is known the table grows page by page, as a plain keyset-paged list would.
    return !parent.isValid() && !m_counted && !m_atEnd && !m_run.empty() && !m_reading;
}

void EventTableModel::fetchMore(const QModelIndex& parent)
{
    if (!canFetchMore(parent))
        return;
    PageJob job { Read::After, keyOf(m_run.back()) + (m_query.backward ? -1 : 1), 0, std::nullopt, std::nullopt,
        m_generation };
    startRead(job);
}

} // namespace eventscope
