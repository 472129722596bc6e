// The window as a person meets it: drop a store on the welcome page, see its events, filter them, select one,
// inspect it and follow its correlation; the status bar, shortcuts, saved layout and recent stores; a
// PostgreSQL store through the connection dialog; a render that is not blank, in light and dark; a store that
// cannot be opened.

#include "model/event_table_model.h"
#include "model/flow_job.h"
#include "storage/event_store.h"
#include "tests/test_stores.h"
#include "tests/ui/window_test_support.h"
#include "ui/event_filter_bar.h"
#include "ui/events_page.h"
#include "ui/flow_page.h"
#include "ui/inspector_dock.h"
#include "ui/main_window.h"
#include "ui/stream_navigator_dock.h"
#include "ui/theme.h"
#include "ui/welcome_page.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTest>
#include <QToolButton>
#include <QUrl>

using namespace eventscope;
using namespace eventscope::test;

namespace {

// Shows the window and opens the store in it, as "eventscope gui STORE" does.
bool showAndOpen(MainWindow& window, const std::string& uri)
{
    window.show();
    if (!QTest::qWaitForWindowExposed(&window))
        return false;
    QSignalSpy opened(&window, &MainWindow::storeOpened);
    window.openStoreAsync(QString::fromStdString(uri));
    return opened.wait(10000) || opened.count() == 1;
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init() { QSettings().clear(); }

    void welcomeOpenFilterSelectInspect()
    {
        StoreLocation location(QStringLiteral("sqlite"));
        fillShop(location.uri());
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.welcomePage()->isVisible());
        QVERIFY(!window.inspector()->isVisible());

        // Drop the file on the welcome page, as from a file manager.
        QSignalSpy opened(&window, &MainWindow::storeOpened);
        dropFile(window.welcomePage(), QString::fromStdString(location.uri()));
        QTRY_COMPARE(opened.count(), 1);
        EventsPage* events = window.eventsPage();
        QTRY_VERIFY(events->isVisible());
        QTRY_VERIFY(window.eventsModel()->isCounted());
        QCOMPARE(window.eventsModel()->rowCount(), 7);
        QTRY_COMPARE(cellText(events->view(), 0, EventTableModel::Type), QStringLiteral("OrderPlaced"));
        QVERIFY(window.inspector()->isVisible());
        QVERIFY(window.navigator()->isVisible());
        QVERIFY(statusText(window).contains(QStringLiteral("Head 7")));
        QVERIFY(statusText(window).contains(QStringLiteral("Read-only view")));
        QTRY_VERIFY(events->findChild<QLabel*>(QStringLiteral("countLabel"))->text().contains(QLatin1Char('7')));

        // Type a stream into the filter bar and press Enter.
        auto* stream = events->findChild<QLineEdit*>(QStringLiteral("streamEdit"));
        QVERIFY(stream);
        QTest::keyClicks(stream, QStringLiteral("order-2"));
        QTest::keyClick(stream, Qt::Key_Return);
        QTRY_COMPARE(window.eventsModel()->query().stream, std::optional<std::string>("order-2"));
        QTRY_VERIFY(window.eventsModel()->isCounted());
        QCOMPARE(window.eventsModel()->rowCount(), 3);

        // Click the second row: the inspector shows that event.
        QTRY_VERIFY(!cellText(events->view(), 1, EventTableModel::Type).isEmpty());
        clickRow(events->view(), 1);
        QTRY_VERIFY(window.inspector()->inspected().has_value());
        QCOMPARE(window.inspector()->inspected()->stream, std::string("order-2"));
        QCOMPARE(window.inspector()->inspected()->version, 2);

        // Its correlation link shows every event of that correlation, across streams.
        auto* correlation = window.inspector()->findChild<QLabel*>(QStringLiteral("correlationLink"));
        QVERIFY(correlation);
        clickLink(correlation);
        QTRY_COMPARE(window.eventsModel()->query().correlation, std::optional<std::string>("c-2"));
        QTRY_VERIFY(window.eventsModel()->isCounted());
        QCOMPARE(window.eventsModel()->rowCount(), 4); // order-2's three events and payment-2's one
        QVERIFY(!window.eventsModel()->query().stream);

        // Its flow link follows the correlation in the Flow tab, with the inspected event selected there.
        const std::string inspectedId = window.inspector()->inspected()->id;
        FlowPage* flow = window.flowPage();
        QSignalSpy shown(flow, &FlowPage::flowShown);
        clickLink(window.inspector()->findChild<QLabel*>(QStringLiteral("flowLink")));
        QTRY_COMPARE(shown.count(), 1);
        QVERIFY(flow->isVisible());
        QCOMPARE(flow->correlationEdit()->text(), QStringLiteral("c-2"));
        QCOMPARE(flow->result()->graph.events.size(), std::size_t(4));
        QVERIFY(flow->selectedEvent() >= 0);
        QCOMPARE(flow->result()->graph.events[std::size_t(flow->selectedEvent())].id, inspectedId);
    }

