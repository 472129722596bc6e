#include "model/broken_flows_model.h"

#include "storage/time_format.h"

#include <QLocale>

namespace eventscope {

BrokenFlowsModel::BrokenFlowsModel(QObject* parent)
    : QAbstractTableModel(parent)
    , m_flows(std::make_shared<const std::vector<BrokenFlow>>())
{
}

void BrokenFlowsModel::setFlows(std::vector<BrokenFlow> flows)
{
    beginResetModel();
    m_flows = std::make_shared<const std::vector<BrokenFlow>>(std::move(flows));
    endResetModel();
}

const BrokenFlow* BrokenFlowsModel::flowAt(int row) const
{
    return row >= 0 && std::size_t(row) < m_flows->size() ? &(*m_flows)[std::size_t(row)] : nullptr;
}

QString BrokenFlowsModel::correlationAt(int row) const
{
    const BrokenFlow* flow = flowAt(row);
    return flow ? QString::fromStdString(flow->correlation) : QString();
}

int BrokenFlowsModel::rowOfCorrelation(const QString& correlation) const
{
    const std::string wanted = correlation.toStdString();
    for (std::size_t row = 0; row < m_flows->size(); ++row)
        if ((*m_flows)[row].correlation == wanted)
            return int(row);
    return -1;
}

int BrokenFlowsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_flows->size());
}

int BrokenFlowsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant BrokenFlowsModel::data(const QModelIndex& index, int role) const
{
    const BrokenFlow* flow = index.isValid() ? flowAt(index.row()) : nullptr;
    if (!flow)
        return {};
    switch (role) {
    case CorrelationRole:
        return QString::fromStdString(flow->correlation);
    case FirstOrphanIdRole:
        return QString::fromStdString(flow->firstOrphanId);
    case Qt::TextAlignmentRole:
        return index.column() == Events || index.column() == Orphans ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter))
                                                                     : QVariant();
    case Qt::ToolTipRole:
        if (index.column() == MissingCause || index.column() == Orphans) {
            const QString id = QString::fromStdString(flow->firstOrphanId);
            const QString cause = QString::fromStdString(flow->firstOrphanCause);
            if (flow->orphans == 1)
                return tr("One orphan in this time range: event %1 names %2, which is not in the store").arg(id, cause);
            return tr("%1 orphans in this time range; the earliest, event %2, names %3, which is not in the store")
                .arg(QLocale().toString(qint64(flow->orphans)), id, cause);
        }
        if (index.column() == FirstEvent)
            return tr("The flow's events in this time range run from %1 to %2")
                .arg(QString::fromStdString(formatTime(flow->firstTime)),
                    QString::fromStdString(formatTime(flow->lastTime)));
        return {};
    case Qt::DisplayRole:
    case Qt::EditRole:
        break;
    default:
        return {};
    }
    // Qt::EditRole keeps numbers and times as values, for a proxy to sort by.
    const bool edit = role == Qt::EditRole;
    switch (index.column()) {
    case Correlation:
        return QString::fromStdString(flow->correlation);
    case Events:
        return edit ? QVariant(qint64(flow->events)) : QVariant(QLocale().toString(qint64(flow->events)));
    case Orphans:
        return edit ? QVariant(qint64(flow->orphans)) : QVariant(QLocale().toString(qint64(flow->orphans)));
    case FirstEvent:
        return edit ? QVariant(qint64(flow->firstTime)) : QVariant(QString::fromStdString(formatTime(flow->firstTime)));
    case MissingCause:
        return QString::fromStdString(flow->firstOrphanCause);
    }
    return {};
}

QVariant BrokenFlowsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::TextAlignmentRole)
        return section == Events || section == Orphans ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter)) : QVariant();
    if (role == Qt::ToolTipRole && section == MissingCause)
        return tr("What the earliest orphan's causation names");
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Correlation:
        return tr("Correlation");
    case Events:
        return tr("Events");
    case Orphans:
        return tr("Orphans");
    case FirstEvent:
        return tr("First event");
    case MissingCause:
        return tr("Missing cause");
    }
    return {};
}

} // namespace eventscope
