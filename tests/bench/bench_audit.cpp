// Audit exports of a million events (issue 8), beside references measured in the same run:
// - a bare SQLite scan of the same rows (the floor any reader pays);
// - the store's own paged read of them (what every export reads with);
// - exportAudit to CSV and to NDJSON (read, format, hash with SHA-256, write the file and FILE.sha256), and CSV
//   again with two redaction rules; events/s against the 200,000 events/s target;
// - memory: the process's resident anonymous memory sampled during the export of a fifth of the store, then of the
// whole
//   store: it must not grow with the export's size.
//
//   bench_audit [STORE.db] [EVENTS] [RUNS]     (release preset; the store is made when missing)

#include "model/audit_export.h"
#include "storage/event_store.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>

#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

using namespace eventscope;

namespace {

constexpr Micros kFirstTime = 1'700'000'000'000'000;
constexpr Micros kStep = 1000; // one event a millisecond

void makeStore(const std::string& path, int events, int streams)
{
    auto store = openStore(path, true);
    std::vector<AppendRequest> requests;
    for (int i = 1; i <= events; ++i) {
        NewEvent e;
        e.type = i % 3 ? "PaymentCaptured" : "RefundIssued";
        e.data = "{\"paymentId\":\"pay-" + std::to_string(i) + "\",\"amount\":" + std::to_string(i % 997) + ".25"
            + ",\"currency\":\"EUR\",\"cardNumber\":\"4111 1111 1111 " + std::to_string(1000 + i % 9000)
            + "\",\"note\":\"monthly settlement, paid by \\\"card\\\"\"}";
        e.metadata = "{\"userId\":\"u-" + std::to_string(i % 50) + "\",\"ip\":\"10.0." + std::to_string(i % 250)
            + ".7\",\"correlationId\":\"corr-" + std::to_string(i / 4) + "\"}";
        e.time = kFirstTime + kStep * i;
        requests.push_back({ "payment-" + std::to_string(i % streams), ExpectedVersion::any(), { std::move(e) } });
        if (requests.size() == 10'000) {
            store->append(requests);
            requests.clear();
        }
    }
    if (!requests.empty())
        store->append(requests);
}

// Anonymous memory only (RssAnon): the store maps its file (mmap), and mapped pages of the file count in VmRSS
// without being memory the export holds; the kernel drops them when it needs the room.
long residentKiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : status.readAll().split('\n'))
        if (line.startsWith("RssAnon:"))
            return line.mid(8).trimmed().split(' ').front().toLong();
    return -1;
}

double bareScan(const std::string& path)
{
    QElapsedTimer clock;
    clock.start();
    sqlite3* db = nullptr;
    sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt* statement = nullptr;
    sqlite3_prepare_v2(db,
        "SELECT position, stream, version, id, type, time, data, metadata FROM events ORDER BY position", -1,
        &statement, nullptr);
    std::size_t bytes = 0, rows = 0;
    while (sqlite3_step(statement) == SQLITE_ROW) {
        bytes += static_cast<std::size_t>(sqlite3_column_bytes(statement, 6) + sqlite3_column_bytes(statement, 7));
        ++rows;
    }
    sqlite3_finalize(statement);
    sqlite3_close(db);
    return bytes ? static_cast<double>(rows) / (static_cast<double>(clock.nsecsElapsed()) / 1e9) : -1;
}

double pagedRead(const std::string& path)
{
    auto store = openStore(path);
    QElapsedTimer clock;
    clock.start();
    std::int64_t rows = 0;
    forEachAuditEvent(*store, AuditQuery {}, [&](const Event&) { ++rows; });
    return static_cast<double>(rows) / (static_cast<double>(clock.nsecsElapsed()) / 1e9);
}

struct Export
{
    double eventsPerSecond = 0;
    long peakRssKiB = 0;
    std::int64_t events = 0;
    qint64 bytes = 0;
};

