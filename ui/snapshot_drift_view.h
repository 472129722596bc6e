#pragma once
// The Stream tab's Snapshots page (DESIGN §4 "snapshot drift"): each stored snapshot of the reducer with
// whether it equals the replayed state at its version, and the differences of the one selected.

#include "model/replay_engine.h"

#include <QSplitter>

class QTreeWidget;

namespace eventscope {

class ChangesView;

class SnapshotDriftView : public QSplitter
{
    Q_OBJECT

public:
    explicit SnapshotDriftView(QWidget* parent = nullptr);

    void setDrift(std::vector<SnapshotDrift> drift);
    QTreeWidget* list() const { return m_list; }
    ChangesView* changes() const { return m_changes; }

private:
    void showSelected();

    std::vector<SnapshotDrift> m_drift;
    QTreeWidget* m_list = nullptr;
    ChangesView* m_changes = nullptr;
};

} // namespace eventscope
