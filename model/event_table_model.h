#pragma once
// All events of a store as a table, paged by key: the first page loads when a query is set, and each
// further page when the view scrolls near the end (fetchMore). Pages are read by a worker on its own
// connection and appended with beginInsertRows; data() never touches the database.

#include "storage/event_store.h"

#include <QAbstractTableModel>
#include <QFutureWatcher>

#include <memory>
#include <vector>

namespace eventscope {

class EventTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Position, Time, Stream, Version, Type, Actor, Correlation, ColumnCount };

    // `storeUri` is opened again by the worker, so the model never shares the caller's connection.
    explicit EventTableModel(std::string storeUri, QObject* parent = nullptr);
    ~EventTableModel() override;

    void setQuery(const EventQuery& query);
    const Event* eventAt(int row) const;
    bool isLoading() const { return m_watcher.isRunning(); }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

signals:
    void loadFailed(const QString& message);
    void pageLoaded();

private:
    struct PageResult
    {
        EventPage page;
        QString error;
        quint64 generation = 0;
        std::shared_ptr<EventStore> store; // the worker's connection, handed back for the next page
    };
    void startFetch(std::optional<std::int64_t> from);
    void takePage();

    std::string m_uri;
    std::shared_ptr<EventStore> m_store; // used by one worker at a time
    EventQuery m_query;
    std::vector<Event> m_events;
    std::optional<std::int64_t> m_next;
    bool m_atEnd = true;
    quint64 m_generation = 0;
    QFutureWatcher<PageResult> m_watcher;
};

} // namespace eventscope
