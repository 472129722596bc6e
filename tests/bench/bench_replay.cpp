// Time travel on one stream of a million events with a JavaScript reducer (issue 4):
// - first load (read every event, fold it, keep a checkpoint every 1000 events), beside a bare SQLite read of
//   the same rows and a full one-shot replay from event 1, all in the same run;
// - moving to a random moment afterwards (p50, p95, max) beside that full replay;
// - a slider drag in the Stream tab: frames shown per second while the cursor moves at 60 Hz.
//
//   bench_replay [STORE.db] [EVENTS]     (run with QT_QPA_PLATFORM=offscreen; the store is made when missing)

#include "model/replay.h"
#include "model/replay_engine.h"
#include "ui/stream_page.h"
#include "ui/timeline_widget.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <functional>

using namespace eventscope;

namespace {

const char* kReducer = "({ $init: () => ({ balance: 0, deposits: 0, withdrawals: 0 }),"
                       "  MoneyDeposited: (s, e) => { s.balance += e.data.amount; s.deposits++; },"
                       "  MoneyWithdrawn: (s, e) => { s.balance -= e.data.amount; s.withdrawals++; } })";

void makeStream(const std::string& path, int events)
{
    auto store = openStore(path, true);
    std::vector<NewEvent> batch;
    Micros time = 1'700'000'000'000'000;
    for (int v = 1; v <= events; ++v) {
        NewEvent e;
        e.type = v % 3 ? "MoneyDeposited" : "MoneyWithdrawn";
        e.data = "{\"amount\":" + std::to_string(v % 97 + 1) + ",\"currency\":\"EUR\"}";
        time += 250'000;
        e.time = time;
        batch.push_back(std::move(e));
        if (batch.size() == 10'000) {
            store->append("account-1", batch);
            batch.clear();
        }
    }
    if (!batch.empty())
        store->append("account-1", batch);
}

double bareReadMs(const std::string& path)
{
    QElapsedTimer clock;
    clock.start();
    sqlite3* db = nullptr;
    sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt* statement = nullptr;
    sqlite3_prepare_v2(db, "SELECT version, time, type, data FROM events WHERE stream = 'account-1' ORDER BY version",
        -1, &statement, nullptr);
    std::size_t bytes = 0;
    while (sqlite3_step(statement) == SQLITE_ROW)
        bytes += static_cast<std::size_t>(sqlite3_column_bytes(statement, 3));
    sqlite3_finalize(statement);
    sqlite3_close(db);
    return bytes ? static_cast<double>(clock.nsecsElapsed()) / 1e6 : -1;
}

// Processes events until `done` holds or the time runs out.
bool waitUntil(const std::function<bool()>& done, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    while (!done() && clock.elapsed() < timeoutMs)
        QTest::qWait(5);
    return done();
}

double percentile(std::vector<double> values, double share)
{
    std::sort(values.begin(), values.end());
    return values.empty() ? 0 : values[std::min(values.size() - 1, static_cast<std::size_t>(share * values.size()))];
}

} // namespace

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    const std::string path
        = argc > 1 ? argv[1] : QDir::temp().filePath(QStringLiteral("eventscope-bench-replay.db")).toStdString();
    const int events = argc > 2 ? std::atoi(argv[2]) : 1'000'000;
    if (!QFileInfo::exists(QString::fromStdString(path))) {
        std::printf("making %d events in %s …\n", events, path.c_str());
        makeStream(path, events);
    }
    auto store = openStore(path);
    const std::int64_t head = store->streamHead("account-1").value().version;

    const double bare = bareReadMs(path);
    auto reducer = makeJsReducer(kReducer);
    QElapsedTimer clock;
    clock.start();
    const ReplayResult full = replayStream(*store, "account-1", {}, *reducer);
    const double fullMs = static_cast<double>(clock.nsecsElapsed()) / 1e6;

    ReplayEngine engine(*store, "account-1", *reducer);
    clock.restart();
    engine.load();
    const double loadMs = static_cast<double>(clock.nsecsElapsed()) / 1e6;

    std::vector<double> moves;
    QRandomGenerator random(42);
    for (int i = 0; i < 400; ++i) {
        const std::int64_t version = random.bounded(1, static_cast<int>(head) + 1);
        clock.restart();
        const ReplayFrame frame = engine.frameAt(version);
        moves.push_back(static_cast<double>(clock.nsecsElapsed()) / 1e6);
        if (frame.version != version || frame.failure)
            std::printf("wrong frame at %lld\n", static_cast<long long>(version));
    }
    const bool same = nlohmann::json::parse(engine.frameAt(head).state) == nlohmann::json(full.state);

    // The Stream tab while the cursor is dragged across the whole stream at 60 moves a second for 4 s.
    StreamPage page;
    page.resize(1400, 800);
    page.show();
    page.setStore(QString::fromStdString(path));
    QTemporaryDir folder;
    const QString script = folder.filePath(QStringLiteral("bank.js"));
    QFile file(script);
    file.open(QIODevice::WriteOnly);
    file.write(kReducer);
    file.close();
    QSignalSpy shown(&page, &StreamPage::frameShown);
    page.openStream(QStringLiteral("account-1"));
    page.setReducerFile(script);
    if (!waitUntil([&] { return !shown.isEmpty() && page.shownVersion() == head; }, 60000)) {
        std::fprintf(stderr, "the Stream tab never showed the stream\n");
        return 1;
    }
    shown.clear();
    const int moves60Hz = 240;
    clock.restart();
    for (int i = 0; i < moves60Hz; ++i) {
        const qint64 version = 1 + (head - 1) * i / (moves60Hz - 1);
        page.timeline()->setCurrentVersion(version);
        emit page.timeline()->currentVersionChanged(version);
        QTest::qWait(16);
    }
    waitUntil([&] { return page.shownVersion() == head; }, 10000);
    const double dragSeconds = static_cast<double>(clock.nsecsElapsed()) / 1e9;
    const double fps = shown.count() / dragSeconds;

    std::printf("\none stream of %lld events, JavaScript reducer, checkpoints every %d events\n",
        static_cast<long long>(head), engine.checkpointEvery());
    std::printf("%-44s %10s %10s\n", "measure", "value", "target");
    std::printf("%-44s %9.0f ms\n", "bare SQLite read of the stream (reference)", bare);
    std::printf("%-44s %9.0f ms\n", "full one-shot replay from event 1 (reference)", fullMs);
    std::printf("%-44s %9.0f ms %10s\n", "first load (read, fold, checkpoints)", loadMs, "<= 2000");
    std::printf("%-44s %9.2f ms\n", "move to a random moment, p50", percentile(moves, 0.5));
    std::printf("%-44s %9.2f ms %10s\n", "move to a random moment, p95", percentile(moves, 0.95), "<= 5");
    std::printf("%-44s %9.2f ms\n", "move to a random moment, max", percentile(moves, 1.0));
    std::printf("%-44s %9.0f x\n", "full replay / p95 move", fullMs / std::max(0.001, percentile(moves, 0.95)));
    std::printf("%-44s %9.1f /s %9s\n", "slider drag: frames shown", fps, ">= 30");
    std::printf("%-44s %10s\n", "final state equals the full replay", same ? "yes" : "NO");
    return same ? 0 : 1;
}
