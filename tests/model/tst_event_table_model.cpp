// The events table of the window: a virtual table as long as the query's count, whose rows are read by key
// around wherever the view looks; exact neighbours, jumps to the end and the middle, go to position and time,
// the live tail, and a store that cannot be opened.

#include "model/event_table_model.h"
#include "storage/time_format.h"
#include "tests/test_stores.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QSemaphore>
#include <QSignalSpy>
#include <QTest>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

using namespace eventscope;

namespace {

// 5000 events over 10 streams; odd ones are "Odd"; every seventh has actor u-7; one event per second.
void fill(const std::string& uri, int events = 5000)
{
    auto store = openStore(uri, true);
    std::vector<AppendRequest> requests;
    for (int i = 0; i < events; ++i) {
        NewEvent e;
        e.type = i % 2 ? "Odd" : "Even";
        e.metadata = i % 7 == 0 ? R"({"userId":"u-7"})" : "{}";
        e.time = parseTime("2024-01-01T00:00:00Z") + Micros(i) * 1'000'000;
        requests.push_back({ "row-" + std::to_string(i % 10), ExpectedVersion::any(), { e } });
    }
    store->append(requests);
}

// Asks for a row as a view would, until its event is there.
bool waitForRow(EventTableModel& model, int row)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < 10000) {
        model.data(model.index(row, EventTableModel::Position));
        if (model.eventAt(row))
            return true;
        QTest::qWait(10);
    }
    return false;
}

} // namespace

class TestEventTableModel : public QObject
{
    Q_OBJECT

private slots:
    void scrollsAnywhere_data() { test::addBackendRows(); }
    void scrollsAnywhere()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        fill(location.uri());
        EventTableModel model(location.uri());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy counted(&model, &EventTableModel::counted);
        model.setQuery({});
        QTRY_COMPARE(counted.count(), 1);
        QCOMPARE(model.rowCount(), 5000);
        QTRY_VERIFY(model.eventAt(0));
        QCOMPARE(model.eventAt(0)->position, 1);
        QCOMPARE(model.data(model.index(0, EventTableModel::Type)).toString(), QStringLiteral("Even"));
        QCOMPARE(model.data(model.index(0, EventTableModel::Actor)).toString(), QStringLiteral("u-7"));
        QVERIFY(model.data(model.index(0, EventTableModel::Time)).toString().endsWith(QLatin1Char('Z')));
        QVERIFY(!model.eventAt(4000)); // nothing is read until a view looks there
        QCOMPARE(model.data(model.index(4000, EventTableModel::IsLoadedRole)).toBool(), false);

