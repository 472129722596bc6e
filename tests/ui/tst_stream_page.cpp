// The Stream tab as a person uses it: open a stream, drag the slider, step with the arrow keys, jump to a
// version, read the state and the diff, pin two moments, see snapshot drift, and a reducer that throws shown
// with its event while the slider stays usable; editing the reducer file replays with the new script.

#include "model/json_tree_model.h"
#include "model/replay.h"
#include "storage/event_store.h"
#include "storage/time_format.h"
#include "tests/test_stores.h"
#include "tests/ui/widget_test_support.h"
#include "ui/changes_view.h"
#include "ui/json_pane.h"
#include "ui/stream_page.h"
#include "ui/timeline_widget.h"

#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QTreeWidget>

using namespace eventscope;
using namespace eventscope::test;

namespace {

// 200 events; the balance after version v is 10 * v, deposits only, one a minute.
void fillAccount(const std::string& uri)
{
    auto store = openStore(uri, true);
    std::vector<NewEvent> events;
    for (int v = 1; v <= 200; ++v) {
        NewEvent e;
        e.type = v % 50 == 0 ? "Audited" : "MoneyDeposited";
        e.data = "{\"amount\":10,\"balance\":" + std::to_string(10 * v) + "}";
        e.time = parseTime("2024-05-01T09:00:00Z") + Micros(v) * 60'000'000;
        events.push_back(e);
    }
    store->append("account-1", events);
}

// The balance the state tree shows.
QString shownBalance(StreamPage& page)
{
    JsonTreeModel* model = page.statePane()->model();
    const QModelIndex balance = model->indexForPath(QStringLiteral("balance"));
    return balance.isValid() ? model->index(balance.row(), JsonTreeModel::Value, balance.parent()).data().toString()
                             : QString();
}

void writeFile(const QString& path, const QByteArray& text)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(text);
}

} // namespace

