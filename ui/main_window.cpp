#include "ui/main_window.h"

#include "model/audit_record.h"
#include "model/event_table_model.h"
#include "model/recent_stores.h"
#include "model/store_catalog.h"
#include "model/workspace.h"
#include "storage/error.h"
#include "storage/event_store.h"
#include "ui/append_event_dialog.h"
#include "ui/audit_page.h"
#include "ui/events_page.h"
#include "ui/flow_page.h"
#include "ui/import_dialog.h"
#include "ui/inspector_dock.h"
#include "ui/projections_page.h"
#include "ui/stream_navigator_dock.h"
#include "ui/stream_page.h"
#include "ui/theme.h"
#include "ui/welcome_page.h"

#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QFileDialog>
#include <QFutureWatcher>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QScreen>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QThreadPool>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

namespace eventscope {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_pages(new QStackedWidget(this))
    , m_welcome(new WelcomePage(this))
    , m_tabs(new QTabWidget(this))
    , m_events(new EventsPage(this))
    , m_stream(new StreamPage(this))
    , m_projections(new ProjectionsPage(this))
    , m_flow(new FlowPage(this))
    , m_audit(new AuditPage(this))
    , m_catalog(new StoreCatalog(this))
{
    // The window's workers mostly wait on databases, not the CPU: more of them than cores keeps a slow count or
    // a navigator page from holding up the page of events a person is looking at.
    QThreadPool::globalInstance()->setMaxThreadCount(std::max(8, QThread::idealThreadCount()));
    // Each worker has a connection of its own: small caches keep the whole window's memory flat.
    setSqliteMemoryBudget({ .cacheKiB = 8192, .mmapBytes = 0 });
    setWindowTitle(tr("Eventscope"));
    setObjectName(QStringLiteral("mainWindow"));
    setDockOptions(AnimatedDocks | AllowTabbedDocks);
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_events, tr("Events"));
    m_tabs->addTab(m_stream, tr("Stream"));
    m_tabs->addTab(m_flow, tr("Flow"));
    m_tabs->addTab(m_projections, tr("Projections"));
    m_tabs->addTab(m_audit, tr("Audit"));
    // Projections may be run by other processes (the command line, a colleague): show the list as it is now.
    connect(m_tabs, &QTabWidget::currentChanged, this, [this](int index) {
        if (m_tabs->widget(index) == m_projections && !m_uri.isEmpty())
            m_projections->refresh();
    });
    m_pages->addWidget(m_welcome);
    m_pages->addWidget(m_tabs);
    setCentralWidget(m_pages);
    createDocks();
    createMenus();
    createStatusBar();

    connect(m_welcome, &WelcomePage::openRequested, this, &MainWindow::openStoreAsync);
    connect(m_events, &EventsPage::eventSelected, m_inspector, &InspectorDock::inspect);
    connect(m_flow, &FlowPage::eventSelected, m_inspector, &InspectorDock::inspect);
    connect(m_audit, &AuditPage::eventSelected, m_inspector, &InspectorDock::inspect);
    connect(m_audit, &AuditPage::message, this, [this](const QString& text) { statusBar()->showMessage(text, 15000); });
    connect(m_flow, &FlowPage::message, this, [this](const QString& text) { statusBar()->showMessage(text, 8000); });
    connect(m_events, &EventsPage::headChanged, this, &MainWindow::setHead);
    connect(m_events, &EventsPage::liveChanged, this, &MainWindow::updateStatus);
    connect(
        m_events, &EventsPage::message, this, [this](const QString& text) { statusBar()->showMessage(text, 8000); });
    connect(
        m_stream, &StreamPage::message, this, [this](const QString& text) { statusBar()->showMessage(text, 8000); });
    connect(m_projections, &ProjectionsPage::message, this,
        [this](const QString& text) { statusBar()->showMessage(text, 15000); });
    connect(m_projections, &ProjectionsPage::showEventRequested, this, &MainWindow::goToEventId);

    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray())) {
        // First run: most of the screen, so the table and both docks have room.
        const QRect available = screen() ? screen()->availableGeometry() : QRect(0, 0, 1600, 1000);
        resize(std::min(1680, available.width() * 9 / 10), std::min(1050, available.height() * 9 / 10));
    }
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    showWelcome();
}

