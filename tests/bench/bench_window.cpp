// The window on a large SQLite store (issue 3): time from "open" to the first painted page of events, time
// from a scroll-bar jump to the end and to the middle until that page is painted, and the process's peak RSS.
// Beside each, the same page read by a bare SQLite query in the same run is the reference.
//
//   bench_window STORE.db [RUNS]        (run with QT_QPA_PLATFORM=offscreen, or under a display)
//
// Prints one line per run and a summary of medians and ratios.

#include "model/event_table_model.h"
#include "ui/events_page.h"
#include "ui/main_window.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace eventscope;

namespace {

// Waits until the viewport has painted with every visible row's event in place; returns the elapsed ms.
class PaintWatch : public QObject
{
public:
    explicit PaintWatch(QTableView* view)
        : m_view(view)
    {
        view->viewport()->installEventFilter(this);
    }
    void arm()
    {
        m_done = false;
        m_clock.start();
    }
    double waitMs(int timeoutMs = 30000)
    {
        QElapsedTimer guard;
        guard.start();
        while (!m_done && guard.elapsed() < timeoutMs)
            QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
        return m_done ? m_elapsedMs : -1;
    }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (event->type() == QEvent::Paint && !m_done && pageLoaded()) {
            m_done = true;
            m_elapsedMs = static_cast<double>(m_clock.nsecsElapsed()) / 1e6;
        }
        return QObject::eventFilter(watched, event);
    }

private:
    bool pageLoaded() const
    {
        // The view shows a window of the rows (RowWindowModel); its rows say whether their event is in.
        const QAbstractItemModel* model = m_view->model();
        const int top = m_view->rowAt(0);
        const int bottom = m_view->rowAt(m_view->viewport()->height() - 2);
        const auto loaded = [&](int row) { return model->index(row, 0).data(EventTableModel::IsLoadedRole).toBool(); };
        return model && top >= 0 && loaded(top) && (bottom < 0 || loaded(bottom));
    }
    QTableView* m_view;
    QElapsedTimer m_clock;
    bool m_done = false;
    double m_elapsedMs = 0;
};

// The reference: one page of 256 decoded rows from `position >= from`, by a bare prepared statement.
double bareSqlitePageMs(const char* path, sqlite3_int64 from)
{
    QElapsedTimer clock;
    clock.start();
    sqlite3* db = nullptr;
    sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt* statement = nullptr;
    sqlite3_prepare_v2(db,
        "SELECT position, stream, version, id, type, time, data, metadata, correlation, causation, actor FROM events "
        "WHERE position >= ? ORDER BY position LIMIT 256",
        -1, &statement, nullptr);
    sqlite3_bind_int64(statement, 1, from);
    std::size_t bytes = 0;
    while (sqlite3_step(statement) == SQLITE_ROW)
        for (int column = 1; column < 11; ++column)
            bytes += static_cast<std::size_t>(sqlite3_column_bytes(statement, column));
    sqlite3_finalize(statement);
    sqlite3_close(db);
    const double ms = static_cast<double>(clock.nsecsElapsed()) / 1e6;
    return bytes > 0 ? ms : -1;
}

sqlite3_int64 maxPosition(const char* path)
{
    sqlite3* db = nullptr;
    sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt* statement = nullptr;
    sqlite3_prepare_v2(db, "SELECT max(position) FROM events", -1, &statement, nullptr);
    sqlite3_step(statement);
    const sqlite3_int64 head = sqlite3_column_int64(statement, 0);
    sqlite3_finalize(statement);
    sqlite3_close(db);
    return head;
}

long peakRssKb()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : status.readAll().split('\n'))
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').first().toLong();
    return -1;
}

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values.empty() ? 0 : values[values.size() / 2];
}

} // namespace

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_window STORE.db [RUNS]\n");
        return 1;
    }
    const QByteArray path = argv[1];
    const int runs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 7;
    const sqlite3_int64 head = maxPosition(path.constData());
    std::printf("store: %lld events; %d runs\n", static_cast<long long>(head), runs);
    std::printf("%-4s %12s %12s %12s %12s %12s %12s\n", "run", "open_ms", "bare_first", "end_ms", "bare_end",
        "middle_ms", "bare_middle");
    std::vector<double> open, end, middle, bareFirst, bareEnd, bareMiddle;
    for (int run = 0; run < runs; ++run) {
        MainWindow window;
        window.resize(1400, 900);
        window.show();
        if (!QTest::qWaitForWindowExposed(&window)) {
            std::fprintf(stderr, "the window was never shown\n");
            return 1;
        }
        PaintWatch watch(window.eventsView());
        QElapsedTimer phases;
        double openedMs = -1;
        QObject::connect(&window, &MainWindow::storeOpened, &window,
            [&] { openedMs = static_cast<double>(phases.nsecsElapsed()) / 1e6; });
        watch.arm();
        phases.start();
        window.openStoreAsync(QString::fromLocal8Bit(path));
        open.push_back(watch.waitMs());
        std::printf("     (store opened after %.1f ms)\n", openedMs);
        QSignalSpy counted(window.eventsModel(), &EventTableModel::counted);
        if (!window.eventsModel()->isCounted() && !counted.wait(30000)) {
            std::fprintf(stderr, "the store was never counted\n");
            return 1;
        }
        QTest::qWait(50);
        QScrollBar* bar = window.eventsPage()->scrollBar();
        watch.arm();
        bar->setValue(bar->maximum());
        end.push_back(watch.waitMs());
        QTest::qWait(50);
        watch.arm();
        bar->setValue(bar->maximum() / 2);
        middle.push_back(watch.waitMs());
        bareFirst.push_back(bareSqlitePageMs(path.constData(), 1));
        bareEnd.push_back(bareSqlitePageMs(path.constData(), head - 255));
        bareMiddle.push_back(bareSqlitePageMs(path.constData(), head / 2));
        std::printf("%-4d %12.1f %12.2f %12.1f %12.2f %12.1f %12.2f\n", run + 1, open.back(), bareFirst.back(),
            end.back(), bareEnd.back(), middle.back(), bareMiddle.back());
        window.close();
    }
    std::printf("\nsummary (medians of %d runs)\n", runs);
    std::printf("%-34s %10s %14s %8s %8s\n", "measure", "window_ms", "bare_page_ms", "ratio", "target");
    std::printf("%-34s %10.1f %14.2f %8.0f %8s\n", "open -> first painted page", median(open), median(bareFirst),
        median(open) / std::max(0.01, median(bareFirst)), "< 300");
    std::printf("%-34s %10.1f %14.2f %8.0f %8s\n", "jump to the end, painted", median(end), median(bareEnd),
        median(end) / std::max(0.01, median(bareEnd)), "< 100");
    std::printf("%-34s %10.1f %14.2f %8.0f %8s\n", "jump to the middle, painted", median(middle), median(bareMiddle),
        median(middle) / std::max(0.01, median(bareMiddle)), "< 100");
    std::printf("%-34s %10.1f MB %20s\n", "peak RSS", static_cast<double>(peakRssKb()) / 1024.0, "< 250 MB");
    return 0;
}
