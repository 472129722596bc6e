#include "model/flow_table_model.h"

#include "model/flow_exports.h"
#include "storage/time_format.h"

using namespace Qt::Literals::StringLiterals;

namespace eventscope {

namespace {

QString text(const std::string& utf8)
{
    return QString::fromStdString(utf8);
}

QString eventLabel(const Event& event)
{
    return text(event.type) + u" \u00b7 "_s + text(event.stream) + u" v"_s + QString::number(event.version);
}

} // namespace

FlowTableModel::FlowTableModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void FlowTableModel::setResult(std::shared_ptr<const FlowResult> result)
{
    beginResetModel();
    m_result = std::move(result);
    m_rows.clear();
    if (m_result) {
        const FlowGraph& graph = m_result->graph;
        m_rows.resize(graph.events.size());
        for (const FlowEdge& edge : graph.edges) {
            Row& row = m_rows[edge.toIndex];
            row.cause = Cause::InFlow;
            row.causeRow = int(edge.fromIndex);
            row.gap = edge.gapMicros;
        }
        // The graph does not keep what an unjoined causation names; the event's metadata still says.
        const auto mark = [&](const std::vector<std::size_t>& indexes, Cause cause) {
            for (const std::size_t index : indexes) {
                Row& row = m_rows[index];
                row.cause = cause;
                if (const auto reference = causeReferenceOf(graph.events[index]))
                    row.reference = text(reference->describe());
            }
        };
        mark(graph.orphans, Cause::Missing);
        mark(graph.externalCauses, Cause::Elsewhere);
        mark(graph.cycles, Cause::ClosesLoop);
        for (const std::size_t index : graph.criticalPath)
            m_rows[index].critical = true;
    }
    endResetModel();
}

int FlowTableModel::eventIndexAt(int row) const
{
    return row >= 0 && std::size_t(row) < m_rows.size() ? row : -1;
}

int FlowTableModel::rowOfEvent(int eventIndex) const
{
    return eventIndex >= 0 && std::size_t(eventIndex) < m_rows.size() ? eventIndex : -1;
}

int FlowTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int FlowTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString FlowTableModel::causedByText(int row) const
{
    const Row& info = m_rows[std::size_t(row)];
    switch (info.cause) {
    case Cause::None:
        return {};
    case Cause::InFlow:
        return eventLabel(m_result->graph.events[std::size_t(info.causeRow)]);
    case Cause::Missing:
        return tr("missing: %1").arg(info.reference);
    case Cause::Elsewhere:
        return tr("outside this flow");
    case Cause::ClosesLoop:
        return tr("closes a loop: %1").arg(info.reference);
    }
    return {};
}

QString FlowTableModel::toolTip(int row, int column) const
{
    const Row& info = m_rows[std::size_t(row)];
    switch (info.cause) {
    case Cause::Missing:
        return tr("Orphan: this event's causation names %1, which is not in the store, so nothing leads to it")
            .arg(info.reference);
    case Cause::Elsewhere:
        if (column == CausedBy)
            return tr("Caused by %1, an event of another correlation").arg(info.reference);
        break;
    case Cause::ClosesLoop:
        if (column == CausedBy)
            return tr("This event's cause, %1, is also caused by it: the loop is cut here and the event taken as a "
                      "root")
                .arg(info.reference);
        break;
    case Cause::None:
    case Cause::InFlow:
        break;
    }
    if (column == CriticalPath && info.critical)
        return tr("On the critical path: the chain from a root that takes longest");
    return {};
}

QVariant FlowTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || eventIndexAt(index.row()) < 0)
        return {};
    const int row = index.row();
    const Row& info = m_rows[std::size_t(row)];
    const FlowGraph& graph = m_result->graph;
    const Event& event = graph.events[std::size_t(row)];
    switch (role) {
    case EventIndexRole:
        return row;
    case EventIdRole:
        return text(event.id);
    case IsOrphanRole:
        return info.cause == Cause::Missing;
    case OnCriticalPathRole:
        return info.critical;
    case CauseRowRole:
        return info.causeRow;
    case Qt::ToolTipRole: {
        const QString tip = toolTip(row, index.column());
        return tip.isEmpty() ? QVariant() : QVariant(tip);
    }
    case Qt::TextAlignmentRole:
        switch (index.column()) {
        case SinceStart:
        case Version:
        case Gap:
            return int(Qt::AlignRight | Qt::AlignVCenter);
        case CriticalPath:
            return int(Qt::AlignCenter);
        }
        return {};
    case Qt::DisplayRole:
    case Qt::EditRole:
        break;
    default:
        return {};
    }
    // Qt::EditRole keeps times, gaps and versions as numbers (microseconds), for a proxy to sort by.
    const bool edit = role == Qt::EditRole;
    const Micros sinceStart = event.time - graph.events.front().time;
    switch (index.column()) {
    case Time:
        return edit ? QVariant(qint64(event.time)) : QVariant(text(formatTime(event.time)));
    case SinceStart:
        return edit ? QVariant(qint64(sinceStart)) : QVariant(text(formatFlowGap(sinceStart)));
    case Stream:
        return text(event.stream);
    case Version:
        return edit ? QVariant(qint64(event.version)) : QVariant(QString::number(event.version));
    case Type:
        return text(event.type);
    case CausedBy:
        return causedByText(row);
    case Gap:
        if (info.cause != Cause::InFlow)
            return {};
        return edit ? QVariant(qint64(info.gap)) : QVariant(text(formatFlowGap(info.gap)));
    case CriticalPath:
        if (edit)
            return info.critical;
        return info.critical ? QString(QChar(0x25CF)) : QString();
    case EventId:
        return text(event.id);
    }
    return {};
}

QVariant FlowTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case SinceStart:
            return tr("Time since the flow's first event");
        case Gap:
            return tr("Time between the cause and this event; negative when their clocks disagree");
        case CriticalPath:
            return tr("The chain from a root that takes longest");
        }
        return {};
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Time:
        return tr("Time");
    case SinceStart:
        return tr("Since start");
    case Stream:
        return tr("Stream");
    case Version:
        return tr("Version");
    case Type:
        return tr("Type");
    case CausedBy:
        return tr("Caused by");
    case Gap:
        return tr("Gap");
    case CriticalPath:
        return tr("Critical path");
    case EventId:
        return tr("Event ID");
    }
    return {};
}

} // namespace eventscope