MainWindow::~MainWindow() = default;

void MainWindow::createDocks()
{
    m_navigator = new StreamNavigatorDock(this);
    m_inspector = new InspectorDock(this);
    addDockWidget(Qt::LeftDockWidgetArea, m_navigator);
    addDockWidget(Qt::RightDockWidgetArea, m_inspector);
    resizeDocks({ m_navigator, m_inspector }, { 320, 380 }, Qt::Horizontal);

    auto show = [this](EventQuery query) {
        m_tabs->setCurrentWidget(m_events);
        m_events->showQuery(query);
    };
    // A stream opens where it can be replayed; its events alone are one filter away in the Events tab.
    connect(m_navigator, &StreamNavigatorDock::streamActivated, this,
        [this](const QString& stream) { replayStream(stream); });
    connect(m_navigator, &StreamNavigatorDock::categoryActivated, this, [show](const QString& category) {
        EventQuery query;
        query.category = category.toStdString();
        show(query);
    });
    // "Why is it in this state?": the stream replayed to the very event being inspected.
    connect(m_inspector, &InspectorDock::openStreamRequested, this, [this](const QString& stream) {
        const auto& event = m_inspector->inspected();
        const bool same = event && event->stream == stream.toStdString();
        replayStream(stream, same ? std::optional<qint64>(event->version) : std::nullopt);
    });
    connect(m_inspector, &InspectorDock::showCorrelationRequested, this, [show](const QString& id) {
        EventQuery query;
        query.correlation = id.toStdString();
        show(query);
    });
    connect(m_inspector, &InspectorDock::showFlowRequested, this, [this](const QString& id) {
        const auto& event = m_inspector->inspected();
        m_tabs->setCurrentWidget(m_flow);
        m_flow->showCorrelation(id, event ? QString::fromStdString(event->id) : QString());
    });
    connect(m_inspector, &InspectorDock::showCausationRequested, this, [show](const QString& id) {
        EventQuery query;
        query.causation = id.toStdString();
        show(query);
    });
    connect(m_inspector, &InspectorDock::goToEventRequested, this, &MainWindow::goToEventId);
}