    void shortcutsReachTheirFields()
    {
        StoreLocation location(QStringLiteral("sqlite"));
        fillShop(location.uri());
        MainWindow window;
        QVERIFY(showAndOpen(window, location.uri()));
        QTRY_VERIFY(window.eventsModel()->isCounted());
        QApplication::setActiveWindow(&window);

        QTest::keyClick(&window, Qt::Key_L, Qt::ControlModifier);
        QTRY_COMPARE(QApplication::focusWidget(), window.eventsPage()->locationEdit());
        QTest::keyClick(&window, Qt::Key_F, Qt::ControlModifier);
        QTRY_VERIFY(window.eventsPage()->filterBar()->isAncestorOf(QApplication::focusWidget()));

        QSignalSpy counted(window.eventsModel(), &EventTableModel::counted);
        QTest::keyClick(&window, Qt::Key_F5);
        QTRY_COMPARE(counted.count(), 1);

        // Go to position 5 from the location field.
        QTest::keyClick(&window, Qt::Key_L, Qt::ControlModifier);
        QTest::keyClicks(window.eventsPage()->locationEdit(), QStringLiteral("5"));
        QTest::keyClick(window.eventsPage()->locationEdit(), Qt::Key_Return);
        QTRY_VERIFY(window.inspector()->inspected().has_value());
        QCOMPARE(window.inspector()->inspected()->position, 5);
    }

