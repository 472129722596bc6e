// The window never stalls (issue 3, DESIGN §9): while a one-million-event store opens and the table is scrolled
// to the end, the middle and back, a watchdog timer on the UI thread never sees a gap above 50 ms.

#include "model/event_table_model.h"
#include "storage/event_store.h"
#include "tests/test_stores.h"
#include "ui/events_page.h"
#include "ui/main_window.h"

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QScrollBar>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>
#include <QTimer>

using namespace eventscope;

namespace {

// Ticks every few milliseconds on the UI thread and keeps the longest time between two ticks.
class Watchdog : public QObject
{
public:
    Watchdog()
    {
        m_timer.setInterval(5);
        m_timer.setTimerType(Qt::PreciseTimer);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            const qint64 gap = m_sinceTick.restart();
            if (gap > m_longest) {
                m_longest = gap;
                m_longestPhase = phase;
            }
        });
    }
    void start()
    {
        m_sinceTick.start();
        m_timer.start();
    }
    void stop() { m_timer.stop(); }
    qint64 longestGap() const { return m_longest; }
    QString longestPhase() const { return m_longestPhase; }
    QString phase = QStringLiteral("opening");

private:
    QTimer m_timer;
    QElapsedTimer m_sinceTick;
    qint64 m_longest = 0;
    QString m_longestPhase;
};

// The view shows a window of the rows (RowWindowModel); its rows say whether their event is in.
bool loaded(QTableView* view, int windowRow)
{
    return windowRow >= 0 && view->model()->index(windowRow, 0).data(EventTableModel::IsLoadedRole).toBool();
}

bool topRowLoaded(QTableView* view)
{
    return loaded(view, view->rowAt(0)) && loaded(view, view->rowAt(view->viewport()->height() - 2));
}

} // namespace

class TestResponsiveness : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void neverStallsOnAMillionEvents()
    {
#if defined(__SANITIZE_ADDRESS__)
        QSKIP("UI-thread timings under AddressSanitizer say nothing about the window people run");
#endif
        test::StoreLocation location(QStringLiteral("sqlite"));
        const int total = 1'000'000;
        {
            auto store = openStore(location.uri(), true);
            std::vector<AppendRequest> batch;
            for (int i = 0; i < total; ++i) {
                NewEvent e;
                e.type = i % 3 ? "ItemAdded" : "CartOpened";
                e.data = "{\"sku\":\"s-" + std::to_string(i % 977) + "\",\"quantity\":1}";
                e.metadata = "{\"userId\":\"u-" + std::to_string(i % 17) + "\"}";
                batch.push_back({ "cart-" + std::to_string(i % 40'000), ExpectedVersion::any(), { std::move(e) } });
                if (batch.size() == 10'000) {
                    store->append(batch);
                    batch.clear();
                }
            }
        }

        MainWindow window;
        window.resize(1400, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        Watchdog watchdog;
        watchdog.start();
        QSignalSpy opened(&window, &MainWindow::storeOpened);
        window.openStoreAsync(QString::fromStdString(location.uri()));
        QTRY_COMPARE(opened.count(), 1);
        QTableView* view = window.eventsView();
        QTRY_COMPARE_WITH_TIMEOUT(window.eventsModel()->rowCount(), total, 10000);
        watchdog.phase = QStringLiteral("first page");
        QTRY_VERIFY(topRowLoaded(view));

        QScrollBar* bar = window.eventsPage()->scrollBar();
        QList<int> targets { bar->maximum(), bar->maximum() / 2, bar->maximum() / 4, 0 };
        auto* random = QRandomGenerator::global();
        for (int i = 0; i < 6; ++i)
            targets.append(random->bounded(bar->maximum()));
        for (const int target : std::as_const(targets)) {
            watchdog.phase = QStringLiteral("jumping to row %1").arg(target);
            bar->setValue(target);
            QTRY_VERIFY_WITH_TIMEOUT(topRowLoaded(view), 5000);
            QTest::qWait(30);
        }
        // A person paging down and up a while.
        watchdog.phase = QStringLiteral("paging");
        for (int i = 0; i < 30; ++i) {
            bar->triggerAction(i < 20 ? QAbstractSlider::SliderPageStepAdd : QAbstractSlider::SliderPageStepSub);
            QTest::qWait(15);
        }
        QTRY_VERIFY_WITH_TIMEOUT(topRowLoaded(view), 5000);
        // Rows are exact neighbours wherever the view went: positions run without a gap down the screen.
        const int top = view->rowAt(0);
        const auto position
            = [&](int row) { return view->model()->index(row, 0).data(EventTableModel::PositionRole).toLongLong(); };
        for (int row = top + 1; row < top + 10; ++row)
            QCOMPARE(position(row), position(row - 1) + 1);
        watchdog.stop();
        qInfo("longest gap between UI-thread ticks: %lld ms, while %s", watchdog.longestGap(),
            qPrintable(watchdog.longestPhase()));
        QVERIFY2(watchdog.longestGap() <= 50,
            qPrintable(QStringLiteral("the UI thread stalled for %1 ms while %2")
                           .arg(watchdog.longestGap())
                           .arg(watchdog.longestPhase())));
    }
};

QTEST_MAIN(TestResponsiveness)
#include "tst_responsiveness.moc"
