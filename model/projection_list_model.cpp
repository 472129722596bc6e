#include "model/projection_list_model.h"

#include "storage/error.h"
#include "storage/event_store.h"

#include <QLocale>
#include <QtConcurrent/QtConcurrentRun>

namespace eventscope {

ProjectionListModel::ProjectionListModel(QObject* parent)
    : QAbstractTableModel(parent)
    , m_snapshot(std::make_shared<const Snapshot>())
{
    connect(&m_watcher, &QFutureWatcher<Result>::finished, this, &ProjectionListModel::takeResult);
}

ProjectionListModel::~ProjectionListModel()
{
    m_watcher.waitForFinished();
}

void ProjectionListModel::setStores(const QString& sourceUri, const QString& targetUri)
{
    m_sourceUri = sourceUri;
    m_targetUri = targetUri;
    m_rates.clear();
    if (sourceUri.isEmpty() || targetUri.isEmpty()) {
        ++m_generation; // a load still running for the old stores is dropped
        m_error.clear();
        beginResetModel();
        m_snapshot = std::make_shared<const Snapshot>();
        endResetModel();
        return;
    }
    refresh();
}

void ProjectionListModel::refresh()
{
    if (m_sourceUri.isEmpty() || m_targetUri.isEmpty())
        return;
    ++m_generation;
    start();
}

void ProjectionListModel::start()
{
    if (m_watcher.isRunning())
        return; // takeResult() starts again for the newest request
    m_watcher.setFuture(QtConcurrent::run(
        [source = m_sourceUri.toStdString(), target = m_targetUri.toStdString(), generation = m_generation] {
            Result result;
            result.generation = generation;
            try {
                auto sourceStore = openStore(source);
                std::unique_ptr<EventStore> targetStore;
                if (target != source) {
                    try {
                        targetStore = openStore(target);
                    } catch (const Error& e) {
                        // A workspace nothing has written yet holds no projections.
                        if (e.kind != ErrorKind::Unreachable)
                            throw;
                        result.snapshot = std::make_shared<const Snapshot>();
                        return result;
                    }
                }
                result.snapshot = std::make_shared<const Snapshot>(
                    listProjections(targetStore ? *targetStore : *sourceStore, *sourceStore));
            } catch (const std::exception& e) {
                result.error = QString::fromStdString(e.what());
                if (result.error.isEmpty())
                    result.error = tr("The projections could not be read.");
            }
            return result;
        }));
}

void ProjectionListModel::takeResult()
{
    Result result = m_watcher.result();
    if (result.generation != m_generation) {
        if (!m_sourceUri.isEmpty() && !m_targetUri.isEmpty())
            start();
        return;
    }
    m_error = result.error;
    if (!result.error.isEmpty()) {
        emit loadFailed(result.error);
        return;
    }
    // The same projections in the same order: the rows keep their selection and only their cells change.
    const Snapshot& old = *m_snapshot;
    const Snapshot& fresh = *result.snapshot;
    bool sameRows = old.size() == fresh.size();
    for (std::size_t i = 0; sameRows && i < old.size(); ++i)
        sameRows = old[i].record.name == fresh[i].record.name;
    if (sameRows) {
        m_snapshot = std::move(result.snapshot);
        if (!fresh.empty())
            emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    } else {
        beginResetModel();
        m_snapshot = std::move(result.snapshot);
        endResetModel();
    }
    emit loaded();
}

void ProjectionListModel::setRate(const QString& name, double eventsPerSecond)
{
    if (eventsPerSecond < 0)
        m_rates.remove(name);
    else
        m_rates.insert(name, eventsPerSecond);
    const int row = rowOf(name);
    if (row >= 0)
        emit dataChanged(index(row, Rate), index(row, Rate), { Qt::DisplayRole, Qt::EditRole });
}

void ProjectionListModel::setStatusForeground(const QString& status, const QVariant& brush)
{
    m_statusForeground.insert(status, brush);
    if (rowCount() > 0)
        emit dataChanged(index(0, Status), index(rowCount() - 1, Status), { Qt::ForegroundRole });
}

int ProjectionListModel::rowOf(const QString& name) const
{
    const std::string wanted = name.toStdString();
    for (std::size_t i = 0; i < m_snapshot->size(); ++i)
        if ((*m_snapshot)[i].record.name == wanted)
            return int(i);
    return -1;
}

const ProjectionSummary* ProjectionListModel::summary(int row) const
{
    return row >= 0 && std::size_t(row) < m_snapshot->size() ? &(*m_snapshot)[std::size_t(row)] : nullptr;
}

const ProjectionSummary* ProjectionListModel::summary(const QString& name) const
{
    return summary(rowOf(name));
}

int ProjectionListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_snapshot->size());
}

int ProjectionListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ProjectionListModel::data(const QModelIndex& index, int role) const
{
    const ProjectionSummary* row = index.isValid() ? summary(index.row()) : nullptr;
    if (!row)
        return {};
    const QString name = QString::fromStdString(row->record.name);
    const QString status = QString::fromStdString(row->record.status);
    switch (role) {
    case NameRole:
        return name;
    case StatusRole:
        return status;
    case Qt::TextAlignmentRole:
        return index.column() >= Position ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter)) : QVariant();
    case Qt::ForegroundRole:
        return index.column() == Status ? m_statusForeground.value(status) : QVariant();
    case Qt::ToolTipRole:
        if (index.column() == Status && row->details.fault)
            return QString::fromStdString(row->details.fault->describe());
        if (index.column() == Lag)
            return tr("Head position %1 minus the checkpoint").arg(QLocale().toString(qint64(row->head)));
        return {};
    case Qt::DisplayRole:
    case Qt::EditRole:
        break;
    default:
        return {};
    }
    // The numbers are shown with the locale's thousands separators ("12,345,678"); Qt::EditRole keeps the number
    // itself, for a proxy to sort by and for whoever reads the value rather than the text.
    const auto number
        = [role](qint64 value) { return role == Qt::EditRole ? QVariant(value) : QVariant(QLocale().toString(value)); };
    switch (index.column()) {
    case Name:
        return name;
    case Status:
        return status;
    case Source:
        return QString::fromStdString(row->details.source);
    case Position:
        return number(row->record.position);
    case Lag:
        return number(row->lag);
    case Rate: {
        const auto rate = m_rates.constFind(name);
        if (rate == m_rates.cend())
            return {};
        return role == Qt::EditRole ? QVariant(*rate) : QVariant(QLocale().toString(*rate, 'f', 0));
    }
    case Partitions:
        return number(row->partitions);
    }
    return {};
}

QVariant ProjectionListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::TextAlignmentRole)
        return section >= Position ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter)) : QVariant();
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Name");
    case Status:
        return tr("Status");
    case Source:
        return tr("Source");
    case Position:
        return tr("Position");
    case Lag:
        return tr("Lag");
    case Rate:
        return tr("Events/s");
    case Partitions:
        return tr("Partitions");
    }
    return {};
}

} // namespace eventscope