Export runExport(const std::string& storePath, const QString& out, AuditFormat format, std::int64_t events,
    const std::vector<std::string>& redactions)
{
    auto store = openStore(storePath);
    AuditExportRequest request;
    request.format = format;
    request.path = out;
    request.redactions = redactions;
    request.query.until = kFirstTime + kStep * events; // inclusive: the first `events` events
    Export result;
    QElapsedTimer clock;
    clock.start();
    const AuditExportResult written = exportAudit(*store, request,
        [&](std::int64_t, std::int64_t) { result.peakRssKiB = std::max(result.peakRssKiB, residentKiB()); });
    result.eventsPerSecond = static_cast<double>(written.events) / (static_cast<double>(clock.nsecsElapsed()) / 1e9);
    result.peakRssKiB = std::max(result.peakRssKiB, residentKiB());
    result.events = written.events;
    result.bytes = QFileInfo(out).size();
    QFile::remove(out);
    QFile::remove(written.digestPath);
    return result;
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
    const std::string storePath = argc > 1 ? argv[1] : dir.filePath(QStringLiteral("bench-audit.db")).toStdString();
    const int events = argc > 2 ? std::atoi(argv[2]) : 1'000'000;
    const int runs = argc > 3 ? std::max(1, std::atoi(argv[3])) : 3;
    if (!QFileInfo::exists(QString::fromStdString(storePath))) {
        std::fprintf(stderr, "making a store of %d events...\n", events);
        makeStore(storePath, events, 10'000);
    }
    const QString out = dir.filePath(QStringLiteral("export"));
    const std::vector<std::string> redactions { "data.cardNumber", "metadata.ip" };
    const std::int64_t fifth = events / 5;

    struct Measure
    {
        const char* name;
        AuditFormat format;
        std::vector<std::string> redactions;
    };
    const std::vector<Measure> measures { { "CSV", AuditFormat::Csv, {} }, { "NDJSON", AuditFormat::Ndjson, {} },
        { "CSV, 2 redaction rules", AuditFormat::Csv, redactions } };

    std::vector<double> scans, reads;
    std::vector<std::vector<double>> rates(measures.size());
    std::vector<long> smallPeak(measures.size()), fullPeak(measures.size());
    std::vector<qint64> fullBytes(measures.size());
    for (int run = 1; run <= runs; ++run) {
        std::fprintf(stderr, "run %d of %d...\n", run, runs);
        scans.push_back(bareScan(storePath));
        reads.push_back(pagedRead(storePath));
        for (std::size_t m = 0; m < measures.size(); ++m) {
            const QString file
                = out + (measures[m].format == AuditFormat::Csv ? QStringLiteral(".csv") : QStringLiteral(".ndjson"));
            // The fifth first, then the whole store: a process's resident size never shrinks much, so if the
            // whole export needed more memory than the fifth, its peak would show it.
            const Export small = runExport(storePath, file, measures[m].format, fifth, measures[m].redactions);
            const Export full = runExport(storePath, file, measures[m].format, events, measures[m].redactions);
            rates[m].push_back(full.eventsPerSecond);
            smallPeak[m] = std::max(smallPeak[m], small.peakRssKiB);
            fullPeak[m] = std::max(fullPeak[m], full.peakRssKiB);
            fullBytes[m] = full.bytes;
        }
    }

    std::printf("audit exports of %d events, %d runs (medians)\n", events, runs);
    std::printf("%-58s %12s %10s\n", "measure", "events/s", "target");
    std::printf("%-58s %12.0f\n", "bare SQLite scan of the rows (reference)", median(scans));
    std::printf("%-58s %12.0f\n", "the store's paged read, 1000 a page (reference)", median(reads));
    for (std::size_t m = 0; m < measures.size(); ++m) {
        const double rate = median(rates[m]);
        std::printf("%-58s %12.0f %10s %s\n", (std::string("export to ") + measures[m].name).c_str(), rate, ">= 200000",
            rate >= 200'000 ? "met" : "MISSED");
    }
    std::printf("\n%-58s %12s %12s %10s\n", "peak resident anonymous memory (KiB)", "1/5 export", "whole", "file MB");
    for (std::size_t m = 0; m < measures.size(); ++m)
        std::printf("%-58s %12ld %12ld %10.1f\n", measures[m].name, smallPeak[m], fullPeak[m],
            static_cast<double>(fullBytes[m]) / 1e6);
    std::printf("export / bare scan (CSV): %.2f, export / paged read (CSV): %.2f\n", median(rates[0]) / median(scans),
        median(rates[0]) / median(reads));
    return 0;
}
