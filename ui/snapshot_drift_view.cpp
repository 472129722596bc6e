#include "ui/snapshot_drift_view.h"

#include "model/json_diff.h"
#include "storage/time_format.h"
#include "ui/changes_view.h"

#include <QHeaderView>
#include <QTreeWidget>

namespace eventscope {
SnapshotDriftView::SnapshotDriftView(QWidget* parent)
    : QSplitter(Qt::Vertical, parent)
    , m_list(new QTreeWidget(this))
    , m_changes(new ChangesView(this))
{
    m_list->setObjectName(QStringLiteral("driftList"));
    m_list->setHeaderLabels({ tr("Snapshot version"), tr("Saved"), tr("Against the replay") });
    m_list->setRootIsDecorated(false);
    m_list->header()->setStretchLastSection(true);
    m_changes->setObjectName(QStringLiteral("driftChanges"));
    connect(m_list, &QTreeWidget::currentItemChanged, this, &SnapshotDriftView::showSelected);
}

void SnapshotDriftView::setDrift(std::vector<SnapshotDrift> drift)
{
    m_drift = std::move(drift);
    m_list->clear();
    m_changes->clear();
    for (std::size_t i = 0; i < m_drift.size(); ++i) {
        const SnapshotDrift& snapshot = m_drift[i];
        auto* item = new QTreeWidgetItem(m_list,
            { QString::number(snapshot.version), QString::fromStdString(formatTime(snapshot.time)),
                snapshot.equal ? tr("equal") : tr("drifted") });
        item->setData(0, Qt::UserRole, static_cast<int>(i));
        item->setForeground(2, snapshot.equal ? palette().text() : QBrush(QColor(0xd1, 0x24, 0x2f)));
    }
    if (m_drift.empty())
        new QTreeWidgetItem(m_list, { tr("No snapshot of this reducer is stored for this stream.") });
}

void SnapshotDriftView::showSelected()
{
    const QTreeWidgetItem* item = m_list->currentItem();
    const QVariant index = item ? item->data(0, Qt::UserRole) : QVariant();
    if (!index.isValid())
        return;
    const SnapshotDrift& snapshot = m_drift.at(static_cast<std::size_t>(index.toInt()));
    m_changes->setChanges(diffJson(parseJsonOrText(snapshot.replayed), parseJsonOrText(snapshot.stored)),
        tr("The stored snapshot equals the replayed state."));
}

} // namespace eventscope
