#pragma once
// The partition states of one projection (DESIGN §5, §9): partition and state (compact JSON), read by a worker
// on its own connection into an immutable snapshot. A search keeps the partitions whose name or JSON text
// contains it (case-insensitive); it runs in a worker over the snapshot already read, so typing never touches
// the store. At most maxRows matching partitions are shown; matchCount() says how many there are.

#include <QAbstractTableModel>
#include <QFutureWatcher>

#include <memory>
#include <string>
#include <vector>

namespace eventscope {

struct PartitionState;

class ProjectionStatesModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    static constexpr int maxRows = 100000;
    enum Column { Partition, State, ColumnCount };
    enum Role {
        PartitionRole = Qt::UserRole + 1, // QString: the partition's name, "" when not partitioned
        StateRole, // QString: the state's JSON text as stored
    };

    explicit ProjectionStatesModel(QObject* parent = nullptr);
    ~ProjectionStatesModel() override;

    // Reads the states of projection `name` kept in the store `targetUri`. An empty name empties the model.
    void load(const QString& targetUri, const QString& name);
    void reload();
    void setSearch(const QString& text);
    QString search() const { return m_search; }
    QString projection() const { return m_name; }

    bool isLoading() const { return m_loadWatcher.isRunning() || m_filterWatcher.isRunning(); }
    QString error() const { return m_error; }
    qint64 totalCount() const; // partitions read
    qint64 matchCount() const { return m_matchCount; } // of them, those the search keeps

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

signals:
    void loaded();
    void loadFailed(const QString& message);

private:
    struct Row
    {
        QString partition;
        QString state; // compact JSON
    };
    using Rows = std::vector<Row>;
    struct Loaded
    {
        std::shared_ptr<const Rows> rows;
        QString error;
        quint64 generation = 0;
    };
    struct Filtered
    {
        std::shared_ptr<const Rows> all; // what was searched
        std::vector<int> rows; // into `all`
        qint64 matches = 0;
        quint64 generation = 0;
    };
    void startLoad();
    void takeLoaded();
    void startFilter();
    void takeFiltered();

    QString m_uri;
    QString m_name;
    QString m_search;
    quint64 m_loadGeneration = 0;
    quint64 m_filterGeneration = 0;
    std::shared_ptr<const Rows> m_all; // the newest read
    std::shared_ptr<const Rows> m_shownFrom; // the read the rows shown index into
    std::vector<int> m_shown;
    qint64 m_matchCount = 0;
    QString m_error;
    QFutureWatcher<Loaded> m_loadWatcher;
    QFutureWatcher<Filtered> m_filterWatcher;
};

} // namespace eventscope