    // Writes need admin mode; a production store asks for a confirmation; the write and its audit record land.
    void adminModeGatesAppends_data()
    {
        QTest::addColumn<bool>("production");
        QTest::addRow("ordinary store") << false;
        QTest::addRow("production store") << true;
    }
    void adminModeGatesAppends()
    {
        QFETCH(bool, production);
        StoreLocation location(QStringLiteral("sqlite"));
        fillShop(location.uri());
        MainWindow window;
        QVERIFY(showAndOpen(window, location.uri()));
        window.setProductionStore(production);
        QVERIFY(!window.appendAction()->isEnabled());
        window.appendAction()->trigger(); // a stray shortcut does nothing outside admin mode
        QVERIFY(!window.findChild<QDialog*>(QStringLiteral("appendEventDialog")));

        window.setAdminMode(true);
        QVERIFY(statusText(window).contains(QStringLiteral("Admin")));
        QCOMPARE(statusText(window).contains(QStringLiteral("production")), production);
        QVERIFY(window.appendAction()->isEnabled());
        window.appendAction()->trigger();
        QDialog* dialog = nullptr;
        QTRY_VERIFY((dialog = window.findChild<QDialog*>(QStringLiteral("appendEventDialog"))) && dialog->isVisible());
        auto* stream = dialog->findChild<QLineEdit*>(QStringLiteral("streamEdit"));
        stream->selectAll();
        QTest::keyClicks(stream, QStringLiteral("order-9"));
        auto* type = dialog->findChild<QComboBox*>(QStringLiteral("typeCombo"));
        type->setEditText(QStringLiteral("OrderPlaced"));
        auto* data = dialog->findChild<QPlainTextEdit*>(QStringLiteral("dataEdit"));
        data->selectAll();
        QTest::keyClicks(data, QStringLiteral("{\"total\": 42}"));
        QPushButton* ok = dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
        QCOMPARE(dialog->findChild<QWidget*>(QStringLiteral("productionBanner"))->isVisible(), production);
        if (production) {
            QVERIFY(!ok->isEnabled()); // not before the person confirms
            auto* tick = dialog->findChild<QCheckBox*>(QStringLiteral("productionCheck"));
            QTest::mouseClick(tick, Qt::LeftButton, {}, QPoint(tick->height() / 2, tick->height() / 2)); // the box
        }
        QTRY_VERIFY2(ok->isEnabled(), qPrintable(dialog->findChild<QLabel*>(QStringLiteral("problemLabel"))->text()));
        QSignalSpy written(&window, &MainWindow::writeFinished);
        QTest::mouseClick(ok, Qt::LeftButton);
        QTRY_COMPARE(written.count(), 1);
        QCOMPARE(written.at(0).at(0).toString(), QString());

        auto store = openStore(location.uri());
        const auto head = store->streamHead("order-9");
        QVERIFY(head.has_value());
        EventQuery audit;
        audit.stream = "$eventscope-audit";
        const EventPage records = store->read(audit);
        QCOMPARE(records.events.size(), 1u);
        QCOMPARE(records.events[0].type, std::string("EventsAppended"));
        QVERIFY(records.events[0].data.find("eventscope-window") != std::string::npos);
        QVERIFY(records.events[0].data.find("order-9") != std::string::npos);
        QTRY_COMPARE(window.eventsModel()->rowCount(), 8); // the table shows it (the audit stream stays out)
    }

    // Live on, Follow on: an event appended by another program appears at the bottom, highlighted, in view.
    void liveTailFollowsNewEvents()
    {
        StoreLocation location(QStringLiteral("sqlite"));
        fillShop(location.uri());
        MainWindow window;
        QVERIFY(showAndOpen(window, location.uri()));
        QTRY_VERIFY(window.eventsModel()->isCounted());
        EventsPage* events = window.eventsPage();
        QTest::mouseClick(events->liveButton(), Qt::LeftButton);
        QVERIFY(events->followButton()->isEnabled());
        QTest::mouseClick(events->followButton(), Qt::LeftButton);
        QTRY_VERIFY(statusText(window).contains(QStringLiteral("● Live")));

        auto writer = openStore(location.uri());
        std::vector<AppendRequest> burst;
        for (int i = 0; i < 60; ++i) {
            NewEvent e;
            e.type = "ItemAdded";
            burst.push_back({ "cart-" + std::to_string(i), ExpectedVersion::any(), { e } });
        }
        writer->append(burst);
        QTRY_COMPARE(window.eventsModel()->rowCount(), 67);
        QTRY_VERIFY(statusText(window).contains(QStringLiteral("Head 67")));
        // The newest row is on screen and marked new.
        QTableView* view = events->view();
        QTRY_VERIFY(view->model()->index(view->model()->rowCount() - 1, 0).data().toLongLong() == 67);
        const QModelIndex newest = view->model()->index(view->model()->rowCount() - 1, 0);
        QTRY_VERIFY(view->viewport()->rect().contains(view->visualRect(newest).center()));
        QVERIFY(newest.data(EventTableModel::IsNewRole).toBool());
    }

    void layoutAndRecentStoresAreKept()
    {
        StoreLocation location(QStringLiteral("sqlite"));
        fillShop(location.uri());
        {
            MainWindow window;
            QVERIFY(showAndOpen(window, location.uri()));
            window.inspector()->hide();
            window.close();
        }
        QSettings settings;
        QVERIFY(settings.contains(QStringLiteral("window/state")));
        MainWindow again;
        QVERIFY(again.welcomePage()->recentList()->count() >= 1);
        QVERIFY(again.welcomePage()->recentList()->item(0)->text().contains(QStringLiteral("store.db")));
    }

