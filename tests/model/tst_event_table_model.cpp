// The events table of the window: pages arrive from a worker and are appended; fetchMore walks the store by
// key to its end; a new query resets the rows; a store that cannot be opened reports instead of crashing.

#include "model/event_table_model.h"
#include "tests/test_stores.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace eventscope;

class TestEventTableModel : public QObject
{
    Q_OBJECT

private slots:
    void pagesToTheEnd_data() { test::addBackendRows(); }
    void pagesToTheEnd()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        {
            auto store = openStore(location.uri(), true);
            std::vector<AppendRequest> requests;
            for (int i = 0; i < 1234; ++i) {
                NewEvent e;
                e.type = i % 2 ? "Odd" : "Even";
                e.metadata = "{\"userId\":\"u-" + std::to_string(i % 3) + "\"}";
                requests.push_back({ "row-" + std::to_string(i % 10), ExpectedVersion::any(), { e } });
            }
            store->append(requests);
        }
        EventTableModel model(location.uri());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setQuery({});
        QTRY_VERIFY(model.rowCount() >= 500); // the tester itself asks for more pages
        QCOMPARE(model.columnCount(), int(EventTableModel::ColumnCount));
        QCOMPARE(model.data(model.index(0, EventTableModel::Position)).toLongLong(), 1);
        QCOMPARE(model.data(model.index(0, EventTableModel::Type)).toString(), QStringLiteral("Even"));
        QCOMPARE(model.data(model.index(1, EventTableModel::Actor)).toString(), QStringLiteral("u-1"));
        QVERIFY(model.data(model.index(0, EventTableModel::Time)).toString().endsWith(QLatin1Char('Z')));
        while (model.canFetchMore({})) {
            const int before = model.rowCount();
            model.fetchMore({});
            QTRY_VERIFY(model.rowCount() > before);
        }
        QTRY_VERIFY(!model.isLoading());
        QCOMPARE(model.rowCount(), 1234);
        QCOMPARE(model.eventAt(1233)->position, 1234);
        QVERIFY(!model.eventAt(1234));

        EventQuery odd;
        odd.types = { "Odd" };
        odd.backward = true;
        model.setQuery(odd);
        QTRY_VERIFY(model.rowCount() >= 500);
        QCOMPARE(model.eventAt(0)->position, 1234);
        QCOMPARE(model.eventAt(0)->type, std::string("Odd"));
    }

    // Without a view asking for more, only the first page is ever read: a big store opens without loading.
    void loadsOnePageUntilAsked()
    {
        test::StoreLocation location(QStringLiteral("sqlite"));
        {
            auto store = openStore(location.uri(), true);
            std::vector<AppendRequest> requests(
                1200, AppendRequest { "lazy-1", ExpectedVersion::any(), { NewEvent {} } });
            for (auto& request : requests)
                request.events.front().type = "E";
            store->append(requests);
        }
        EventTableModel model(location.uri());
        QSignalSpy loaded(&model, &EventTableModel::pageLoaded);
        model.setQuery({});
        QTRY_COMPARE(loaded.count(), 1);
        QTest::qWait(100);
        QCOMPARE(model.rowCount(), 500);
        QVERIFY(model.canFetchMore({}));
        model.fetchMore({});
        model.fetchMore({}); // a second call while the page loads is ignored, not a duplicate page
        QTRY_COMPARE(loaded.count(), 2);
        QCOMPARE(model.rowCount(), 1000);
        QCOMPARE(model.eventAt(999)->version, 1000);
    }

    void unreachableStoreReports()
    {
        EventTableModel model("/nonexistent/folder/store.db");
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy failed(&model, &EventTableModel::loadFailed);
        model.setQuery({});
        QTRY_COMPARE(failed.count(), 1);
        QVERIFY(failed.at(0).at(0).toString().contains(QStringLiteral("no event store")));
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(!model.canFetchMore({}));
    }
};

QTEST_GUILESS_MAIN(TestEventTableModel)
#include "tst_event_table_model.moc"
