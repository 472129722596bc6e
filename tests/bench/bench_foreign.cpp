// Our stores beside the foreign systems' own code (issue 7), side by side in one run on one PostgreSQL server:
// - append: our PostgreSQL store appending single events (one call, one transaction each) against Message DB's
//   message_store.write_message called once per event from Node (one round trip each), and our store appending
//   batches of 100 events (one call each) against Emmett's appendToStream with the same batches, from Node;
// - read all: every event of a foreign store read through our adapter (EventStore::read, pages of 1000 keyed by
//   `next`, decoded into Event) against the system's own reader from Node: Message DB's get_category_messages
//   paged by global position, Emmett's readMessagesBatch (what its consumers pull with).
// The Node side is tests/foreign/bench_messagedb.mjs and bench_emmett.mjs (installed by
// tools/install-foreign-stores.sh); each times only its own loop and prints one JSON line. Every measure is the
// median of RUNS runs, the systems taking turns within a run.
//
// The foreign stores to read are seeded with the libraries' own code before the runs: Message DB by write_message
// itself, called by the server from generate_series (10,000 a transaction), Emmett by appendToStream in batches
// of 100; then ANALYZE, as autovacuum would soon do. Nothing is left behind: the bench schema is dropped and every
// stream named bench<id>… is deleted from the foreign databases, also when the bench fails.
//
//   bench_foreign [POSTGRESQL_URI] [EVENTS] [STREAMS] [BATCHED_EVENTS] [READ_EVENTS] [RUNS]
//     POSTGRESQL_URI   or EVENTSCOPE_TEST_PG; Message DB and Emmett are read in the databases message_store and
//                      emmett of the same server (the last path segment replaced, as tools/test-all.sh does)
//     EVENTS=2000 single appends, STREAMS=100, BATCHED_EVENTS=20000 (batches of 100), READ_EVENTS=100000, RUNS=5

#include "storage/error.h"
#include "storage/event_store.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

#include <pqxx/pqxx>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <random>
#include <string>
#include <vector>

using namespace eventscope;
using namespace Qt::StringLiterals;