void MainWindow::createMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("Open &demo store"), this, [this] {
        showWelcome();
        m_welcome->openDemo();
    });
    file->addAction(tr("&Open SQLite file…"), QKeySequence::Open, this, &MainWindow::chooseSqliteFile);
    file->addAction(tr("Connect to &PostgreSQL…"), this, [this] {
        showWelcome();
        m_welcome->connectToPostgres();
    });
    file->addAction(tr("&Import DynamoDB export…"), this, [this] {
        auto* dialog = new ImportDialog(this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->setObjectName(QStringLiteral("importDialog"));
        dialog->setTarget(m_uri, isAdminMode(),
            m_readOnly ? tr("This store is read-only: Eventscope writes only to its own stores.")
                       : tr("Turn on admin mode (Store ▸ Admin mode) to import into it."));
        dialog->setProductionStore(isProductionStore());
        connect(dialog, &ImportDialog::imported, this, [this](const QString& uri) {
            if (uri == m_uri)
                refreshAll();
        });
        dialog->open();
    });
    file->addSeparator();
    QAction* close = file->addAction(tr("&Close store"), QKeySequence::Close, this, &MainWindow::closeStore);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, qApp, &QApplication::closeAllWindows);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    QAction* find = view->addAction(tr("&Filter events"), QKeySequence::Find, m_events, &EventsPage::focusFilter);
    QAction* location
        = view->addAction(tr("Go to &location"), QKeySequence(tr("Ctrl+L")), m_events, &EventsPage::focusLocation);
    QAction* streams = view->addAction(
        tr("Filter &streams"), QKeySequence(tr("Ctrl+Shift+F")), m_navigator, &StreamNavigatorDock::focusFilter);
    QAction* refresh = view->addAction(tr("&Refresh"), QKeySequence::Refresh, this, &MainWindow::refreshAll);
    view->addSeparator();
    view->addAction(m_navigator->toggleViewAction());
    view->addAction(m_inspector->toggleViewAction());
    view->addSeparator();
    QMenu* themes = view->addMenu(tr("&Theme"));
    auto* themeGroup = new QActionGroup(this);
    const Theme current = themeFromName(QSettings().value(QStringLiteral("window/theme")).toString());
    for (const auto& [theme, label] : { std::pair { Theme::System, tr("System") },
             std::pair { Theme::Light, tr("Light") }, std::pair { Theme::Dark, tr("Dark") } }) {
        QAction* action = themes->addAction(label);
        action->setCheckable(true);
        action->setChecked(theme == current);
        themeGroup->addAction(action);
        connect(action, &QAction::triggered, this, [theme] {
            applyTheme(theme);
            QSettings().setValue(QStringLiteral("window/theme"), themeName(theme));
        });
    }

    QMenu* store = menuBar()->addMenu(tr("&Store"));
    m_adminAction = store->addAction(tr("&Admin mode"));
    m_adminAction->setCheckable(true);
    m_adminAction->setShortcut(QKeySequence(tr("Ctrl+Shift+A")));
    m_adminAction->setToolTip(tr("Allow writes to this store"));
    connect(m_adminAction, &QAction::toggled, this, &MainWindow::updateStatus);
    m_productionAction = store->addAction(tr("Mark as &production"));
    m_productionAction->setCheckable(true);
    connect(m_productionAction, &QAction::toggled, this, &MainWindow::setProductionStore);
    store->addSeparator();
    m_appendAction = store->addAction(tr("A&ppend event…"), this, &MainWindow::appendEvent);
    m_appendAction->setShortcut(QKeySequence(tr("Ctrl+Shift+N")));
    QAction* live = store->addAction(tr("&Live tail"));
    live->setCheckable(true);
    connect(live, &QAction::toggled, m_events, &EventsPage::setLive);
    connect(m_events, &EventsPage::liveChanged, live, &QAction::setChecked);

    m_storeActions = { close, find, location, streams, refresh, m_adminAction, m_productionAction, live };
    for (QAction* action : std::as_const(m_storeActions))
        action->setShortcutContext(Qt::WindowShortcut);
}

void MainWindow::createStatusBar()
{
    m_storeLabel = new QLabel(this);
    m_modeLabel = new QLabel(this);
    m_headLabel = new QLabel(this);
    m_liveLabel = new QLabel(this);
    m_modeLabel->setObjectName(QStringLiteral("modeLabel"));
    m_headLabel->setObjectName(QStringLiteral("headLabel"));
    m_liveLabel->setObjectName(QStringLiteral("liveLabel"));
    m_storeLabel->setObjectName(QStringLiteral("storeLabel"));
    statusBar()->addWidget(m_storeLabel, 1);
    for (QLabel* label : { m_modeLabel, m_headLabel, m_liveLabel }) {
        label->setContentsMargins(8, 0, 8, 0);
        statusBar()->addPermanentWidget(label);
    }
}

QTableView* MainWindow::eventsView() const
{
    return m_events->view();
}

EventTableModel* MainWindow::eventsModel() const
{
    return m_events->model();
}

void MainWindow::chooseSqliteFile()
{
    const QString file = QFileDialog::getOpenFileName(
        this, tr("Open SQLite event store"), QString(), tr("Event stores (*.db *.sqlite *.sqlite3);;All files (*)"));
    if (!file.isEmpty())
        openStoreAsync(WelcomePage::sqliteUriFor(file).isEmpty() ? QLatin1String("sqlite:") + file
                                                                 : WelcomePage::sqliteUriFor(file));
}

void MainWindow::openStoreAsync(const QString& uri)
{
    m_storeLabel->setText(tr("Opening %1…").arg(RecentStores::displayNameFor(uri)));
    auto* watcher = new QFutureWatcher<OpenResult>(this);
    connect(watcher, &QFutureWatcher<OpenResult>::finished, this, [this, watcher, uri] {
        const OpenResult result = watcher->result();
        watcher->deleteLater();
        if (!result.error.isEmpty()) {
            if (m_uri.isEmpty()) {
                m_storeLabel->setText(tr("No store open"));
                showWelcome();
            } else {
                updateStatus();
            }
            m_welcome->setMessage(result.error);
            statusBar()->showMessage(result.error, 10000);
            emit storeFailed(result.error);
            return;
        }
        showStore(uri, result);
    });
    watcher->setFuture(QtConcurrent::run([uri]() {
        OpenResult result;
        try {
            auto store = openStore(uri.toStdString());
            const StoreDescription description = store->describe();
            result.kind = QString::fromStdString(description.kind);
            result.display = QString::fromStdString(description.uri);
            result.readOnly = description.readOnly;
            result.head = store->headPosition();
            if (result.readOnly)
                result.workspace = ensureWorkspaceFor(uri);
        } catch (const Error& e) {
            result.error = QString::fromStdString(e.what());
        }
        return result;
    }));
}

