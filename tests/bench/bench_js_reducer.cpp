// The JavaScript reducer's fold (issue 4): ns per event over a long stream held in memory, in batches of the
// size the replay engine reads from SQLite, for reducers that read more or less of each event.
//
//   bench_js_reducer [EVENTS] [BATCH] [RUNS]        (defaults: 1000000 events, batches of 1000, 3 runs)
//
// Build it in the release preset: the numbers of a debug build say nothing.

#include "model/js_reducer.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <time.h>

#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

using namespace eventscope;

namespace {

std::vector<Event> bankStream(int count)
{
    std::mt19937 random(7);
    std::vector<Event> events;
    events.reserve(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) {
        Event e;
        e.position = 1000 + i;
        e.stream = "account-42";
        e.version = i + 1;
        e.id = "0f8fad5b-d9cb-469f-a165-" + std::to_string(700000000000LL + i);
        e.type = random() % 10 < 7 ? "MoneyDeposited" : "MoneyWithdrawn";
        e.time = 1705327200000000LL + i * 1000003LL;
        e.data = R"({"amount":)" + std::to_string(random() % 1000) + R"(,"currency":"EUR"})";
        e.correlation = "c-" + std::to_string(i / 3);
        e.actor = "u-7";
        e.metadata = R"({"correlationId":")" + e.correlation + R"(","userId":"u-7"})";
        events.push_back(std::move(e));
    }
    return events;
}

struct Case
{
    const char* name;
    const char* script;
};

const Case kCases[] = {
    { "skip every event (no handler matches)", R"(({ Other: (s, e) => {} }))" },
    { "$any counts, reads nothing", R"(({ $init: () => ({ n: 0 }), $any: (s) => { s.n++; } }))" },
    { "bank balance (e.data.amount)", R"(({
        $init: () => ({ balance: 0 }),
        MoneyDeposited: (s, e) => { s.balance += e.data.amount; },
        MoneyWithdrawn: (s, e) => { s.balance -= e.data.amount; },
      }))" },
    { "bank + e.time and e.id", R"(({
        $init: () => ({ balance: 0 }),
        MoneyDeposited: (s, e) => { s.balance += e.data.amount; s.at = e.time; s.last = e.id; },
        MoneyWithdrawn: (s, e) => { s.balance -= e.data.amount; s.at = e.time; s.last = e.id; },
      }))" },
    { "bank + e.metadata.userId", R"(({
        $init: () => ({ balance: 0 }),
        MoneyDeposited: (s, e) => { s.balance += e.data.amount; s.by = e.metadata.userId; },
        MoneyWithdrawn: (s, e) => { s.balance -= e.data.amount; s.by = e.metadata.userId; },
      }))" },
    { "bank, KurrentDB names (e.body.amount)", R"(({
        $init: () => ({ balance: 0 }),
        MoneyDeposited: (s, e) => { s.balance += e.body.amount; s.n = e.sequenceNumber; },
        MoneyWithdrawn: (s, e) => { s.balance -= e.body.amount; s.n = e.sequenceNumber; },
      }))" },
};

// Wall and CPU time of the calling thread (the watchdog thread sleeps), the best of `runs` folds: the machine is
// shared, and the best run is the one least disturbed.
struct Timing
{
    double wallNs = 1e300;
    double cpuNs = 1e300;
    std::string state;
};

double threadCpuNs()
{
    timespec t {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) * 1e9 + static_cast<double>(t.tv_nsec);
}

Timing fold(const char* script, const std::vector<Event>& events, std::size_t batch, int runs)
{
    Timing best;
    for (int run = 0; run < runs; ++run) {
        auto reducer = makeJsReducer(script);
        QElapsedTimer timer;
        timer.start();
        const double cpu = threadCpuNs();
        for (std::size_t at = 0; at < events.size(); at += batch) {
            const std::size_t n = std::min(batch, events.size() - at);
            if (const auto failure = reducer->apply(std::span(events).subspan(at, n))) {
                std::fprintf(
                    stderr, "failed at %lld: %s\n", static_cast<long long>(failure->version), failure->message.c_str());
                std::exit(1);
            }
        }
        best.cpuNs = std::min(best.cpuNs, (threadCpuNs() - cpu) / static_cast<double>(events.size()));
        best.wallNs
            = std::min(best.wallNs, static_cast<double>(timer.nsecsElapsed()) / static_cast<double>(events.size()));
        best.state = reducer->state();
    }
    return best;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const int count = argc > 1 ? std::atoi(argv[1]) : 1'000'000;
    const int batch = argc > 2 ? std::atoi(argv[2]) : 1000;
    const int runs = argc > 3 ? std::atoi(argv[3]) : 3;
    if (count <= 0 || batch <= 0 || runs <= 0) {
        std::fprintf(stderr, "usage: bench_js_reducer [EVENTS] [BATCH] [RUNS]\n");
        return 1;
    }
    const std::vector<Event> events = bankStream(count);
    std::printf("%d events in batches of %d, best of %d runs, ns per event\n", count, batch, runs);
    std::printf("%-40s %8s %8s   state\n", "reducer", "wall", "cpu");
    for (const Case& c : kCases) {
        const Timing t = fold(c.script, events, static_cast<std::size_t>(batch), runs);
        std::printf("%-40s %8.0f %8.0f   %s\n", c.name, t.wallNs, t.cpuNs, t.state.substr(0, 50).c_str());
    }
    // The same bank fold in other batch sizes: 1 is a slider's step, 1000 the replay engine's page.
    const std::vector<Event> some(events.begin(), events.begin() + std::min<std::ptrdiff_t>(count, 100'000));
    for (const std::size_t size : { 1, 10, 100, 1000, 10000 }) {
        const Timing t = fold(kCases[2].script, some, size, runs);
        std::printf("bank balance, batches of %-15zu %8.0f %8.0f\n", size, t.wallNs, t.cpuNs);
    }
    return 0;
}
