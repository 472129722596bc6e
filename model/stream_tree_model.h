#pragma once
// The stream navigator's model (DESIGN §9): categories, each with its streams' event counts and last times,
// loaded lazily so a store of a million streams opens at once. Categories arrive in pages at the root and a
// category's streams in pages of 500 when it is expanded, read by one worker at a time on the model's own
// connection; data() never touches the database.
//
// With a filter the model is a flat list of matching streams (a stream's name already says its category).
// A filter matches the start of a name, as if it ended with '*'; '*' inside it matches anything. The text
// before the first '*' narrows the store's name index and is case-sensitive; the rest is matched in the
// worker, ASCII letters case-insensitively, a bounded number of names per step, so the window never waits.

#include "storage/event_store.h"

#include <QAbstractItemModel>
#include <QFutureWatcher>

#include <atomic>
#include <deque>
#include <memory>
#include <optional>
#include <vector>

namespace eventscope {

class StreamTreeModel : public QAbstractItemModel
{
    Q_OBJECT

public:
    // A category shows its stream count under LastEvent: it has no last time, and Events would mislead.
    enum Column { Name, Events, LastEvent, ColumnCount };
    enum Role {
        StreamNameRole = Qt::UserRole + 1, // the stream's name; empty on a category
        CategoryRole, // the category of a stream, or the category itself
        IsCategoryRole, // bool
        EventCountRole, // qlonglong, streams only
        LastTimeRole, // qlonglong Micros, streams only
    };

    // Rows per page of streams, and at most this many names examined per step of a wildcard filter.
    static constexpr int pageSize = 500;
    static constexpr int scanStep = 50000;

    explicit StreamTreeModel(QObject* parent = nullptr);
    ~StreamTreeModel() override;

    // Opens `uri` again in the worker, so the model never shares the caller's connection. Loads the first page.
    void setStore(std::string uri);
    // Forgets what was loaded and reads the first page again (the filter stays).
    void refresh();
    // An empty pattern shows the tree of categories. A new pattern supersedes a search still running.
    void setFilter(const QString& pattern);
    QString filter() const { return m_filter; }
    bool isFiltered() const { return !m_filter.isEmpty(); }
    bool isLoading() const { return m_working || !m_queue.empty(); }
    // Whether every top-level row (category, or match of the filter) has been loaded.
    bool isComplete() const { return (isFiltered() ? m_matchesCursor : m_categoriesCursor).atEnd; }
    // Names a wildcard filter has examined so far, for a progress line.
    qint64 scannedNames() const { return m_scanned; }

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    bool hasChildren(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

signals:
    void loading(bool busy);
    void loadFailed(const QString& message);
    // A page (or a step of a wildcard search) has been taken in, whether or not it added rows.
    void pageLoaded();

private:
    struct StreamRow
    {
        QString name;
        QString category;
        qint64 count = 0;
        Micros lastTime = 0;
    };
    // Where a list stands in its paging: the categories, a category's streams, or the filter's matches.
    struct Cursor
    {
        std::optional<std::string> after; // the last name loaded
        bool atEnd = true;
        bool pending = false; // a request for it is queued or running
    };
    struct CategoryNode
    {
        QString name;
        qint64 streamCount = 0;
        std::vector<StreamRow> streams;
        Cursor cursor;
    };
    enum class Job { Categories, Streams, Filter };
    struct Request
    {
        Job job = Job::Categories;
        int categoryRow = -1;
        std::string category;
        std::optional<std::string> after;
        int wanted = pageSize; // filter: matches still wanted for the page the view asked for
    };
    struct Result
    {
        quint64 generation = 0;
        std::vector<CategoryNode> categories;
        std::vector<StreamRow> streams;
        std::optional<std::string> after; // the key to ask for the next page with
        bool atEnd = true;
        qint64 scanned = 0;
        QString error;
        std::string uri; // the store the connection below belongs to
        std::shared_ptr<EventStore> store; // the worker's connection, handed back for the next job
    };

    static void read(EventStore& store, const Request& request, const std::string& filter,
        const std::atomic_bool& cancel, Result& result);
    void reset();
    void enqueue(Request request);
    void startNext();
    void takeResult();
    Cursor& cursorOf(const Request& request);
    const Cursor* cursorAt(const QModelIndex& parent) const;
    template <typename Row> void appendRows(const QModelIndex& parent, std::vector<Row>& rows, std::vector<Row>& more);
    const StreamRow* streamAt(const QModelIndex& index) const;
    void setBusy(bool busy);

    std::string m_uri;
    std::shared_ptr<EventStore> m_store; // used by one worker at a time
    QString m_filter;
    quint64 m_generation = 0;

    std::vector<CategoryNode> m_categories;
    Cursor m_categoriesCursor;
    std::vector<StreamRow> m_matches;
    Cursor m_matchesCursor;
    qint64 m_scanned = 0;

    std::deque<Request> m_queue;
    Request m_running;
    // Set from start to takeResult(), not read from the watcher: a future that has finished but whose finished
    // signal is still queued is no longer running, and a new setFuture() then would drop that signal.
    bool m_working = false;
    std::shared_ptr<std::atomic_bool> m_cancel;
    bool m_busy = false;
    QFutureWatcher<Result> m_watcher;
};

} // namespace eventscope
