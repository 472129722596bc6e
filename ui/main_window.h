#pragma once
// The main window (DESIGN §9): the welcome page until a store is open, then the Events tab between the stream
// navigator and the inspector, with the store's kind, mode, head position and live status in the status bar.
// Writes need admin mode; a store marked production asks before each one.

#include <QMainWindow>

#include <optional>

class QAction;
class QLabel;
class QStackedWidget;
class QTabWidget;
class QTableView;

namespace eventscope {

class AuditPage;
class EventTableModel;
class EventsPage;
class FlowPage;
class InspectorDock;
class ProjectionsPage;
class StoreCatalog;
class StreamNavigatorDock;
class StreamPage;
class WelcomePage;

class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Opens the store off the UI thread; the window shows the result when it is known.
    void openStoreAsync(const QString& uri);
    void closeStore();
    QString storeUri() const { return m_uri; }
    bool isStoreReadOnly() const { return m_readOnly; }

    bool isAdminMode() const;
    void setAdminMode(bool on);
    bool isProductionStore() const;
    void setProductionStore(bool production);

    WelcomePage* welcomePage() const { return m_welcome; }
    EventsPage* eventsPage() const { return m_events; }
    StreamPage* streamPage() const { return m_stream; }
    ProjectionsPage* projectionsPage() const { return m_projections; }
    FlowPage* flowPage() const { return m_flow; }
    AuditPage* auditPage() const { return m_audit; }
    // Shows the Stream tab replaying `stream`, at `version` (default: its last event).
    void replayStream(const QString& stream, std::optional<qint64> version = std::nullopt);
    StreamNavigatorDock* navigator() const { return m_navigator; }
    InspectorDock* inspector() const { return m_inspector; }
    QTableView* eventsView() const;
    EventTableModel* eventsModel() const;
    QAction* appendAction() const { return m_appendAction; }

signals:
    void storeOpened(const QString& uri);
    void storeFailed(const QString& message);
    // A write made from the window finished: an empty message means it landed.
    void writeFinished(const QString& error);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    struct OpenResult
    {
        QString kind;
        QString display;
        bool readOnly = false;
        QString workspace; // where a read-only store's projections are kept
        qint64 head = 0;
        QString error;
    };
    void createMenus();
    void createDocks();
    void createStatusBar();
    void showStore(const QString& uri, const OpenResult& result);
    void showWelcome();
    void updateStatus();
    void setHead(qint64 head);
    void chooseSqliteFile();
    void appendEvent();
    void goToEventId(const QString& id);
    void refreshAll();
    QString storeSettingsKey() const;

    QStackedWidget* m_pages = nullptr;
    WelcomePage* m_welcome = nullptr;
    QTabWidget* m_tabs = nullptr;
    EventsPage* m_events = nullptr;
    StreamPage* m_stream = nullptr;
    ProjectionsPage* m_projections = nullptr;
    FlowPage* m_flow = nullptr;
    AuditPage* m_audit = nullptr;
    StreamNavigatorDock* m_navigator = nullptr;
    InspectorDock* m_inspector = nullptr;
    StoreCatalog* m_catalog = nullptr;
    QLabel* m_storeLabel = nullptr;
    QLabel* m_modeLabel = nullptr;
    QLabel* m_headLabel = nullptr;
    QLabel* m_liveLabel = nullptr;
    QAction* m_adminAction = nullptr;
    QAction* m_productionAction = nullptr;
    QAction* m_appendAction = nullptr;
    QList<QAction*> m_storeActions; // enabled only while a store is open

    QString m_uri;
    QString m_kind;
    bool m_readOnly = false;
    qint64 m_head = 0;
};

} // namespace eventscope
