#pragma once
// Every event a query matches, as a virtual table that never loads the store. The row count comes from a
// count worker; rows are filled from one window of events read by key around where the view looks. A jump far
// away (the scroll bar dragged, "go to position") estimates the key of the wanted row from the position bounds
// and reads from there; rows next to the window are read by key from its edges, so neighbouring rows are exact
// even where the estimate is not. data() never touches the database: rows not read yet show a placeholder
// and ask for a read.
//
// Three workers own their own connections: pages, counts, and the live tail (model/live_tail.h).

#include "model/query_canceller.h"
#include "storage/event_store.h"

#include <QAbstractTableModel>
#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QTimer>

#include <deque>
#include <memory>
#include <unordered_map>

namespace eventscope {

class LiveTail;

class EventTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Position, Time, Stream, Version, Type, Actor, Correlation, ColumnCount };
    enum Role {
        IsLoadedRole = Qt::UserRole + 1, // false for a row whose event is still being read
        IsNewRole, // true for a few seconds after the live tail brought the event
        EventIdRole,
        PositionRole,
    };

    // `storeUri` is opened again by each worker, so the model never shares the caller's connection.
    explicit EventTableModel(std::string storeUri, QObject* parent = nullptr);
    ~EventTableModel() override;

    // Resets to the events `query` matches, in its order (backward: newest first). Paging keys are ignored.
    void setQuery(const EventQuery& query);
    const EventQuery& query() const { return m_query; }
    // Times in UTC (the default) or in the local zone.
    void setLocalTime(bool local);
    bool isLocalTime() const { return m_localTime; }

    // The event of a row, or null while it is being read.
    const Event* eventAt(int row) const;
    // Loads the rows around the event at (or after, in the view's order) a position or a time, then emits
    // located() with its row; notFound() when nothing matches from there on.
    void goToPosition(std::int64_t position);
    void goToTime(Micros time);

    // The live tail: while on, events appended to the store that match the query appear as new rows.
    void setLive(bool live);
    bool isLive() const { return m_tail != nullptr; }

    // Stops a count that takes too long (a filter over a huge store); countCancelled() follows.
    void cancelCount();
    bool isCounting() const { return m_counting; }
    bool isLoading() const { return m_reading || m_counting; }
    bool isCounted() const { return m_counted; }
    std::int64_t matchCount() const { return m_count.count; }
    bool isCountExact() const { return m_count.exact; }
    // The store's head position when last counted or tailed.
    std::int64_t headPosition() const { return m_head; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

signals:
    void loadFailed(const QString& message);
    void pageLoaded();
    void counted(qint64 count);
    void countCancelled();
    void located(int row);
    void notFound(const QString& message);
    void liveEventsArrived(int count);
    void headChanged(qint64 head);

private:
    enum class Read { First, After, Before, Jump };
    struct PageJob
    {
        Read kind = Read::First;
        std::optional<std::int64_t> key;
        int anchorRow = 0; // Jump: the row the first event read lands on
        std::optional<std::int64_t> locate; // position to report with located() once read
        std::optional<Micros> locateTime; // goToTime: find the key first
        quint64 generation = 0;
    };
    struct PageResult
    {
        PageJob job;
        EventPage page;
        QString error;
        std::shared_ptr<EventStore> store; // the worker's connection, handed back for the next read
    };
    struct CountResult
    {
        EventCount count;
        std::int64_t head = 0;
        QString error;
        bool cancelled = false;
        quint64 generation = 0;
    };

    void startRead(PageJob job);
    void takePage();
    void takeCount();
    void placeRun(const PageResult& result);
    void requestRow(int row) const;
    void serveWantedRow();
    void takeLiveEvents(std::vector<Event> events, std::int64_t head, quint64 generation);
    void expireNewRows();
    std::int64_t keyOf(const Event& event) const;
    std::int64_t estimatedKey(int row) const;
    int estimatedRow(std::int64_t key) const;
    void resetRows(int rows);
    int runEnd() const { return m_runFirst + static_cast<int>(m_run.size()); }
    void trimRun(bool keepBack);

    std::string m_uri;
    std::shared_ptr<EventStore> m_pageStore; // used by one page worker at a time
    EventQuery m_query;
    quint64 m_generation = 0;
    bool m_localTime = false;

    int m_rows = 0;
    bool m_counted = false;
    EventCount m_count;
    std::int64_t m_firstKey = 0; // in the view's order: the key of row 0 and of the last row
    std::int64_t m_lastKey = 0;
    std::int64_t m_head = 0;
    bool m_atEnd = false; // before the count: no more rows after the window

    int m_runFirst = 0; // the row of m_run.front()
    std::deque<Event> m_run;
    std::optional<PageJob> m_pendingJob; // waits for the running read; newer wishes replace it
    bool m_liveWanted = false;
    mutable std::optional<int> m_wantedRow;
    mutable bool m_wantScheduled = false;

    // A watcher stops "running" before its finished() is delivered; starting another read in between would lose
    // that result, so the model keeps its own flag until takePage() has run.
    bool m_reading = false;
    bool m_counting = false;
    QFutureWatcher<PageResult> m_pageWatcher;
    QFutureWatcher<CountResult> m_countWatcher;
    std::shared_ptr<QueryCanceller> m_countCanceller;
    std::unique_ptr<LiveTail> m_tail;
    std::unordered_map<std::int64_t, qint64> m_newUntil; // key -> when its highlight ends (ms of m_clock)
    QElapsedTimer m_clock;
    QTimer m_expiry;
};

} // namespace eventscope