void MainWindow::showStore(const QString& uri, const OpenResult& result)
{
    m_uri = uri;
    m_kind = result.kind;
    m_readOnly = result.readOnly;
    m_head = result.head;
    m_adminAction->setChecked(false); // admin mode is asked for again for every store
    m_adminAction->setEnabled(!m_readOnly);
    {
        const QSignalBlocker blocker(m_productionAction);
        m_productionAction->setChecked(isProductionStore());
    }
    m_welcome->noteOpened(uri, result.kind);
    m_welcome->setMessage({});
    m_inspector->clear();
    m_catalog->load(uri.toStdString());
    m_events->setStore(uri, m_catalog);
    m_stream->setStore(uri);
    m_flow->setStore(uri, storeSettingsKey());
    m_projections->setStore(uri, result.readOnly, result.workspace);
    m_audit->setStore(uri, result.readOnly, result.workspace);
    m_navigator->setStore(uri);
    m_pages->setCurrentWidget(m_tabs);
    m_navigator->show();
    m_inspector->show();
    // A first run (or a layout saved while the docks were collapsed) gets readable dock widths.
    // The docks have their sizes only once laid out, after this event.
    QTimer::singleShot(0, this, [this] {
        if (m_navigator->width() < 260 || m_inspector->width() < 320)
            resizeDocks({ m_navigator, m_inspector }, { 320, 380 }, Qt::Horizontal);
    });
    for (QAction* action : std::as_const(m_storeActions))
        action->setEnabled(action != m_adminAction || !m_readOnly);
    setWindowTitle(tr("%1 — Eventscope").arg(RecentStores::displayNameFor(uri)));
    m_storeLabel->setText(tr("%1 store · %2").arg(result.kind, result.display));
    updateStatus();
    emit storeOpened(uri);
}

void MainWindow::closeStore()
{
    m_uri.clear();
    m_events->setStore({}, nullptr);
    m_stream->setStore({});
    m_flow->setStore({}, {});
    m_projections->setStore({}, false, {});
    m_audit->setStore({}, false, {});
    m_navigator->setStore({});
    m_inspector->clear();
    showWelcome();
}

void MainWindow::showWelcome()
{
    m_pages->setCurrentWidget(m_welcome);
    m_welcome->reloadRecent();
    if (m_uri.isEmpty()) {
        m_navigator->hide();
        m_inspector->hide();
        for (QAction* action : std::as_const(m_storeActions))
            action->setEnabled(false);
        setWindowTitle(tr("Eventscope"));
        m_storeLabel->setText(tr("No store open"));
    }
    updateStatus();
}

void MainWindow::setHead(qint64 head)
{
    m_head = head;
    updateStatus();
}

void MainWindow::updateStatus()
{
    const bool open = !m_uri.isEmpty();
    m_modeLabel->setVisible(open);
    m_headLabel->setVisible(open);
    m_liveLabel->setVisible(open);
    m_appendAction->setEnabled(open && isAdminMode());
    // A read-only store's projections live in its local workspace, which is the user's own file: no admin mode.
    m_projections->setWritable(open && (isAdminMode() || m_readOnly));
    m_projections->setProduction(isProductionStore());
    m_audit->setWritable(open && isAdminMode(), isProductionStore());
    if (!open)
        return;
    QString mode = m_readOnly ? tr("Read-only") : (isAdminMode() ? tr("Admin") : tr("Read-only view"));
    if (isProductionStore())
        mode += tr(" · production");
    m_modeLabel->setText(mode);
    m_modeLabel->setToolTip(m_readOnly ? tr("This store cannot be written to by Eventscope")
                                       : tr("Writes need admin mode (Store ▸ Admin mode)"));
    m_modeLabel->setStyleSheet(isAdminMode() ? QStringLiteral("color: palette(highlighted-text); background: "
                                                              "palette(highlight); border-radius: 3px;")
                                             : QString());
    m_headLabel->setText(tr("Head %1").arg(QLocale().toString(m_head)));
    const bool live = eventsModel() && eventsModel()->isLive();
    m_liveLabel->setText(live ? tr("● Live") : tr("○ Not live"));
}

