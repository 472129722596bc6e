// Store throughput (issue 2): appends in batches of 1 and 100, and read-all of decoded events, for both
// backends, beside a bare SELECT scan of the same SQLite table measured in the same run as the reference.
// PostgreSQL rows run when EVENTSCOPE_TEST_PG names a server. Prints Google Benchmark's table, then a
// summary of medians and ratios.

#include "storage/event_store.h"
#include "storage/store_uri.h"
#include "storage/uuid.h"

#include <benchmark/benchmark.h>
#include <pqxx/pqxx>
#include <sqlite3.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <map>
#include <random>

using namespace eventscope;

namespace {

constexpr int kReadEvents = 200'000;

std::filesystem::path benchDir()
{
    static const auto dir = [] {
        auto path = std::filesystem::temp_directory_path() / ("eventscope-bench-" + std::to_string(::getpid()));
        std::filesystem::create_directories(path);
        return path;
    }();
    return dir;
}

std::string postgresUri(const std::string& schema)
{
    const char* server = std::getenv("EVENTSCOPE_TEST_PG");
    if (!server || !*server)
        return {};
    std::string uri = server;
    return uri + (uri.find('?') == std::string::npos ? "?" : "&") + "schema=" + schema;
}

std::string storeUri(const std::string& backend, const std::string& name)
{
    if (backend == "sqlite")
        return (benchDir() / (name + ".db")).string();
    return postgresUri(name + "_" + std::to_string(::getpid()));
}

// One command's worth of events: a batch shares its correlation and causation, as the events one command
// handler appends do. Each event has its own data.
NewEvent sampleEvent(std::mt19937_64& rng, int i, const std::string& metadata)
{
    NewEvent e;
    e.type = (i % 3 == 0) ? "MoneyDeposited" : (i % 3 == 1) ? "MoneyWithdrawn" : "OrderPlaced";
    e.data = "{\"amount\":" + std::to_string(rng() % 100000) + ",\"currency\":\"EUR\",\"note\":\"bench event "
        + std::to_string(i) + "\",\"lines\":[{\"sku\":\"sku-" + std::to_string(rng() % 60) + "\",\"quantity\":2}]}";
    e.metadata = metadata;
    return e;
}

std::string commandMetadata(std::mt19937_64& rng)
{
    return "{\"correlationId\":\"c-" + std::to_string(rng() % 100000) + "\",\"causationId\":\"k-"
        + std::to_string(rng()) + "\",\"userId\":\"u-" + std::to_string(rng() % 25) + "\",\"schemaVersion\":2}";
}

void appendBench(benchmark::State& state, const std::string& backend)
{
    const auto batch = static_cast<int>(state.range(0));
    static int run = 0; // a fresh store for every run, like the bare INSERT references
    const std::string uri = storeUri(backend, "append_" + std::to_string(batch) + "_" + std::to_string(++run));
    if (uri.empty()) {
        state.SkipWithError("EVENTSCOPE_TEST_PG is not set");
        return;
    }
    auto store = openStore(uri, true);
    std::mt19937_64 rng(1);
    int n = 0;
    std::vector<NewEvent> events;
    for (auto _ : state) {
        state.PauseTiming();
        events.clear();
        const std::string metadata = commandMetadata(rng);
        for (int i = 0; i < batch; ++i)
            events.push_back(sampleEvent(rng, n++, metadata));
        const std::string stream = "account-" + std::to_string(rng() % 1000);
        state.ResumeTiming();
        store->append(stream, std::move(events));
    }
    state.SetItemsProcessed(state.iterations() * batch);
}

// The reference for appends: plain INSERTs of ready-made rows, 100 a transaction, into the events table of a
// store made by the same code (so the same columns and indexes), with no checks, no JSON and no hashing.
// It is the ceiling the database itself allows on this machine.
void bareSqliteInsert(benchmark::State& state)
{
    static int run = 0; // every repetition starts from an empty store, as appendBench's first one does
    const std::string path = storeUri("sqlite", "bare_insert_" + std::to_string(++run));
    openStore(path, true);
    sqlite3* db = nullptr;
    sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr);
    sqlite3_exec(
        db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536", nullptr, nullptr, nullptr);
    sqlite3_stmt* insert = nullptr;
    sqlite3_prepare_v2(db,
        "INSERT INTO events(stream, version, id, type, category, time, data, metadata, correlation, causation, "
        "actor, schema_version, hash) VALUES (?, ?, ?, ?, 'account', ?, ?, ?, ?, ?, ?, 2, ?)",
        -1, &insert, nullptr);
    std::mt19937_64 rng(3);
    std::vector<std::int64_t> versions(1000);
    const std::string hash(64, 'a');
    std::int64_t n = 0;
    for (auto _ : state) {
        state.PauseTiming();
        const auto streamIndex = static_cast<std::size_t>(rng() % versions.size());
        const std::string stream = "account-" + std::to_string(streamIndex);
        const std::string metadata = commandMetadata(rng);
        std::vector<NewEvent> events;
        std::vector<std::string> ids;
        for (int i = 0; i < 100; ++i) {
            events.push_back(sampleEvent(rng, static_cast<int>(n + i), metadata));
            ids.push_back(makeUuid());
        }
        const std::string correlation = "c-" + std::to_string(rng() % 100000);
        const std::string causation = "k-" + std::to_string(rng());
        state.ResumeTiming();
        sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
        for (int i = 0; i < 100; ++i) {
            const NewEvent& e = events[static_cast<std::size_t>(i)];
            sqlite3_bind_text(insert, 1, stream.c_str(), -1, SQLITE_STATIC);
            sqlite3_bind_int64(insert, 2, ++versions[streamIndex]);
            sqlite3_bind_text(insert, 3, ids[static_cast<std::size_t>(i)].c_str(), -1, SQLITE_STATIC);
            sqlite3_bind_text(insert, 4, e.type.c_str(), -1, SQLITE_STATIC);
            sqlite3_bind_int64(insert, 5, 1'700'000'000'000'000 + n);
            sqlite3_bind_text(insert, 6, e.data.c_str(), -1, SQLITE_STATIC);
            sqlite3_bind_text(insert, 7, e.metadata.c_str(), -1, SQLITE_STATIC);
            sqlite3_bind_text(insert, 8, correlation.c_str(), -1, SQLITE_STATIC);
            sqlite3_bind_text(insert, 9, causation.c_str(), -1, SQLITE_STATIC);
            sqlite3_bind_text(insert, 10, "u-5", -1, SQLITE_STATIC);
            sqlite3_bind_text(insert, 11, hash.c_str(), -1, SQLITE_STATIC);
            sqlite3_step(insert);
            sqlite3_reset(insert);
            ++n;
        }
        sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    }
    sqlite3_finalize(insert);
    sqlite3_close(db);
    state.SetItemsProcessed(state.iterations() * 100);
}

// The same for PostgreSQL: one INSERT of 100 ready-made rows from arrays, into a store's own events table.
void barePostgresInsert(benchmark::State& state)
{
    static int run = 0;
    const std::string uri = storeUri("postgresql", "bare_insert_" + std::to_string(++run));
    if (uri.empty()) {
        state.SkipWithError("EVENTSCOPE_TEST_PG is not set");
        return;
    }
    openStore(uri, true);
    const StoreUri parsed = StoreUri::parse(uri);
    pqxx::connection conn(parsed.connection);
    conn.prepare("insert",
        "INSERT INTO " + parsed.schema
            + ".events(position, stream, version, id, type, category, time, time_us, data, metadata, correlation, "
              "causation, actor, schema_version, hash) "
              "SELECT $1::bigint + o, $2, $3::bigint + o, u.id, u.type, 'account', now(), 0, u.data, u.metadata, "
              "$4, $5, 'u-5', 2, repeat('a', 64) "
              "FROM unnest($6::uuid[], $7::text[], $8::json[], $9::json[]) WITH ORDINALITY AS u(id, type, data, "
              "metadata, o)");
    std::mt19937_64 rng(4);
    std::int64_t position = 1'000'000'000;
    std::int64_t version = 0;
    auto arrayOf = [&](const std::vector<std::string>& values) {
        std::string out = "{";
        for (const auto& v : values) {
            out += out.size() > 1 ? ",\"" : "\"";
            for (const char c : v) {
                if (c == '"' || c == '\\')
                    out += '\\';
                out += c;
            }
            out += '"';
        }
        return out + "}";
    };
    for (auto _ : state) {
        state.PauseTiming();
        const std::string metadata = commandMetadata(rng);
        std::vector<std::string> ids, types, datas, metadatas;
        for (int i = 0; i < 100; ++i) {
            const NewEvent e = sampleEvent(rng, i, metadata);
            ids.push_back(makeUuid());
            types.push_back(e.type);
            datas.push_back(e.data);
            metadatas.push_back(e.metadata);
        }
        const std::string stream = "ref-" + std::to_string(position);
        const std::string idArray = arrayOf(ids), typeArray = arrayOf(types), dataArray = arrayOf(datas),
                          metadataArray = arrayOf(metadatas);
        state.ResumeTiming();
        pqxx::work tx(conn);
        tx.exec_prepared("insert", position, stream, version, "c-" + std::to_string(rng() % 100000),
            "k-" + std::to_string(rng()), idArray, typeArray, dataArray, metadataArray);
        tx.commit();
        position += 100;
    }
    state.SetItemsProcessed(state.iterations() * 100);
}

std::map<std::string, std::string> g_readStores;

const std::string& readStore(const std::string& backend)
{
    auto it = g_readStores.find(backend);
    if (it != g_readStores.end())
        return it->second;
    const std::string uri = storeUri(backend, "read");
    if (!uri.empty()) {
        auto store = openStore(uri, true);
        std::mt19937_64 rng(2);
        for (int done = 0; done < kReadEvents;) {
            std::vector<AppendRequest> requests;
            for (int i = 0; i < 5000; ++i, ++done)
                requests.push_back({ "account-" + std::to_string(rng() % 20000), ExpectedVersion::any(),
                    { sampleEvent(rng, done, commandMetadata(rng)) } });
            store->append(requests);
        }
    }
    return g_readStores.emplace(backend, uri).first->second;
}

void readAllBench(benchmark::State& state, const std::string& backend)
{
    const std::string& uri = readStore(backend);
    if (uri.empty()) {
        state.SkipWithError("EVENTSCOPE_TEST_PG is not set");
        return;
    }
    auto store = openStore(uri);
    std::int64_t total = 0;
    for (auto _ : state) {
        EventQuery query;
        query.limit = 1000;
        for (;;) {
            const EventPage page = store->read(query);
            total += static_cast<std::int64_t>(page.events.size());
            benchmark::DoNotOptimize(page.events.data());
            if (!page.next)
                break;
            query.fromPosition = page.next;
        }
    }
    state.SetItemsProcessed(total);
}

// The reference: the same rows of the same table through sqlite3 alone, every column touched.
void bareSqliteScan(benchmark::State& state)
{
    const std::string& path = readStore("sqlite");
    sqlite3* db = nullptr;
    sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db,
        "SELECT position, stream, version, id, type, time, data, metadata, correlation, causation, actor, "
        "schema_version, hash FROM events ORDER BY position",
        -1, &stmt, nullptr);
    std::int64_t total = 0;
    for (auto _ : state) {
        std::size_t bytes = 0;
        while (sqlite3_step(stmt) == SQLITE_ROW) {
            for (int c = 0; c < 13; ++c) {
                benchmark::DoNotOptimize(sqlite3_column_text(stmt, c));
                bytes += static_cast<std::size_t>(sqlite3_column_bytes(stmt, c));
            }
            ++total;
        }
        sqlite3_reset(stmt);
        benchmark::DoNotOptimize(bytes);
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    state.SetItemsProcessed(total);
}

// Keeps each run's items/s so that the summary can give medians and ratios.
class SummaryReporter : public benchmark::ConsoleReporter
{
public:
    void ReportRuns(const std::vector<Run>& runs) override
    {
        ConsoleReporter::ReportRuns(runs);
        for (const Run& run : runs) {
            if (run.run_type != Run::RT_Iteration || run.error_occurred)
                continue;
            const auto it = run.counters.find("items_per_second");
            if (it != run.counters.end())
                rates[run.run_name.function_name + (run.run_name.args.empty() ? "" : "/" + run.run_name.args)]
                    .push_back(it->second.value);
        }
    }
    std::map<std::string, std::vector<double>> rates;
};

double median(std::vector<double> values)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const std::size_t mid = values.size() / 2;
    return values.size() % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

} // namespace

BENCHMARK_CAPTURE(appendBench, sqlite, std::string("sqlite"))->Arg(1)->Arg(100)->MinTime(2.0)->UseRealTime();
BENCHMARK_CAPTURE(appendBench, postgresql, std::string("postgresql"))->Arg(1)->Arg(100)->MinTime(2.0)->UseRealTime();
BENCHMARK(bareSqliteInsert)->MinTime(2.0)->UseRealTime();
BENCHMARK(barePostgresInsert)->MinTime(2.0)->UseRealTime();
BENCHMARK(bareSqliteScan)->Unit(benchmark::kMillisecond)->MinTime(1.0)->UseRealTime();
BENCHMARK_CAPTURE(readAllBench, sqlite, std::string("sqlite"))
    ->Unit(benchmark::kMillisecond)
    ->MinTime(1.0)
    ->UseRealTime();
BENCHMARK_CAPTURE(readAllBench, postgresql, std::string("postgresql"))
    ->Unit(benchmark::kMillisecond)
    ->MinTime(1.0)
    ->UseRealTime();

int main(int argc, char** argv)
{
    benchmark::Initialize(&argc, argv);
    SummaryReporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    std::cout << "\nSummary (median events/s over repetitions)\n";
    std::cout << std::left << std::setw(34) << "benchmark" << std::right << std::setw(14) << "events/s" << std::setw(12)
              << "target" << std::setw(10) << "met" << '\n';
    struct Target
    {
        const char* name;
        double target;
    };
    const double bare = median(reporter.rates["bareSqliteScan"]);
    const double bareSqliteInsertRate = median(reporter.rates["bareSqliteInsert"]);
    const double barePostgresInsertRate = median(reporter.rates["barePostgresInsert"]);
    for (const Target& t : { Target { "appendBench/sqlite/1", 0 }, Target { "appendBench/sqlite/100", 120000 },
             Target { "appendBench/postgresql/1", 4000 }, Target { "appendBench/postgresql/100", 60000 },
             Target { "bareSqliteInsert", 0 }, Target { "barePostgresInsert", 0 }, Target { "bareSqliteScan", 0 },
             Target { "readAllBench/sqlite", 0.4 * bare }, Target { "readAllBench/postgresql", 0 } }) {
        auto it = reporter.rates.find(t.name);
        if (it == reporter.rates.end())
            continue;
        const double rate = median(it->second);
        std::cout << std::left << std::setw(34) << t.name << std::right << std::setw(14) << std::fixed
                  << std::setprecision(0) << rate << std::setw(12)
                  << (t.target > 0 ? std::to_string(long(t.target)) : "-") << std::setw(10)
                  << (t.target > 0 ? (rate >= t.target ? "yes" : "NO") : "") << '\n';
    }
    if (bareSqliteInsertRate > 0 && reporter.rates.count("appendBench/sqlite/100"))
        std::cout << "append batch 100 / bare INSERT (SQLite): " << std::setprecision(2)
                  << median(reporter.rates["appendBench/sqlite/100"]) / bareSqliteInsertRate << '\n';
    if (barePostgresInsertRate > 0 && reporter.rates.count("appendBench/postgresql/100"))
        std::cout << "append batch 100 / bare INSERT (PostgreSQL): " << std::setprecision(2)
                  << median(reporter.rates["appendBench/postgresql/100"]) / barePostgresInsertRate << '\n';
    if (bare > 0 && reporter.rates.count("readAllBench/sqlite"))
        std::cout << "read-all / bare scan (SQLite): " << std::setprecision(2)
                  << median(reporter.rates["readAllBench/sqlite"]) / bare << '\n';
    std::error_code ec;
    std::filesystem::remove_all(benchDir(), ec);
    benchmark::Shutdown();
    return 0;
}
