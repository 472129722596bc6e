// A projection rebuild over a million events (issue 5), beside references measured in the same run:
// - a bare SQLite scan of the same rows (the floor any reader pays);
// - the bare QJSEngine call rate: the same handlers called once per event from C++ with the event's data parsed
//   in JavaScript, over rows already in memory (what a runtime without batching would cost);
// - the rebuild itself with ProjectionRunner (read, fold, commit states and checkpoint every 1000 events), its
//   events/s and the ratio to the bare call rate;
// - memory: the process's resident size sampled during a rebuild of a store a fifth the size, then of the whole
//   store: it must not grow with the store.
//
//   bench_projection [STORE.db] [EVENTS] [RUNS]     (release preset; the store is made when missing)

#include "model/js_projection.h"
#include "model/projection_runner.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJSEngine>
#include <QTemporaryDir>

#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

using namespace eventscope;

namespace {

const char* kProjection = "fromAll().when({\n"
                          "  $init: function () { return { count: 0, total: 0 }; },\n"
                          "  MoneyDeposited: function (s, e) { s.count++; s.total += e.data.amount; },\n"
                          "  MoneyWithdrawn: function (s, e) { s.count++; s.total -= e.data.amount; }\n"
                          "});\n";

void makeStore(const std::string& path, int events, int streams)
{
    auto store = openStore(path, true);
    Micros time = 1'700'000'000'000'000;
    std::vector<AppendRequest> requests;
    for (int i = 1; i <= events; ++i) {
        NewEvent e;
        e.type = i % 3 ? "MoneyDeposited" : "MoneyWithdrawn";
        e.data = "{\"amount\":" + std::to_string(i % 97 + 1) + ",\"currency\":\"EUR\"}";
        e.metadata = "{\"userId\":\"u-" + std::to_string(i % 50) + "\"}";
        time += 1000;
        e.time = time;
        requests.push_back({ "account-" + std::to_string(i % streams), ExpectedVersion::any(), { std::move(e) } });
        if (requests.size() == 10'000) {
            store->append(requests);
            requests.clear();
        }
    }
    if (!requests.empty())
        store->append(requests);
}

long residentKiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').front().toLong();
    return -1;
}

struct Rows
{
    std::vector<std::string> types;
    std::vector<std::string> data;
};

double bareScan(const std::string& path, Rows* keep, std::int64_t limit)
{
    QElapsedTimer clock;
    clock.start();
    sqlite3* db = nullptr;
    sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt* statement = nullptr;
    const std::string sql = "SELECT position, stream, type, time, data, metadata FROM events WHERE position <= "
        + std::to_string(limit) + " ORDER BY position";
    sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr);
    std::size_t bytes = 0, rows = 0;
    while (sqlite3_step(statement) == SQLITE_ROW) {
        bytes += static_cast<std::size_t>(sqlite3_column_bytes(statement, 4));
        ++rows;
        if (keep) {
            keep->types.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(statement, 2)));
            keep->data.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(statement, 4)));
        }
    }
    sqlite3_finalize(statement);
    sqlite3_close(db);
    const double seconds = static_cast<double>(clock.nsecsElapsed()) / 1e9;
    return bytes ? static_cast<double>(rows) / seconds : -1;
}

// The same handlers called once per event from C++: one crossing and one JSON.parse per event.
double bareCalls(const Rows& rows)
{
    QJSEngine engine;
    const QJSValue call = engine.evaluate(QStringLiteral(
        "(function () {"
        "  var h = { MoneyDeposited: function (s, e) { s.count++; s.total += e.data.amount; },"
        "            MoneyWithdrawn: function (s, e) { s.count++; s.total -= e.data.amount; } };"
        "  var s = { count: 0, total: 0 };"
        "  return function (type, text) { var f = h[type]; if (f) f(s, { type: type, data: JSON.parse(text) });"
        "    return s.count; };"
        "})()"));
    QElapsedTimer clock;
    clock.start();
    double count = 0;
    for (std::size_t i = 0; i < rows.types.size(); ++i)
        count = call.call({ QString::fromStdString(rows.types[i]), QString::fromStdString(rows.data[i]) }).toNumber();
    const double seconds = static_cast<double>(clock.nsecsElapsed()) / 1e9;
    return count > 0 ? static_cast<double>(rows.types.size()) / seconds : -1;
}

struct Rebuild
{
    double eventsPerSecond = 0;
    long peakRssKiB = 0;
    std::int64_t events = 0;
    std::string state;
};

Rebuild rebuild(const std::string& storePath, const std::string& name, std::optional<Micros> until)
{
    auto source = openStore(storePath);
    auto target = openStore(storePath);
    ProjectionRunOptions options;
    options.name = name;
    options.script = kProjection;
    options.reset = true;
    options.until = until;
    options.status = "rebuilding";
    ProjectionRunner runner(*source, *target, options);
    ProjectionControl control;
    Rebuild result;
    const ProjectionRunResult run = runner.run(
        control, [&](const ProjectionProgress&) { result.peakRssKiB = std::max(result.peakRssKiB, residentKiB()); });
    result.peakRssKiB = std::max(result.peakRssKiB, residentKiB());
    result.events = run.eventsDone;
    result.eventsPerSecond = static_cast<double>(run.eventsDone) / run.seconds;
    const auto states = target->projectionStates(name);
    result.state = states.empty() ? "" : states.front().state;
    return result;
}