        for (int row : { 4999, 2500, 2499, 2000, 4000, 3 }) {
            QVERIFY2(waitForRow(model, row), qPrintable(QString::number(row)));
            QCOMPARE(model.eventAt(row)->position, row + 1);
        }
    }

    // With a filter, positions are not rows: a jump lands on an estimate, but neighbours are exact, the ends
    // are the true ends, and every row holds a matching event in the view's order.
    void filteredJumpsStayConsistent()
    {
        test::StoreLocation location(QStringLiteral("sqlite"));
        fill(location.uri());
        EventTableModel model(location.uri());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        EventQuery query;
        query.actor = "u-7"; // positions 1, 8, 15, ... 4999: 715 events
        query.backward = true;
        QSignalSpy counted(&model, &EventTableModel::counted);
        model.setQuery(query);
        QTRY_COMPARE(counted.count(), 1);
        QCOMPARE(model.rowCount(), 715);
        QVERIFY(waitForRow(model, 714));
        QCOMPARE(model.eventAt(714)->position, 1);
        QVERIFY(waitForRow(model, 0));
        QCOMPARE(model.eventAt(0)->position, 4999);
        QVERIFY(waitForRow(model, 400));
        for (int row = 401; row < 420; ++row) {
            QVERIFY(waitForRow(model, row));
            QCOMPARE(model.eventAt(row)->position, model.eventAt(row - 1)->position - 7);
            QCOMPARE(model.eventAt(row)->actor, std::string("u-7"));
        }
    }

    void goToPositionAndTime_data()
    {
        QTest::addColumn<bool>("newestFirst");
        QTest::addRow("oldest first") << false;
        QTest::addRow("newest first") << true;
    }
    void goToPositionAndTime()
    {
        QFETCH(bool, newestFirst);
        test::StoreLocation location(QStringLiteral("sqlite"));
        fill(location.uri());
        EventTableModel model(location.uri());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        EventQuery query;
        query.types = { "Odd" }; // positions 2, 4, ... 5000
        query.backward = newestFirst;
        QSignalSpy counted(&model, &EventTableModel::counted);
        model.setQuery(query);
        QTRY_COMPARE(counted.count(), 1);
        // What the row holds when it is reported: a view selects it at once.
        QList<std::int64_t> found;
        connect(&model, &EventTableModel::located, this, [&](int row) {
            const Event* event = model.eventAt(row);
            found.append(event ? event->position : -1);
        });
        model.goToPosition(3001); // not an Odd event: the next one in the view's order
        QTRY_COMPARE(found.size(), 1);
        QCOMPARE(found.at(0), newestFirst ? 3000 : 3002);

        // Event i is at 00:00:00 + i seconds, position i + 1.
        model.goToTime(parseTime("2024-01-01T00:20:00.5Z"));
        QTRY_COMPARE(found.size(), 2);
        QCOMPARE(found.at(1), newestFirst ? 1200 : 1202);

        QSignalSpy notFound(&model, &EventTableModel::notFound);
        model.goToTime(parseTime(newestFirst ? "2023-01-01T00:00:00Z" : "2025-01-01T00:00:00Z"));
        QTRY_COMPARE(notFound.count(), 1);
    }

    void liveTail_data() { test::addBackendRows(); }
    void liveTail()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        fill(location.uri(), 300);
        EventTableModel model(location.uri());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        EventQuery query;
        query.types = { "Odd" };
        model.setQuery(query);
        model.setLive(true);
        QTRY_VERIFY(model.isCounted());
        QCOMPARE(model.rowCount(), 150);
        QSignalSpy arrived(&model, &EventTableModel::liveEventsArrived);
        auto writer = openStore(location.uri());
        NewEvent odd;
        odd.type = "Odd";
        NewEvent even;
        even.type = "Even";
        writer->append("row-live", { odd, even, odd });
        QTRY_COMPARE(model.rowCount(), 152);
        QVERIFY(waitForRow(model, 151));
        QCOMPARE(model.eventAt(151)->stream, std::string("row-live"));
        QCOMPARE(model.eventAt(151)->version, 3);
        QVERIFY(model.data(model.index(151, 0), EventTableModel::IsNewRole).toBool());
        QVERIFY(!model.data(model.index(10, 0), EventTableModel::IsNewRole).toBool());
        QTRY_VERIFY_WITH_TIMEOUT(!model.data(model.index(151, 0), EventTableModel::IsNewRole).toBool(), 8000);
        QVERIFY(model.headPosition() >= 303);

        model.setLive(false);
        writer->append("row-live", { odd });
        QTest::qWait(600);
        QCOMPARE(model.rowCount(), 152);
    }

    void oneStreamByVersion()
    {
        test::StoreLocation location(QStringLiteral("sqlite"));
        fill(location.uri());
        EventTableModel model(location.uri());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        EventQuery query;
        query.stream = "row-3";
        model.setQuery(query);
        QTRY_VERIFY(model.isCounted());
        QCOMPARE(model.rowCount(), 500);
        QVERIFY(waitForRow(model, 450));
        QCOMPARE(model.eventAt(450)->version, 451);
        QCOMPARE(model.eventAt(450)->stream, std::string("row-3"));
    }

    // Cancel stops the count; the table still reads page by page as the view asks, to the last event.
    void cancelledCountLeavesTheTableUsable()
    {
        test::StoreLocation location(QStringLiteral("sqlite"));
        fill(location.uri());
        EventTableModel model(location.uri());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy cancelled(&model, &EventTableModel::countCancelled);
        QSignalSpy failed(&model, &EventTableModel::loadFailed);
        EventQuery query;
        query.types = { "Odd" };
        // Hold the workers back until Cancel was pressed, so the count is cancelled, not finished first.
        QSemaphore gate;
        QThreadPool* pool = QThreadPool::globalInstance();
        const int threads = pool->maxThreadCount();
        pool->setMaxThreadCount(1);
        QFuture<void> blocker = QtConcurrent::run([&gate] { gate.acquire(); });
        model.setQuery(query);
        model.cancelCount(); // before the worker has its connection: it stops as soon as it has one
        gate.release();
        blocker.waitForFinished();
        pool->setMaxThreadCount(threads);
        QTRY_COMPARE(cancelled.count(), 1);
        QCOMPARE(failed.count(), 0);
        QVERIFY(!model.isCounted());
        QVERIFY(!model.isCounting());
        QTRY_VERIFY(model.rowCount() > 0);
        while (model.canFetchMore({}) || model.isLoading()) {
            model.fetchMore({});
            QTest::qWait(5);
        }
        QCOMPARE(model.rowCount(), 2500);
        QCOMPARE(model.eventAt(2499)->position, 5000);
    }

    void unreachableStoreReports()
    {
        EventTableModel model("/nonexistent/folder/store.db");
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy failed(&model, &EventTableModel::loadFailed);
        model.setQuery({});
        QTRY_VERIFY(failed.count() >= 1);
        QVERIFY(failed.at(0).at(0).toString().contains(QStringLiteral("no event store")));
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(!model.canFetchMore({}));
    }
};

QTEST_GUILESS_MAIN(TestEventTableModel)
#include "tst_event_table_model.moc"
