#pragma once
// The Shadow diff tab of the Projections tab (DESIGN §5): after a shadow rebuild, the partitions it added,
// removed or changed against the live version, compared in a worker, with the JSON changes of the selected one;
// Swap makes the shadow live (the live version is kept), Roll back returns to the version a swap put aside.

#include "model/projection_admin.h"

#include <QFutureWatcher>
#include <QWidget>

#include <memory>

class QLabel;
class QPushButton;
class QTreeWidget;

namespace eventscope {

class ChangesView;

class ProjectionShadowView : public QWidget
{
    Q_OBJECT

public:
    static constexpr int maxListed = 5000;

    explicit ProjectionShadowView(QWidget* parent = nullptr);
    ~ProjectionShadowView() override;

    // Compares the live version of `name` with its shadow, when it has one.
    void showProjection(const QString& targetUri, const ProjectionSummary* summary);
    // Whether Swap and Roll back may be pressed (admin mode, nothing running), and why not in a tooltip.
    void setActionsAllowed(bool allowed, const QString& why);
    bool isComparing() const { return m_watcher.isRunning(); }

    QTreeWidget* differenceList() const { return m_list; }
    ChangesView* changesView() const { return m_changes; }
    QLabel* summaryLabel() const { return m_summary; }
    QPushButton* swapButton() const { return m_swap; }
    QPushButton* rollbackButton() const { return m_rollback; }

signals:
    void swapRequested();
    void rollbackRequested();
    void compared();

private:
    struct Result
    {
        std::shared_ptr<const ProjectionComparison> comparison;
        QString error;
        quint64 generation = 0;
    };
    void start();
    void takeResult();
    void showSelected();
    void updateButtons();

    QString m_uri;
    QString m_name;
    bool m_hasShadow = false;
    bool m_hasPrevious = false;
    bool m_allowed = false;
    QString m_why;
    quint64 m_generation = 0;
    std::shared_ptr<const ProjectionComparison> m_comparison;
    QLabel* m_summary = nullptr;
    QTreeWidget* m_list = nullptr;
    ChangesView* m_changes = nullptr;
    QPushButton* m_swap = nullptr;
    QPushButton* m_rollback = nullptr;
    QFutureWatcher<Result> m_watcher;
};

} // namespace eventscope
