#pragma once
// The Projections tab (DESIGN §5, §9): the store's projections with their status and lag on the left, and for the
// chosen one its script, states, progress, fault and shadow diff on the right. Runs, rebuilds, shadow rebuilds,
// retries, skips, swaps, rollbacks and deletes are writes: they need admin mode, and a production store asks
// before each. Every store call runs off the UI thread: runs on a ProjectionJob's thread, the rest in workers
// with their own connections.

#include "model/projection_job.h"

#include <QFutureWatcher>
#include <QWidget>

#include <functional>

class QCheckBox;
class QLabel;
class QPushButton;
class QSplitter;
class QTabWidget;
class QTableView;
class QTimer;

namespace eventscope {

class EventStore;
class ProjectionEditor;
class ProjectionFaultView;
class ProjectionListModel;
class ProjectionProgressView;
class ProjectionShadowView;
class ProjectionStatesView;

class ProjectionsPage : public QWidget
{
    Q_OBJECT

public:
    explicit ProjectionsPage(QWidget* parent = nullptr);
    ~ProjectionsPage() override;

    // The store the projections read. A read-only store keeps its projections in the workspace (a native SQLite
    // file); without one, every write is disabled. An empty URI empties the page.
    void setStore(const QString& uri, bool readOnly, const QString& workspaceUri);
    // Admin mode: writes are allowed only while it is on.
    void setWritable(bool writable);
    // A production store asks before each write.
    void setProduction(bool production);
    QString sourceUri() const { return m_sourceUri; }
    QString targetUri() const { return m_targetUri; }
    // Empty when writes are allowed, else the sentence that says why not.
    QString writeBlockedReason() const;

    // The projection the buttons act on: the selected one, or a new one not yet run.
    QString currentName() const;
    void selectProjection(const QString& name);
    // Starts a new projection with the example script; false (with a message) for a bad or taken name.
    bool newProjection(const QString& name);
    void refresh();

    void run();
    void rebuild();
    void shadowRebuild();
    void retry();
    void skipFault();
    void deleteProjection();
    void swapShadow();
    void rollback();
    void togglePause();
    void cancel();
    void exportStates(const QString& path);

    ProjectionListModel* listModel() const { return m_list; }
    QTableView* listView() const { return m_view; }
    ProjectionEditor* editor() const { return m_editor; }
    ProjectionStatesView* statesView() const { return m_states; }
    ProjectionProgressView* progressView() const { return m_progress; }
    ProjectionFaultView* faultView() const { return m_fault; }
    ProjectionShadowView* shadowView() const { return m_shadow; }
    QTabWidget* detailTabs() const { return m_tabs; }
    ProjectionJob* job() const { return m_job; }
    bool isBusy() const;

signals:
    void message(const QString& text);
    // A run ended: `sentence` says how (the status bar shows it too).
    void runFinished(const QString& sentence);
    // A delete, swap, rollback or export finished: empty when it worked.
    void writeFinished(const QString& error);
    // "Show event" on the Fault tab: the window shows the event with this ID in the inspector.
    void showEventRequested(const QString& eventId);

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    QWidget* createListSide();
    QPushButton* addButton(const QString& text, const char* name, const QString& tip);
    void promptNewProjection();
    QString newProjectionProblem(const QString& name) const;
    void promptExport();
    void replaceJob();
    void startJob(ProjectionJob::Mode mode, const QString& what);
    bool confirmWrite(const QString& what);
    void runAdmin(const QString& done, std::function<void(EventStore&)> action);
    void currentChanged();
    void listLoaded();
    void showDetails(bool reloadScript);
    void jobFinished(const ProjectionRunResult& result);
    void jobFailed(const QString& sentence);
    void updateActions();
    void updateTitle();

    QString m_sourceUri;
    QString m_targetUri;
    bool m_readOnly = false;
    bool m_writable = false;
    bool m_production = false;
    QString m_selected; // the projection chosen in the list
    QString m_newName; // a new projection not yet run
    bool m_showFault = false; // after the next list read
    bool m_showShadow = false;
    bool m_adminBusy = false;
    bool m_exporting = false;

    ProjectionListModel* m_list = nullptr;
    ProjectionJob* m_job = nullptr;
    QSplitter* m_splitter = nullptr;
    QTableView* m_view = nullptr;
    QLabel* m_listHint = nullptr;
    QLabel* m_title = nullptr;
    QTabWidget* m_tabs = nullptr;
    ProjectionEditor* m_editor = nullptr;
    ProjectionStatesView* m_states = nullptr;
    ProjectionProgressView* m_progress = nullptr;
    ProjectionFaultView* m_fault = nullptr;
    ProjectionShadowView* m_shadow = nullptr;
    QCheckBox* m_live = nullptr;
    QPushButton* m_new = nullptr;
    QPushButton* m_run = nullptr;
    QPushButton* m_pause = nullptr;
    QPushButton* m_cancel = nullptr;
    QPushButton* m_rebuild = nullptr;
    QPushButton* m_shadowRebuild = nullptr;
    QPushButton* m_retry = nullptr;
    QPushButton* m_skip = nullptr;
    QPushButton* m_delete = nullptr;
    QPushButton* m_export = nullptr;
    QTimer* m_refreshTimer = nullptr;
};

} // namespace eventscope
