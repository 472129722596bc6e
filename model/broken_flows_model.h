#pragma once
// The Flow tab's *Broken flows* list (DESIGN §6, §9): one row per correlation with orphans, as BrokenFlowsJob
// found them. The model only shows a snapshot; the job reads the store.

#include "model/broken_flows.h"

#include <QAbstractTableModel>

#include <memory>
#include <vector>

namespace eventscope {

class BrokenFlowsModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Correlation, Events, Orphans, FirstEvent, MissingCause, ColumnCount };
    enum Role {
        CorrelationRole = Qt::UserRole + 1, // QString: the row's correlation ID, on every column
        FirstOrphanIdRole, // QString: the ID of the row's earliest orphan, to select it in the flow
    };

    explicit BrokenFlowsModel(QObject* parent = nullptr);

    void setFlows(std::vector<BrokenFlow> flows);
    void clear() { setFlows({}); }

    // Empty, or null, when the row is out of range.
    QString correlationAt(int row) const;
    const BrokenFlow* flowAt(int row) const;
    int rowOfCorrelation(const QString& correlation) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const std::vector<BrokenFlow>> m_flows;
};

} // namespace eventscope