// The store's own paged read of every event, as the runner reads them (pages of 1000 by position).
double pagedRead(const std::string& path, std::vector<Event>* keep, std::size_t keepAtMost)
{
    auto store = openStore(path);
    EventQuery query;
    query.limit = 1000;
    query.fromPosition = 1;
    QElapsedTimer clock;
    clock.start();
    std::int64_t rows = 0;
    for (;;) {
        EventPage page = store->read(query);
        rows += static_cast<std::int64_t>(page.events.size());
        if (keep)
            for (auto& event : page.events)
                if (keep->size() < keepAtMost)
                    keep->push_back(std::move(event));
        if (!page.next)
            break;
        query.fromPosition = page.next;
    }
    return static_cast<double>(rows) / (static_cast<double>(clock.nsecsElapsed()) / 1e9);
}

// The runtime's fold alone, over events in memory, in batches of 1000.
double foldOnly(const std::vector<Event>& events)
{
    JsProjection projection(kProjection);
    const auto loader = [](const std::vector<std::string>&) { return std::vector<PartitionState> {}; };
    QElapsedTimer clock;
    clock.start();
    for (std::size_t from = 0; from < events.size(); from += 1000) {
        projection.apply(std::span(events).subspan(from, std::min<std::size_t>(1000, events.size() - from)), loader);
        projection.take();
    }
    return static_cast<double>(events.size()) / (static_cast<double>(clock.nsecsElapsed()) / 1e9);
}

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QTemporaryDir dir;
    const QStringList args = app.arguments();
    const std::string path = args.size() > 1 ? args[1].toStdString()
                                             : QString(dir.path() + QStringLiteral("/projection.db")).toStdString();
    const int events = args.size() > 2 ? args[2].toInt() : 1'000'000;
    const int runs = args.size() > 3 ? args[3].toInt() : 3;
    if (!QFileInfo::exists(QString::fromStdString(path))) {
        std::fprintf(stderr, "making a store of %d events in 10,000 streams...\n", events);
        makeStore(path, events, 10'000);
    }
    const Micros fifth = 1'700'000'000'000'000 + Micros(events / 5) * 1000;

    // Memory first, small then whole: resident size is sampled during each run.
    const Rebuild small = rebuild(path, "bench-small", fifth);
    const Rebuild first = rebuild(path, "bench", std::nullopt);
    std::vector<double> scans, calls, rebuilds, reads, folds;
    Rebuild whole;
    for (int run = 0; run < runs; ++run) {
        Rows rows;
        scans.push_back(bareScan(path, nullptr, events));
        bareScan(path, &rows, std::min(events, 300'000));
        calls.push_back(bareCalls(rows));
        std::vector<Event> kept;
        reads.push_back(pagedRead(path, &kept, 300'000));
        folds.push_back(foldOnly(kept));
        whole = rebuild(path, "bench", std::nullopt);
        rebuilds.push_back(whole.eventsPerSecond);
    }
    const double scan = median(scans), call = median(calls), rate = median(rebuilds);
    std::printf("projection rebuild, %d events, SQLite, %d runs (medians)\n", events, runs);
    std::printf("%-58s %14s %10s\n", "measure", "value", "target");
    std::printf("%-58s %10.0f ev/s\n", "bare SQLite scan of the events (reference)", scan);
    std::printf("%-58s %10.0f ev/s\n", "bare QJSEngine call per event (reference)", call);
    std::printf("%-58s %10.0f ev/s\n", "the store's paged read, 1000 a page (part of the rebuild)", median(reads));
    std::printf("%-58s %10.0f ev/s\n", "the runtime's batched fold, events in memory (part)", median(folds));
    std::printf("%-58s %10.0f ev/s %10s\n", "rebuild: read, fold, commit every 1000 events", rate, ">= 300000");
    std::printf("%-58s %13.0f %% %10s\n", "rebuild / bare QJSEngine call rate", 100.0 * rate / call, ">= 60 %");
    std::printf("%-58s %13.0f %%\n", "rebuild / bare SQLite scan", 100.0 * rate / scan);
    std::printf("%-58s %10ld KiB\n", "resident size, rebuild of the first fifth", small.peakRssKiB);
    std::printf("%-58s %10ld KiB\n", "resident size, rebuild of the whole store", first.peakRssKiB);
    std::printf("%-58s %10lld\n", "events folded in the last rebuild", static_cast<long long>(whole.events));
    std::printf("final state: %s\n", whole.state.c_str());

    // The same rebuild on PostgreSQL, when a server is named (a schema of its own, made on first use).
    const QString server = qEnvironmentVariable("EVENTSCOPE_TEST_PG");
    if (!server.isEmpty()) {
        const int pgEvents = std::min(events, 200'000);
        const std::string uri = QString(
            server + (server.contains(u'?') ? u'&' : u'?') + QStringLiteral("schema=bench_projection_%1").arg(pgEvents))
                                    .toStdString();
        if (openStore(uri, true)->headPosition() == 0) {
            std::fprintf(stderr, "making a PostgreSQL store of %d events...\n", pgEvents);
            makeStore(uri, pgEvents, 10'000);
        }
        std::vector<double> pgRates;
        for (int run = 0; run < runs; ++run)
            pgRates.push_back(rebuild(uri, "bench", std::nullopt).eventsPerSecond);
        std::printf("%-58s %10.0f ev/s\n",
            QStringLiteral("rebuild on PostgreSQL, %1 events").arg(pgEvents).toUtf8().constData(), median(pgRates));
    }
    return 0;
}