namespace {

constexpr int kBatch = 100;

struct Payload
{
    std::string type;
    std::string data;
    std::string metadata;
};

// About 200 bytes of data and of metadata, the shape bench_emmett.mjs seeds with.
Payload payload(int i, int streams)
{
    char data[400], metadata[400];
    std::snprintf(data, sizeof data,
        "{\"accountId\":\"acc-%d\",\"amount\":%d.25,\"currency\":\"EUR\",\"reference\":\"INV-2024-%08d\","
        "\"note\":\"Monthly settlement for contract %d, paid by transfer\",\"channel\":\"online\"}",
        i % streams, i % 997, i, i % 5000);
    std::snprintf(metadata, sizeof metadata,
        "{\"correlationId\":\"c0a80101-0000-4000-8000-%012d\",\"causationId\":\"c0a80101-0000-4000-8000-%012d\","
        "\"userId\":\"u-%d\",\"source\":\"billing-service\",\"schemaVersion\":1,\"traceId\":\"%032d\"}",
        i, i + 1, i % 50, i);
    return { i % 3 == 0 ? "MoneyWithdrawn" : "MoneyDeposited", data, metadata };
}

struct Planned
{
    std::string stream;
    Payload payload;
};

// Single events round robin over the streams; or batches of kBatch consecutive events of one stream, round robin.
std::vector<Planned> plan(const std::string& category, int events, int streams, bool batched)
{
    std::vector<Planned> planned;
    planned.reserve(static_cast<std::size_t>(events));
    for (int i = 0; i < events; ++i) {
        const int stream = batched ? (i / kBatch) % streams : i % streams;
        planned.push_back({ category + "-" + std::to_string(stream), payload(i, streams) });
    }
    return planned;
}

QString writeNdjson(const QTemporaryDir& dir, const std::string& name, const std::vector<Planned>& planned)
{
    const QString path = dir.filePath(QString::fromStdString(name + ".ndjson"));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        fail(ErrorKind::BadInput, "cannot write " + path.toStdString());
    for (const Planned& p : planned)
        file.write(QByteArray::fromStdString("{\"stream\":\"" + p.stream + "\",\"type\":\"" + p.payload.type
            + "\",\"data\":" + p.payload.data + ",\"metadata\":" + p.payload.metadata + "}\n"));
    return path;
}

NewEvent newEvent(const Payload& p)
{
    NewEvent event;
    event.type = p.type;
    event.data = p.data;
    event.metadata = p.metadata;
    return event;
}

double seconds(const QElapsedTimer& clock)
{
    return static_cast<double>(clock.nsecsElapsed()) / 1e9;
}

// Ours, single: one append call (one transaction) per event. A warm-up append first, untimed.
double appendSingle(EventStore& store, const std::string& category, const std::vector<Planned>& planned)
{
    store.append(category + "-warmup", { newEvent(planned.front().payload) });
    QElapsedTimer clock;
    clock.start();
    for (const Planned& p : planned)
        store.append(p.stream, { newEvent(p.payload) }, ExpectedVersion::any());
    return static_cast<double>(planned.size()) / seconds(clock);
}

// Ours, batched: one append call per run of kBatch events of one stream.
double appendBatched(EventStore& store, const std::string& category, const std::vector<Planned>& planned)
{
    store.append(category + "-warmup", { newEvent(planned.front().payload) });
    QElapsedTimer clock;
    clock.start();
    for (std::size_t from = 0; from < planned.size(); from += kBatch) {
        std::vector<NewEvent> events;
        const std::size_t to = std::min(planned.size(), from + kBatch);
        for (std::size_t i = from; i < to; ++i)
            events.push_back(newEvent(planned[i].payload));
        store.append(planned[from].stream, std::move(events), ExpectedVersion::any());
    }
    return static_cast<double>(planned.size()) / seconds(clock);
}

struct ReadResult
{
    double eventsPerSecond = 0;
    std::int64_t events = 0;
};

// Everything through our adapter: pages of 1000 keyed by `next`, each event decoded into Event.
ReadResult readAll(EventStore& store)
{
    EventQuery query;
    query.limit = 1000;
    ReadResult result;
    std::size_t bytes = 0;
    QElapsedTimer clock;
    clock.start();
    for (;;) {
        EventPage page = store.read(query);
        result.events += static_cast<std::int64_t>(page.events.size());
        for (const Event& event : page.events)
            bytes += event.data.size();
        if (!page.next)
            break;
        query.fromPosition = page.next;
    }
    result.eventsPerSecond = bytes ? static_cast<double>(result.events) / seconds(clock) : 0;
    return result;
}

// Runs a Node helper of tests/foreign and returns the JSON line it printed.
QJsonObject node(const char* script, const QStringList& args)
{
    QProcess process;
    process.setWorkingDirectory(QStringLiteral(EVENTSCOPE_SOURCE_DIR));
    process.start(
        QStringLiteral("node"), QStringList { QStringLiteral("tests/foreign/") + QString::fromLatin1(script) } + args);
    if (!process.waitForFinished(30 * 60 * 1000) || process.exitStatus() != QProcess::NormalExit
        || process.exitCode() != 0)
        fail(ErrorKind::Unreachable,
            std::string(script) + " failed: " + process.readAllStandardError().trimmed().toStdString()
                + process.errorString().toStdString());
    const QList<QByteArray> lines = process.readAllStandardOutput().trimmed().split('\n');
    const QJsonObject result = QJsonDocument::fromJson(lines.back()).object();
    if (result.isEmpty())
        fail(ErrorKind::BadInput, std::string(script) + " printed no JSON: " + lines.back().toStdString());
    return result;
}

double rateOf(const QJsonObject& result)
{
    return result.value(u"events").toDouble() / result.value(u"seconds").toDouble();
}

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values.empty() ? 0 : values[values.size() / 2];
}

