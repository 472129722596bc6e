#pragma once
// The projections of a store as the Projections tab lists them (DESIGN §5, §9): name, status, source, position,
// lag, events/s and partitions. A worker reads them on its own connections (listProjections) into an immutable
// snapshot that the model swaps in; refresh() reads again. The events/s of a running projection come from its
// job (setRate), not from the store.

#include "model/projection_admin.h"

#include <QAbstractTableModel>
#include <QFutureWatcher>
#include <QHash>

#include <memory>
#include <vector>

namespace eventscope {

class ProjectionListModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Name, Status, Source, Position, Lag, Rate, Partitions, ColumnCount };
    enum Role {
        NameRole = Qt::UserRole + 1, // QString: the projection's name
        StatusRole, // QString: running, stopped, faulted, rebuilding, ...
    };

    explicit ProjectionListModel(QObject* parent = nullptr);
    ~ProjectionListModel() override;

    // The store the projections read and the store that keeps them (the same URI for a native store). Empty
    // URIs empty the list.
    void setStores(const QString& sourceUri, const QString& targetUri);
    void refresh();
    bool isLoading() const { return m_watcher.isRunning(); }
    QString error() const { return m_error; }

    // Events/s of a running projection; a negative rate (or clearRate) shows the column empty again.
    void setRate(const QString& name, double eventsPerSecond);
    void clearRate(const QString& name) { setRate(name, -1); }
    // Qt::ForegroundRole of the status cells: the view hands in its brushes, this layer knows no palette.
    void setStatusForeground(const QString& status, const QVariant& brush);

    int rowOf(const QString& name) const;
    // The summary of a row as the last snapshot read it; null when out of range.
    const ProjectionSummary* summary(int row) const;
    const ProjectionSummary* summary(const QString& name) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

signals:
    void loaded();
    void loadFailed(const QString& message);

private:
    using Snapshot = std::vector<ProjectionSummary>;
    struct Result
    {
        std::shared_ptr<const Snapshot> snapshot;
        QString error;
        quint64 generation = 0;
    };
    void start();
    void takeResult();

    QString m_sourceUri;
    QString m_targetUri;
    quint64 m_generation = 0;
    bool m_again = false;
    std::shared_ptr<const Snapshot> m_snapshot;
    QHash<QString, double> m_rates;
    QHash<QString, QVariant> m_statusForeground;
    QString m_error;
    QFutureWatcher<Result> m_watcher;
};

} // namespace eventscope
