// The window onto a long model that the events table shows: its rows map to the right source rows wherever it
// moves, persistent indexes (the selection) follow their rows, and source inserts above, inside and below the
// window keep the view consistent.

#include "model/row_window_model.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QStringListModel>
#include <QTest>

using namespace eventscope;

namespace {

QStringList numbered(int count, const QString& prefix = QStringLiteral("r"))
{
    QStringList rows;
    rows.reserve(count);
    for (int i = 0; i < count; ++i)
        rows.append(prefix + QString::number(i));
    return rows;
}

QString shown(const RowWindowModel& window, int row)
{
    return window.index(row, 0).data().toString();
}

} // namespace

class TestRowWindowModel : public QObject
{
    Q_OBJECT

private slots:
    void mapsRowsWhereverItMoves_data()
    {
        QTest::addColumn<int>("base");
        QTest::addColumn<int>("expectedBase");
        QTest::addRow("start") << 0 << 0;
        QTest::addRow("small step down") << 30 << 30;
        QTest::addRow("far jump") << 5000 << 5000;
        QTest::addRow("past the end is clamped") << 20000 << 9900;
        QTest::addRow("negative is clamped") << -5 << 0;
    }
    void mapsRowsWhereverItMoves()
    {
        QFETCH(int, base);
        QFETCH(int, expectedBase);
        QStringListModel source(numbered(10000));
        RowWindowModel window(100);
        QAbstractItemModelTester tester(&window, QAbstractItemModelTester::FailureReportingMode::QtTest);
        window.setSourceModel(&source);
        QCOMPARE(window.rowCount(), 100);
        window.setBase(base);
        QCOMPARE(window.base(), expectedBase);
        QCOMPARE(window.rowCount(), 100);
        QCOMPARE(shown(window, 0), QStringLiteral("r%1").arg(expectedBase));
        QCOMPARE(shown(window, 99), QStringLiteral("r%1").arg(expectedBase + 99));
        QCOMPARE(window.mapToSource(window.index(5, 0)).row(), expectedBase + 5);
        QCOMPARE(window.mapFromSource(source.index(expectedBase + 7, 0)).row(), 7);
        QVERIFY(!window.mapFromSource(source.index(expectedBase + 100, 0)).isValid());
    }

    void selectionFollowsItsRow()
    {
        QStringListModel source(numbered(10000));
        RowWindowModel window(100);
        QAbstractItemModelTester tester(&window, QAbstractItemModelTester::FailureReportingMode::QtTest);
        window.setSourceModel(&source);
        window.setBase(1000);
        const QPersistentModelIndex selected = window.index(60, 0);
        window.setBase(1040); // down 40: the selected row is now row 20
        QVERIFY(selected.isValid());
        QCOMPARE(selected.row(), 20);
        QCOMPARE(selected.data().toString(), QStringLiteral("r1060"));
        window.setBase(1010); // up 30
        QCOMPARE(selected.row(), 50);
        QCOMPARE(selected.data().toString(), QStringLiteral("r1060"));
        window.setBase(1070); // the row leaves the window
        QVERIFY(!selected.isValid());
        window.ensureVisible(5000, 10);
        QVERIFY(window.base() <= 5000 && window.base() + 100 >= 5010);
    }

    void followsSourceInserts()
    {
        QStringListModel source(numbered(1000));
        RowWindowModel window(100);
        QAbstractItemModelTester tester(&window, QAbstractItemModelTester::FailureReportingMode::QtTest);
        window.setSourceModel(&source);
        QSignalSpy moved(&window, &RowWindowModel::baseChanged);

        // Inside a window at the top: the new rows appear, the last ones drop out of the window.
        source.insertRows(0, 3);
        for (int i = 0; i < 3; ++i)
            source.setData(source.index(i, 0), QStringLiteral("new%1").arg(i));
        QCOMPARE(window.rowCount(), 100);
        QCOMPARE(shown(window, 0), QStringLiteral("new0"));
        QCOMPARE(shown(window, 3), QStringLiteral("r0"));

        // Above a window further down: the same rows stay in view under a new base.
        window.setBase(500);
        const QString before = shown(window, 0);
        source.insertRows(10, 5);
        QCOMPARE(shown(window, 0), before);
        QCOMPARE(window.base(), 505);
        QVERIFY(moved.count() >= 2);

        // Below the window: nothing visible changes.
        source.insertRows(900, 5);
        QCOMPARE(shown(window, 0), before);
        QCOMPARE(window.rowCount(), 100);

        // A short source fills the window as it grows.
        QStringListModel shortSource(numbered(10));
        RowWindowModel small(100);
        QAbstractItemModelTester smallTester(&small, QAbstractItemModelTester::FailureReportingMode::QtTest);
        small.setSourceModel(&shortSource);
        QCOMPARE(small.rowCount(), 10);
        shortSource.insertRows(10, 200);
        QCOMPARE(small.rowCount(), 100);
        shortSource.removeRows(0, 150);
        QCOMPARE(small.rowCount(), 60);
        QCOMPARE(shown(small, 0), QString()); // inserted rows were empty strings
    }

    void forwardsChangesInsideTheWindowOnly()
    {
        QStringListModel source(numbered(1000));
        RowWindowModel window(100);
        QAbstractItemModelTester tester(&window, QAbstractItemModelTester::FailureReportingMode::QtTest);
        window.setSourceModel(&source);
        window.setBase(200);
        QSignalSpy changed(&window, &QAbstractItemModel::dataChanged);
        source.setData(source.index(10, 0), QStringLiteral("x"));
        QCOMPARE(changed.count(), 0);
        source.setData(source.index(250, 0), QStringLiteral("y"));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.at(0).at(0).value<QModelIndex>().row(), 50);
        QCOMPARE(shown(window, 50), QStringLiteral("y"));
    }
};

QTEST_GUILESS_MAIN(TestRowWindowModel)
#include "tst_row_window_model.moc"