// The server's URI with its database path replaced, like ${URI%/*}/NAME in tools/test-all.sh.
QString withDatabase(const QString& server, const QString& database)
{
    const qsizetype query = server.indexOf(u'?');
    const QString base = query < 0 ? server : server.left(query);
    const QString rest = query < 0 ? QString() : server.mid(query);
    return base.left(base.lastIndexOf(u'/')) + u'/' + database + rest;
}

std::string randomId()
{
    std::random_device device;
    char id[16];
    std::snprintf(id, sizeof id, "%08x", device());
    return id;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QStringList args = app.arguments().mid(1);
    QString server = qEnvironmentVariable("EVENTSCOPE_TEST_PG");
    if (!args.isEmpty() && args.front().contains(QStringLiteral("://")))
        server = args.takeFirst();
    if (server.isEmpty()) {
        std::fprintf(stderr,
            "usage: bench_foreign POSTGRESQL_URI [EVENTS] [STREAMS] [BATCHED_EVENTS] [READ_EVENTS] "
            "[RUNS] (or set EVENTSCOPE_TEST_PG)\n");
        return 1;
    }
    const auto arg = [&](int i, int otherwise) { return args.size() > i ? args[i].toInt() : otherwise; };
    const int events = arg(0, 2000), streams = arg(1, 100), batchedEvents = arg(2, 20'000);
    const int readEvents = arg(3, 100'000), runs = arg(4, 5);

    const std::string id = "bench" + randomId(); // every stream and category of this run starts with it
    const std::string schema = "bench_" + id.substr(5);
    const QString messageDb = withDatabase(server, QStringLiteral("message_store"));
    const QString emmett = withDatabase(server, QStringLiteral("emmett"));
    const std::string ours = server.toStdString() + (server.contains(u'?') ? "&" : "?") + "schema=" + schema;
    QTemporaryDir dir;

    const auto cleanUp = [&] {
        const auto attempt = [](const std::function<void()>& step) {
            try {
                step();
            } catch (const std::exception& e) {
                std::fprintf(stderr, "cleaning up: %s\n", e.what());
            }
        };
        attempt([&] {
            node("bench_messagedb.mjs", { u"--uri"_s, messageDb, u"--cleanup"_s, QString::fromStdString(id) });
        });
        attempt([&] { node("bench_emmett.mjs", { u"--uri"_s, emmett, u"--cleanup"_s, QString::fromStdString(id) }); });
        attempt([&] {
            pqxx::connection connection(server.toStdString());
            pqxx::nontransaction(connection).exec("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        });
    };

    std::vector<double> oursSingle, mdbSingle, oursBatched, emmettBatched;
    std::vector<double> oursMdbRead, mdbRead, oursEmmettRead, emmettRead;
    std::int64_t oursMdbCount = 0, mdbCount = 0, oursEmmettCount = 0, emmettCount = 0;
    try {
        // The adapters first: they say clearly when Message DB or Emmett is not installed.
        auto messageDbStore = openStore("messagedb+" + messageDb.toStdString());
        auto emmettStore = openStore("emmett+" + emmett.toStdString());
        auto store = openStore(ours, true);

        std::fprintf(stderr, "seeding %d events into Message DB and into Emmett...\n", readEvents);
        const QString readCategory = QString::fromStdString(id + "read");
        const QStringList seed { u"--seed"_s, readCategory, u"--events"_s, QString::number(readEvents), u"--streams"_s,
            QString::number(std::max(1, readEvents / 100)) };
        node("bench_messagedb.mjs", QStringList { u"--uri"_s, messageDb } + seed);
        node("bench_emmett.mjs", QStringList { u"--uri"_s, emmett } + seed);

        // Reads first, while the foreign stores hold just what was seeded (and whatever else was there).
        for (int run = 0; run < runs; ++run) {
            std::fprintf(stderr, "reads, run %d of %d...\n", run + 1, runs);
            ReadResult read = readAll(*messageDbStore);
            oursMdbRead.push_back(read.eventsPerSecond);
            oursMdbCount = read.events;
            QJsonObject theirs = node("bench_messagedb.mjs", { u"--uri"_s, messageDb, u"--read"_s, readCategory });
            mdbRead.push_back(rateOf(theirs));
            mdbCount = theirs.value(u"events").toInteger();
            read = readAll(*emmettStore);
            oursEmmettRead.push_back(read.eventsPerSecond);
            oursEmmettCount = read.events;
            theirs = node("bench_emmett.mjs", { u"--uri"_s, emmett, u"--read"_s });
            emmettRead.push_back(rateOf(theirs));
            emmettCount = theirs.value(u"events").toInteger();
        }

        for (int run = 0; run < runs; ++run) {
            std::fprintf(stderr, "appends, run %d of %d...\n", run + 1, runs);
            const std::string single = id + "s" + std::to_string(run), batched = id + "b" + std::to_string(run);
            const auto singles = plan(single, events, streams, false);
            const auto batches = plan(batched, batchedEvents, streams, true);
            const QString singleFile = writeNdjson(dir, single, singles);
            const QString batchedFile = writeNdjson(dir, batched, batches);

            oursSingle.push_back(appendSingle(*store, single, singles));
            mdbSingle.push_back(
                rateOf(node("bench_messagedb.mjs", { u"--uri"_s, messageDb, u"--append"_s, singleFile })));
            oursBatched.push_back(appendBatched(*store, batched, batches));
            emmettBatched.push_back(rateOf(node("bench_emmett.mjs",
                { u"--uri"_s, emmett, u"--append"_s, batchedFile, u"--batch"_s, QString::number(kBatch) })));
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_foreign: %s\n", e.what());
        cleanUp();
        return 2;
    }
    cleanUp();

    const auto line = [](const std::string& measure, double value, const char* unit, const char* target = "",
                          double goal = 0) {
        const char* mark = goal == 0 ? "" : value >= goal ? "  met" : "  MISSED";
        std::printf("%-66s %10.*f %-4s %8s%s\n", measure.c_str(), unit[0] == 'x' ? 2 : 0, value, unit, target, mark);
    };
    std::printf("foreign stores beside our PostgreSQL store, one server, %d runs (medians)\n", runs);
    std::printf("%-66s %15s %8s\n", "measure", "value", "target");
    const std::string n = std::to_string(events), nb = std::to_string(batchedEvents);
    line("append, ours, " + n + " single events over " + std::to_string(streams) + " streams", median(oursSingle),
        "ev/s");
    line("append, Message DB write_message per event (Node, pg)", median(mdbSingle), "ev/s");
    line("  ours single / Message DB single", median(oursSingle) / median(mdbSingle), "x", ">= 1.5", 1.5);
    line("append, ours, " + nb + " events in batches of 100 (one call each)", median(oursBatched), "ev/s");
    line("append, Emmett appendToStream, batches of 100 (Node)", median(emmettBatched), "ev/s");
    line("  ours batched / Emmett batched", median(oursBatched) / median(emmettBatched), "x", ">= 3", 3);
    line("read all, ours, messagedb+ adapter, " + std::to_string(oursMdbCount) + " events, pages of 1000",
        median(oursMdbRead), "ev/s");
    line("read all, Message DB get_category_messages, " + std::to_string(mdbCount) + " events (Node)", median(mdbRead),
        "ev/s");
    line("  ours / Message DB's reader", median(oursMdbRead) / median(mdbRead), "x", ">= 2", 2);
    line("read all, ours, emmett+ adapter, " + std::to_string(oursEmmettCount) + " events, pages of 1000",
        median(oursEmmettRead), "ev/s");
    line("read all, Emmett readMessagesBatch, " + std::to_string(emmettCount) + " events (Node)", median(emmettRead),
        "ev/s");
    line("  ours / Emmett's reader", median(oursEmmettRead) / median(emmettRead), "x", ">= 2", 2);
    return 0;
}
