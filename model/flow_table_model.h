#pragma once
// The Flow tab's table (DESIGN §6, §9): one correlation's events in time order, each with what caused it and the
// gap since, orphans and the critical path marked. Rows are the flow's event indexes. The model shows an immutable
// FlowResult that FlowJob made; it never reads the store.

#include "model/flow_job.h"

#include <QAbstractTableModel>

#include <memory>
#include <vector>

namespace eventscope {

class FlowTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Time, SinceStart, Stream, Version, Type, CausedBy, Gap, CriticalPath, EventId, ColumnCount };
    // The view colours rows by these: this layer knows no palette.
    enum Role {
        EventIndexRole = Qt::UserRole + 1, // int: the row's index into FlowGraph::events
        EventIdRole, // QString
        IsOrphanRole, // bool: the causation names an event the store does not have
        OnCriticalPathRole, // bool
        CauseRowRole, // int: the row of the causing event, -1 when it is not in this flow
    };

    explicit FlowTableModel(QObject* parent = nullptr);

    void setResult(std::shared_ptr<const FlowResult> result);
    void clear() { setResult(nullptr); }
    const std::shared_ptr<const FlowResult>& result() const { return m_result; }

    // Rows are event indexes in time order; -1 when out of range.
    int eventIndexAt(int row) const;
    int rowOfEvent(int eventIndex) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    enum class Cause : char { None, InFlow, Missing, Elsewhere, ClosesLoop };
    struct Row
    {
        Cause cause = Cause::None;
        int causeRow = -1; // Cause::InFlow
        Micros gap = 0; // Cause::InFlow
        QString reference; // what the causation names, for the causes not drawn as an edge
        bool critical = false;
    };

    QString causedByText(int row) const;
    QString toolTip(int row, int column) const;

    std::shared_ptr<const FlowResult> m_result;
    std::vector<Row> m_rows; // parallel to the graph's events
};

} // namespace eventscope
