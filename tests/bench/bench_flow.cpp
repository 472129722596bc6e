// A correlation flow of 5,000 events across 200 streams (issue 6): read from the store, joined by causation, laid
// out by Graphviz and drawn as swimlanes and as the graph, beside a reference measured in the same run: a bare
// SQLite read of the same rows by the correlation index. Target: read, built and laid out in under a second.
//
//   bench_flow [EVENTS] [STREAMS] [RUNS]      (release preset; QT_QPA_PLATFORM=offscreen without a display)
//   With EVENTSCOPE_TEST_PG set, the same flow is also read from a PostgreSQL store.

#include "model/flow_collector.h"
#include "model/flow_job.h"
#include "model/flow_layout.h"
#include "storage/event_store.h"
#include "ui/flow_graph_view.h"
#include "ui/flow_lanes_view.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QUuid>

#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <random>
#include <string>
#include <vector>

using namespace eventscope;

namespace {

const std::string kCorrelation = "flow-under-test";

std::string uuidFor(int n)
{
    char text[40];
    std::snprintf(text, sizeof text, "00000000-0000-4000-8000-%012d", n);
    return text;
}

// The flow: each event caused by one of the ten before it (fan-out and long chains both), in one of `streams`
// streams; and four times as many events of other correlations around it, so that the index has to pick.
void fill(EventStore& store, int events, int streams)
{
    std::mt19937 random(6);
    Micros time = 1'700'000'000'000'000;
    std::vector<AppendRequest> batch;
    int noise = 0;
    for (int i = 1; i <= events; ++i) {
        for (int k = 0; k < 4; ++k) {
            NewEvent other;
            other.type = "Noise";
            other.metadata = "{\"correlationId\":\"other-" + std::to_string(++noise % 997) + "\"}";
            other.time = time += 500;
            batch.push_back({ "noise-" + std::to_string(noise % 300), ExpectedVersion::any(), { std::move(other) } });
        }
        NewEvent event;
        event.id = uuidFor(i);
        event.type = "Step" + std::to_string(i % 17);
        nlohmann::json metadata { { "correlationId", kCorrelation } };
        if (i > 1)
            metadata["causationId"] = uuidFor(std::max(1, i - 1 - static_cast<int>(random() % 10)));
        event.metadata = metadata.dump();
        event.data = "{\"n\":" + std::to_string(i) + "}";
        event.time = time += 1000 + random() % 50'000;
        const int stream = i % streams;
        batch.push_back({ "part" + std::to_string(stream % 7) + "-" + std::to_string(stream), ExpectedVersion::any(),
            { std::move(event) } });
        if (batch.size() >= 5000) {
            store.append(batch);
            batch.clear();
        }
    }
    if (!batch.empty())
        store.append(batch);
}

// The floor any reader pays: the same rows by the same index, every column read, nothing built.
std::size_t bareSqliteRead(const std::string& path)
{
    sqlite3* db = nullptr;
    sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt* statement = nullptr;
    sqlite3_prepare_v2(db,
        "SELECT position, stream, version, id, type, time, data, metadata, causation FROM events "
        "WHERE correlation = ? ORDER BY position",
        -1, &statement, nullptr);
    sqlite3_bind_text(statement, 1, kCorrelation.c_str(), -1, SQLITE_STATIC);
    std::size_t bytes = 0;
    while (sqlite3_step(statement) == SQLITE_ROW)
        for (int column = 0; column < 9; ++column)
            bytes += static_cast<std::size_t>(sqlite3_column_bytes(statement, column));
    sqlite3_finalize(statement);
    sqlite3_close(db);
    return bytes;
}

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

double timeMs(const std::function<void()>& work)
{
    QElapsedTimer clock;
    clock.start();
    work();
    return static_cast<double>(clock.nsecsElapsed()) / 1e6;
}

} // namespace

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    const int events = argc > 1 ? std::atoi(argv[1]) : 5000;
    const int streams = argc > 2 ? std::atoi(argv[2]) : 200;
    const int runs = argc > 3 ? std::atoi(argv[3]) : 5;
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("flow.db")).toStdString();
    {
        auto store = openStore(path, true);
        fill(*store, events, streams);
    }
    std::fprintf(stderr, "store: %d flow events in %d streams, %d other events\n", events, streams, events * 4);

    std::vector<double> bare, collect, build, layout, lanes, graph, total;
    FlowGraph flow;
    FlowLayout drawn;
    std::size_t edges = 0, lanesDrawn = 0;
    FlowLanesView lanesView;
    FlowGraphView graphView;
    lanesView.resize(1400, 800);
    graphView.resize(1400, 800);
    for (int run = 0; run < runs; ++run) {
        bare.push_back(timeMs([&] { bareSqliteRead(path); }));
        auto store = openStore(path);
        collect.push_back(timeMs([&] { flow = collectFlow(*store, kCorrelation); }));
        std::vector<Event> copy = flow.events;
        build.push_back(timeMs([&] { flow = buildFlowGraph(kCorrelation, std::move(copy)); }));
        layout.push_back(timeMs([&] { drawn = layoutFlow(flow); }));
        auto result = std::make_shared<FlowResult>();
        result->graph = flow;
        result->layout = drawn;
        result->laidOut = true;
        lanes.push_back(timeMs([&] { lanesView.setFlow(result); }));
        graph.push_back(timeMs([&] { graphView.setFlow(result); }));
        total.push_back(collect.back() + layout.back());
        edges = flow.edges.size();
        lanesDrawn = static_cast<std::size_t>(lanesView.laneCount());
    }

    std::printf("correlation flow, %zu events, %zu edges, %zu lanes, %d runs (medians)\n", flow.events.size(), edges,
        lanesDrawn, runs);
    std::printf("%-58s %10s %10s\n", "measure", "ms", "target");
    std::printf("%-58s %10.1f\n", "bare SQLite read of the flow's rows (reference)", median(bare));
    std::printf("%-58s %10.1f\n", "collect: read by the index and join by causation", median(collect));
    std::printf("%-58s %10.1f\n", "  of which the join alone (events in memory)", median(build));
    std::printf("%-58s %10.1f\n", "Graphviz layout of the causation graph (dot, library)", median(layout));
    std::printf("%-58s %10.1f %10s\n", "collect + layout (what the Flow tab waits for)", median(total), "< 1000");
    std::printf("%-58s %10.1f\n", "swimlanes drawn (FlowLanesView::setFlow)", median(lanes));
    std::printf("%-58s %10.1f\n", "causation graph drawn (FlowGraphView::setFlow)", median(graph));
    std::printf("%-58s %10.1f\n", "collect / bare read", median(collect) / median(bare));
    std::printf("critical path: %zu events\n", flow.criticalPath.size());

    if (const QByteArray server = qgetenv("EVENTSCOPE_TEST_PG"); !server.isEmpty()) {
        const std::string schema = "bench_flow_" + QUuid::createUuid().toString(QUuid::Id128).left(12).toStdString();
        const std::string uri = server.toStdString() + (server.contains('?') ? "&" : "?") + "schema=" + schema;
        auto store = openStore(uri, true);
        fill(*store, events, streams);
        std::vector<double> pg;
        for (int run = 0; run < runs; ++run)
            pg.push_back(timeMs([&] { flow = collectFlow(*store, kCorrelation); }));
        std::printf("%-58s %10.1f\n", "collect from PostgreSQL", median(pg));
    }
    return 0;
}