class TestStreamPage : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void dragStepJumpAndCompare()
    {
        StoreLocation location(QStringLiteral("sqlite"));
        fillAccount(location.uri());
        StreamPage page;
        page.resize(1200, 760);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        page.setStore(QString::fromStdString(location.uri()));
        page.openStream(QStringLiteral("account-1"));
        QTRY_COMPARE(page.shownVersion(), 200);
        QCOMPARE(shownBalance(page), QStringLiteral("2000"));

        // Drag the cursor from version 50 to version 120.
        TimelineWidget* timeline = page.timeline();
        const int from = timeline->xForVersion(50).value();
        const int to = timeline->xForVersion(120).value();
        const int y = timeline->trackRect().center().y();
        QTest::mousePress(timeline, Qt::LeftButton, {}, QPoint(from, y));
        for (int x = from; x <= to; x += 5)
            QTest::mouseMove(timeline, QPoint(x, y), 5);
        QTest::mouseMove(timeline, QPoint(to, y), 5);
        QTest::mouseRelease(timeline, Qt::LeftButton, {}, QPoint(to, y));
        QTRY_COMPARE(page.shownVersion(), page.currentVersion());
        const qint64 dragged = page.currentVersion();
        QVERIFY2(std::abs(dragged - 120) <= 1, qPrintable(QString::number(dragged)));
        QTRY_COMPARE(shownBalance(page), QString::number(10 * dragged));

        // Step back with the arrow key.
        timeline->setFocus();
        QTest::keyClick(timeline, Qt::Key_Left);
        QTRY_COMPARE(page.shownVersion(), dragged - 1);
        QCOMPARE(shownBalance(page), QString::number(10 * (dragged - 1)));

        // Jump to version 10: the diff shows what that event changed.
        page.jumpEdit()->clear();
        QTest::keyClicks(page.jumpEdit(), QStringLiteral("10"));
        QTest::keyClick(page.jumpEdit(), Qt::Key_Return);
        QTRY_COMPARE(page.shownVersion(), 10);
        QCOMPARE(shownBalance(page), QStringLiteral("100"));
        bool balanceChanged = false;
        for (int i = 0; i < page.diffView()->topLevelItemCount(); ++i)
            balanceChanged |= page.diffView()->topLevelItem(i)->text(1) == QLatin1String("balance");
        QVERIFY(balanceChanged);
        // The changed row is marked in the state tree.
        JsonTreeModel* state = page.statePane()->model();
        QCOMPARE(state->indexForPath(QStringLiteral("balance")).data(JsonTreeModel::ChangeRole).toInt(),
            int(JsonTreeModel::Changed));

        // A time jump: 09:30:30 is after version 30 (09:30) and before 31.
        page.jumpEdit()->clear();
        QTest::keyClicks(page.jumpEdit(), QStringLiteral("2024-05-01T11:30:30+02:00"));
        QTest::keyClick(page.jumpEdit(), Qt::Key_Return);
        QTRY_COMPARE(page.shownVersion(), 30);

        // Pin A here, move, pin B: Compare lists the balance.
        QTest::mouseClick(child<QToolButton>(page, "pinAButton"), Qt::LeftButton);
        page.jumpEdit()->clear();
        QTest::keyClicks(page.jumpEdit(), QStringLiteral("75"));
        QTest::keyClick(page.jumpEdit(), Qt::Key_Return);
        QTRY_COMPARE(page.shownVersion(), 75);
        QTest::mouseClick(child<QToolButton>(page, "pinBButton"), Qt::LeftButton);
        QTRY_VERIFY(page.compareView()->changeCount() >= 1);
        QVERIFY(child<QLabel>(page, "pinsLabel")->text().contains(QStringLiteral("75")));

        // Play runs forward on its own.
        QTest::mouseClick(child<QToolButton>(page, "playButton"), Qt::LeftButton);
        QVERIFY(page.isPlaying());
        QTRY_VERIFY(page.shownVersion() > 78);
        QTest::mouseClick(child<QToolButton>(page, "playButton"), Qt::LeftButton);
        QVERIFY(!page.isPlaying());
    }

    void reducerErrorsStayInline()
    {
        StoreLocation location(QStringLiteral("sqlite"));
        fillAccount(location.uri());
        QTemporaryDir folder;
        const QString script = folder.filePath(QStringLiteral("account.js"));
        writeFile(script,
            "({ $init: () => ({ balance: 0 }),\n"
            "   MoneyDeposited: (s, e) => { s.balance += e.data.amount; },\n"
            "   Audited: (s, e) => { if (e.version === 100) throw new Error('audit 100 has no signature'); } })\n");
        StreamPage page;
        page.resize(1200, 760);
        page.show();
        page.setStore(QString::fromStdString(location.uri()));
        page.openStream(QStringLiteral("account-1"));
        page.setReducerFile(script);
        QTRY_VERIFY(page.errorBanner()->isVisible());
        QVERIFY2(
            page.errorBanner()->text().contains(QStringLiteral("version 100")), qPrintable(page.errorBanner()->text()));
        QVERIFY(page.errorBanner()->text().contains(QStringLiteral("no signature")));
        // Before the failing event all is well and the slider moves.
        page.jumpEdit()->clear();
        QTest::keyClicks(page.jumpEdit(), QStringLiteral("60"));
        QTest::keyClick(page.jumpEdit(), Qt::Key_Return);
        QTRY_COMPARE(page.shownVersion(), 60);
        QTRY_VERIFY(!page.errorBanner()->isVisible());
        QCOMPARE(shownBalance(page), QStringLiteral("590")); // 59 deposits before it, one audit

        // Fix the script in an editor: the tab replays with it.
        writeFile(script,
            "({ $init: () => ({ balance: 0 }),\n"
            "   MoneyDeposited: (s, e) => { s.balance += 2 * e.data.amount; } })\n");
        QTRY_COMPARE_WITH_TIMEOUT(shownBalance(page), QStringLiteral("1180"), 10000);
        QVERIFY(!page.errorBanner()->isVisible());
    }

    void snapshotDriftIsListed()
    {
        StoreLocation location(QStringLiteral("sqlite"));
        fillAccount(location.uri());
        {
            auto store = openStore(location.uri());
            auto good = replayStream(*store, "account-1", { std::nullopt, 40 }).state;
            store->saveSnapshot({ "account-1", 40, MergePatchReducer::kName, good.dump(), 0 });
            auto bad = replayStream(*store, "account-1", { std::nullopt, 90 }).state;
            bad["balance"] = 1;
            store->saveSnapshot({ "account-1", 90, MergePatchReducer::kName, bad.dump(), 0 });
        }
        StreamPage page;
        page.show();
        page.setStore(QString::fromStdString(location.uri()));
        page.openStream(QStringLiteral("account-1"));
        QTRY_COMPARE(page.driftList()->topLevelItemCount(), 2);
        QCOMPARE(page.driftList()->topLevelItem(0)->text(0), QStringLiteral("90"));
        QCOMPARE(page.driftList()->topLevelItem(0)->text(2), QStringLiteral("drifted"));
        QCOMPARE(page.driftList()->topLevelItem(1)->text(2), QStringLiteral("equal"));
        page.driftList()->setCurrentItem(page.driftList()->topLevelItem(0));
        auto* changes = child<ChangesView>(page, "driftChanges");
        QCOMPARE(changes->changeCount(), 1);
        QCOMPARE(changes->topLevelItem(0)->text(1), QStringLiteral("balance"));
    }
};

QTEST_MAIN(TestStreamPage)
#include "tst_stream_page.moc"
