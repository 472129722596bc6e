// The window as a person meets it: open a store, see its events, and a clear message for a store that
// cannot be opened.

#include "model/event_table_model.h"
#include "storage/event_store.h"
#include "tests/test_stores.h"
#include "ui/main_window.h"

#include <QLabel>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTableView>
#include <QTest>

using namespace eventscope;

class TestMainWindow : public QObject
{
    Q_OBJECT

private slots:
    void showsTheEventsOfAStore()
    {
        test::StoreLocation location(QStringLiteral("sqlite"));
        {
            auto store = openStore(location.uri(), true);
            NewEvent e;
            e.type = "OrderPlaced";
            store->append("order-1", { e, e, e });
        }
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy opened(&window, &MainWindow::storeOpened);
        window.openStoreAsync(QString::fromStdString(location.uri()));
        QTRY_COMPARE(opened.count(), 1);
        QTRY_COMPARE(window.eventsView()->model()->rowCount(), 3);
        QVERIFY(window.eventsView()->isVisible());
        const QModelIndex type = window.eventsView()->model()->index(2, EventTableModel::Type);
        QCOMPARE(type.data().toString(), QStringLiteral("OrderPlaced"));
        bool headShown = false;
        for (const QLabel* label : window.statusBar()->findChildren<QLabel*>())
            headShown |= label->text().contains(QStringLiteral("Head position 3"));
        QVERIFY(headShown);
        window.eventsView()->selectRow(1);
        QCOMPARE(window.eventsView()->selectionModel()->selectedRows().size(), 1);
    }

    void reportsAStoreThatCannotBeOpened()
    {
        MainWindow window;
        window.show();
        QSignalSpy failed(&window, &MainWindow::storeFailed);
        window.openStoreAsync(QStringLiteral("/nonexistent/store.db"));
        QTRY_COMPARE(failed.count(), 1);
        QVERIFY(failed.at(0).at(0).toString().contains(QStringLiteral("no event store")));
        bool messageShown = false;
        for (const QLabel* label : window.findChildren<QLabel*>())
            messageShown |= label->isVisible() && label->text().contains(QStringLiteral("no event store"));
        QVERIFY(messageShown);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
