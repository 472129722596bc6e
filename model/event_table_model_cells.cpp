// The cells of the events table: what each row shows, for the model in event_table_model.cpp.

#include "model/event_table_model.h"

#include "storage/time_format.h"

#include <QDateTime>

namespace eventscope {
namespace {

QString localTime(Micros time)
{
    const QDateTime local = QDateTime::fromMSecsSinceEpoch(time / 1000, Qt::LocalTime);
    const int micros = static_cast<int>(((time % 1'000'000) + 1'000'000) % 1'000'000);
    return local.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.")) % QString::number(micros).rightJustified(6, u'0');
}

} // namespace

const Event* EventTableModel::eventAt(int row) const
{
    if (row < m_runFirst || row >= runEnd())
        return nullptr;
    return &m_run[static_cast<std::size_t>(row - m_runFirst)];
}

int EventTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : m_rows;
}

int EventTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.model() != this || index.row() >= m_rows || index.column() >= ColumnCount)
        return {};
    if (role == Qt::TextAlignmentRole && (index.column() == Position || index.column() == Version))
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    const Event* event = eventAt(index.row());
    if (!event) {
        if (role == Qt::DisplayRole)
            requestRow(index.row());
        if (role == IsLoadedRole)
            return false;
        if (role == Qt::DisplayRole && index.column() == Position)
            return QStringLiteral("…");
        return {};
    }
    switch (role) {
    case IsLoadedRole:
        return true;
    case IsNewRole:
        return m_newUntil.contains(keyOf(*event));
    case EventIdRole:
        return QString::fromStdString(event->id);
    case PositionRole:
        return QVariant::fromValue<qlonglong>(event->position);
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
        break;
    default:
        return {};
    }
    switch (index.column()) {
    case Position:
        return QVariant::fromValue<qlonglong>(event->position);
    case Time:
        return m_localTime ? localTime(event->time) : QString::fromStdString(formatTime(event->time));
    case Stream:
        return QString::fromStdString(event->stream);
    case Version:
        return QVariant::fromValue<qlonglong>(event->version);
    case Type:
        return QString::fromStdString(event->type);
    case Actor:
        return QString::fromStdString(event->actor);
    case Correlation:
        return QString::fromStdString(event->correlation);
    default:
        return {};
    }
}

QVariant EventTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Position:
        return tr("Position");
    case Time:
        return m_localTime ? tr("Time (local)") : tr("Time (UTC)");
    case Stream:
        return tr("Stream");
    case Version:
        return tr("Version");
    case Type:
        return tr("Type");
    case Actor:
        return tr("Actor");
    case Correlation:
        return tr("Correlation");
    default:
        return {};
    }
}

} // namespace eventscope