    void opensPostgresThroughTheDialog()
    {
        EVENTSCOPE_STORE_OR_SKIP(location, QStringLiteral("postgresql"));
        fillShop(location.uri());
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.welcomePage()->connectToPostgres();
        QWidget* dialog = nullptr;
        QTRY_VERIFY((dialog = window.findChild<QWidget*>(QStringLiteral("connectionDialog"))) && dialog->isVisible());

        // postgresql://user@host:port/database?schema=NAME, typed field by field.
        const QUrl server(QString::fromStdString(location.uri()));
        const auto type = [&](const char* name, const QString& text) {
            auto* edit = dialog->findChild<QLineEdit*>(QLatin1String(name));
            QVERIFY2(edit, name);
            edit->selectAll();
            QTest::keyClicks(edit, text);
        };
        type("hostEdit", server.host());
        auto* port = dialog->findChild<QSpinBox*>(QStringLiteral("portSpin"));
        port->setValue(server.port(5432));
        type("databaseEdit", server.path().mid(1));
        type("userEdit", server.userName());
        type("schemaEdit", server.query().section(QLatin1String("schema="), 1).section(QLatin1Char('&'), 0, 0));

        QTest::mouseClick(dialog->findChild<QPushButton*>(QStringLiteral("testButton")), Qt::LeftButton);
        auto* result = dialog->findChild<QLabel*>(QStringLiteral("testResultLabel"));
        QTRY_VERIFY_WITH_TIMEOUT(result->text().contains(QStringLiteral("7")), 10000);

        QSignalSpy opened(&window, &MainWindow::storeOpened);
        QTest::mouseClick(
            dialog->findChild<QDialogButtonBox*>(QStringLiteral("buttonBox"))->button(QDialogButtonBox::Ok),
            Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 10000);
        QTRY_VERIFY(window.eventsModel()->isCounted());
        QCOMPARE(window.eventsModel()->rowCount(), 7);
        QVERIFY(statusText(window).contains(QStringLiteral("postgresql")));
    }

    void rendersAWindowWorthLookingAt_data()
    {
        QTest::addColumn<QString>("theme");
        QTest::addRow("light") << QStringLiteral("light");
        QTest::addRow("dark") << QStringLiteral("dark");
    }
    void rendersAWindowWorthLookingAt()
    {
        QFETCH(QString, theme);
        applyTheme(themeFromName(theme));
        StoreLocation location(QStringLiteral("sqlite"));
        fillShop(location.uri());
        MainWindow window;
        window.resize(1400, 860);
        QVERIFY(showAndOpen(window, location.uri()));
        QTRY_VERIFY(!cellText(window.eventsView(), 6, EventTableModel::Type).isEmpty());
        clickRow(window.eventsView(), 2);
        QTRY_VERIFY(window.inspector()->inspected().has_value());
        QTest::qWait(100);

        const QImage image = window.grab().toImage();
        const QString file = QDir(location.dir()).filePath(theme + QStringLiteral(".png"));
        QVERIFY(image.save(file));
        const RenderStats stats = renderStats(image);
        // A blank or half-drawn window has a handful of colours and almost no "ink".
        QVERIFY2(stats.colours > 40, qPrintable(QString::number(stats.colours)));
        QVERIFY2(stats.inkShare > 0.02, qPrintable(QString::number(stats.inkShare)));
        QCOMPARE(stats.meanLightness < 110, theme == QLatin1String("dark"));
        applyTheme(Theme::System);
    }

    void reportsAStoreThatCannotBeOpened()
    {
        MainWindow window;
        window.show();
        QSignalSpy failed(&window, &MainWindow::storeFailed);
        window.openStoreAsync(QStringLiteral("/nonexistent/store.db"));
        QTRY_COMPARE(failed.count(), 1);
        QVERIFY(failed.at(0).at(0).toString().contains(QStringLiteral("no event store")));
        QVERIFY(window.welcomePage()->isVisible());
        QVERIFY(window.welcomePage()->message().contains(QStringLiteral("no event store")));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