bool MainWindow::isAdminMode() const
{
    return m_adminAction->isChecked() && !m_readOnly;
}

void MainWindow::setAdminMode(bool on)
{
    m_adminAction->setChecked(on);
}

QString MainWindow::storeSettingsKey() const
{
    // The URI without its password, percent-encoded so that it is one settings key.
    return QStringLiteral("stores/")
        + QString::fromLatin1(RecentStores::withoutPassword(m_uri).toUtf8().toPercentEncoding());
}

bool MainWindow::isProductionStore() const
{
    return !m_uri.isEmpty() && QSettings().value(storeSettingsKey() + QStringLiteral("/production")).toBool();
}

void MainWindow::setProductionStore(bool production)
{
    if (m_uri.isEmpty())
        return;
    QSettings().setValue(storeSettingsKey() + QStringLiteral("/production"), production);
    m_productionAction->setChecked(production);
    updateStatus();
}

void MainWindow::appendEvent()
{
    if (!isAdminMode())
        return;
    auto* dialog = new AppendEventDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setObjectName(QStringLiteral("appendEventDialog"));
    dialog->setCatalog(m_catalog);
    dialog->setProductionStore(isProductionStore());
    if (const auto& event = m_inspector->inspected())
        dialog->setStream(QString::fromStdString(event->stream));
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const AppendRequest request = dialog->request();
        auto* watcher = new QFutureWatcher<QString>(this);
        connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher] {
            const QString error = watcher->result();
            watcher->deleteLater();
            statusBar()->showMessage(error.isEmpty() ? tr("The event was appended.") : error, 10000);
            if (!error.isEmpty())
                QMessageBox::warning(this, tr("Append failed"), error);
            else if (!(eventsModel() && eventsModel()->isLive()))
                m_events->refresh();
            emit writeFinished(error);
        });
        // The event and its audit record land together or not at all (DESIGN §7).
        watcher->setFuture(QtConcurrent::run([uri = m_uri.toStdString(), request]() -> QString {
            try {
                const std::vector<AppendRequest> requests { request, appendAudit({ &request, 1 }, AuditTool::Window) };
                openStore(uri)->append(requests);
                return {};
            } catch (const Error& e) {
                return QString::fromStdString(e.what());
            }
        }));
    });
    dialog->open();
}

void MainWindow::goToEventId(const QString& id)
{
    auto* watcher = new QFutureWatcher<std::optional<Event>>(this);
    connect(watcher, &QFutureWatcher<std::optional<Event>>::finished, this, [this, watcher, id] {
        const std::optional<Event> event = watcher->result();
        watcher->deleteLater();
        if (!event) {
            statusBar()->showMessage(tr("No event with ID %1 is in this store.").arg(id), 8000);
            return;
        }
        m_inspector->inspect(*event);
        m_tabs->setCurrentWidget(m_events);
        m_events->showQuery({});
        m_events->goToPosition(event->position);
    });
    watcher->setFuture(QtConcurrent::run([uri = m_uri.toStdString(), id = id.toStdString()] {
        try {
            return openStore(uri)->eventById(id);
        } catch (const Error&) {
            return std::optional<Event>();
        }
    }));
}

void MainWindow::replayStream(const QString& stream, std::optional<qint64> version)
{
    m_tabs->setCurrentWidget(m_stream);
    m_stream->openStream(stream, version);
}

void MainWindow::refreshAll()
{
    if (m_uri.isEmpty())
        return;
    m_catalog->load(m_uri.toStdString());
    m_navigator->refresh();
    m_events->refresh();
    m_projections->refresh();
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    QMainWindow::closeEvent(event);
}

} // namespace eventscope
