#pragma once
// The partition states of one projection (DESIGN §5, §9, §10): partition and state (compact JSON, in the script's
// member order). A foreachStream projection may have a million partitions, so nothing reads them all: a worker
// reads the count and the first page, and each fetchMore() (a view scrolled to the end) reads the next page by
// key. A search walks the pages in a worker and appends the partitions whose name or JSON text contains the text
// (case-insensitive) as it finds them, up to maxMatches. One worker at a time, on a connection of the model's own;
// a new load or search cancels the one running and drops whatever it still delivers.

#include <QAbstractTableModel>
#include <QFutureWatcher>
#include <QPromise>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace eventscope {

class ProjectionStatesModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    static constexpr int pageSize = 1000;
    static constexpr int maxMatches = 10000;
    enum Column { Partition, State, ColumnCount };
    enum Role {
        PartitionRole = Qt::UserRole + 1, // QString: the partition's name, "" when not partitioned
        StateRole, // QString: the state's JSON text, compact
    };

    explicit ProjectionStatesModel(QObject* parent = nullptr);
    ~ProjectionStatesModel() override;

    // Reads the states of projection `name` kept in the store `targetUri`: the rows of another projection go at
    // once, those of the same one stay until the new ones arrive. An empty name empties the model.
    void load(const QString& targetUri, const QString& name);
    // Reads again from the first page (or searches again); the rows shown stay until the new ones arrive.
    void reload();
    // The rows of the last search (or of no search) go at once: none is ever taken for a match of this one.
    void setSearch(const QString& text);
    QString search() const { return m_search; }
    QString projection() const { return m_name; }

    bool isLoading() const { return m_running; }
    bool isSearching() const { return m_running && !m_search.isEmpty(); }
    QString error() const { return m_error; }
    qint64 totalCount() const { return m_count; } // the projection's partitions; -1 until read
    qint64 matchCount() const { return qint64(m_rows.size()); } // rows shown: those the search found so far
    qint64 scannedCount() const { return m_scanned; } // partitions the search has looked at
    bool matchLimitReached() const { return m_limitReached; } // the search stopped at maxMatches

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

signals:
    // The read or search asked for last has ended: a page arrived, or the search is done.
    void loaded();
    void loadFailed(const QString& message);
    // The count, the rows found or the partitions scanned changed, or a search started or ended.
    void statusChanged();

private:
    struct Row
    {
        QString partition;
        QString state; // compact JSON
    };
    // What a worker hands over: a page, or the matches of a stretch of pages.
    struct Batch
    {
        quint64 generation = 0;
        bool first = false; // the generation's first batch: it replaces the rows shown
        std::vector<Row> rows;
        std::optional<std::string> last; // the key to read the next page after
        qint64 count = -1; // the projection's partitions, in the first batch
        qint64 scanned = 0; // partitions searched so far
        bool more = false; // another page may follow (browsing only)
        bool limitReached = false;
        QString error;
    };
    struct Job
    {
        quint64 generation = 0;
        std::string uri;
        std::string name;
        QString search;
        std::optional<std::string> after; // empty: from the first partition, with the count
    };
    struct Connection;

    static void read(QPromise<Batch>& promise, const Job& job, Connection& connection);
    void restart(bool sameRows);
    void launch(const std::optional<std::string>& after);
    void takeBatches(int begin, int end);
    void takeBatch(Batch batch);
    void jobFinished();

    QString m_uri;
    QString m_name;
    QString m_search;
    quint64 m_generation = 0;
    quint64 m_runningGeneration = 0;
    bool m_running = false;
    bool m_queued = false; // a read for the newest generation waits for the running one to end
    std::vector<Row> m_rows;
    std::optional<std::string> m_after; // the last partition read, for the next page
    bool m_more = false;
    qint64 m_count = -1;
    qint64 m_scanned = 0;
    bool m_limitReached = false;
    QString m_error;
    std::shared_ptr<Connection> m_connection;
    QFutureWatcher<Batch> m_watcher;
};

} // namespace eventscope
