// The Audit tab's worker (DESIGN §7, §9) over both backends: a query's summary against an oracle, an export with
// throttled progress and its digest, a cancel that leaves no file, verify on an intact and a tampered store, and a
// seal that is written and recorded.

#include "model/audit_chart_data.h"
#include "model/audit_job.h"
#include "model/audit_record.h"
#include "storage/error.h"
#include "storage/event_store.h"
#include "storage/store_uri.h"
#include "storage/time_format.h"
#include "tests/audit_test_data.h"
#include "tests/tamper_store.h"
#include "tests/test_stores.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>

#include <map>

using namespace eventscope;

namespace {

std::shared_ptr<const AuditJobResult> resultOf(QSignalSpy& spy)
{
    return spy.first().first().value<std::shared_ptr<const AuditJobResult>>();
}

QByteArray sha256Of(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256).toHex();
}

} // namespace

class TestAuditJob : public QObject
{
    Q_OBJECT

private slots:
    void queryCountsByTypeAndDay_data() { test::addBackendRows(); }
    void queryCountsByTypeAndDay()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        std::vector<test::MadeEvent> made;
        {
            auto store = openStore(location.uri(), true);
            made = test::fillAuditStore(*store, 400);
        }
        AuditQuery query;
        query.actor = "u-17";
        query.since = made[30].time; // inclusive bounds, both on an event's time
        query.until = made[300].time;
        std::map<std::string, std::int64_t> types;
        std::map<std::string, std::int64_t> days;
        std::int64_t total = 0;
        for (const test::MadeEvent& event : made) {
            if (event.actor != "u-17" || event.time < *query.since || event.time > *query.until)
                continue;
            ++total;
            ++types[event.type];
            ++days[formatTime(event.time).substr(0, 10)];
        }
        QVERIFY(total > 20);

        AuditJob job;
        QSignalSpy finished(&job, &AuditJob::finished);
        QSignalSpy failed(&job, &AuditJob::failed);
        job.startQuery(QString::fromStdString(location.uri()), query);
        QVERIFY(job.isRunning());
        QTRY_COMPARE_WITH_TIMEOUT(finished.size() + failed.size(), 1, 30000);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
        QVERIFY(!job.isRunning());
        const auto result = resultOf(finished);
        QCOMPARE(result->kind, AuditJobResult::Kind::Query);
        QCOMPARE(result->summary.total(), total);
        QCOMPARE(result->summary.byType(), types);
        QCOMPARE(result->summary.byDay().size(), days.size());
        for (const auto& [day, count] : days)
            QCOMPARE(result->summary.onDay(day), count);
    }

    void badQueryFails()
    {
        QTemporaryDir dir;
        const QString uri = dir.filePath(QStringLiteral("store.db"));
        openStore(uri.toStdString(), true);
        AuditQuery query;
        query.stream = "acct-1";
        query.category = "acct";
        AuditJob job;
        QSignalSpy failed(&job, &AuditJob::failed);
        job.startQuery(uri, query);
        QTRY_COMPARE(failed.size(), 1);
        QVERIFY(failed.first().first().toString().contains(QStringLiteral("not both")));
        job.startQuery(dir.filePath(QStringLiteral("missing/none.db")), {});
        QTRY_COMPARE(failed.size(), 2);
    }

    void exportReportsProgressAndDigest_data() { test::addBackendRows(); }
    void exportReportsProgressAndDigest()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        {
            auto store = openStore(location.uri(), true);
            test::fillAuditStore(*store, 6000);
        }
        AuditExportRequest request;
        request.format = AuditFormat::Ndjson;
        request.path = location.dir() + QStringLiteral("/out.ndjson");
        request.redactions = { "data.note" };
        AuditJob job;
        QSignalSpy progress(&job, &AuditJob::progress);
        QSignalSpy finished(&job, &AuditJob::finished);
        QSignalSpy failed(&job, &AuditJob::failed);
        QElapsedTimer clock;
        clock.start();
        job.startExport(QString::fromStdString(location.uri()), request);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size() + failed.size(), 1, 60000);
        const qint64 elapsed = clock.elapsed();
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
        const auto result = resultOf(finished);
        QCOMPARE(result->exported.events, 6000);
        QCOMPARE(result->exported.path, request.path);
        QCOMPARE(result->exported.digestPath, request.path + QStringLiteral(".sha256"));
        QCOMPARE(result->exported.sha256, sha256Of(request.path));
        QFile digest(result->exported.digestPath);
        QVERIFY(digest.open(QIODevice::ReadOnly));
        QCOMPARE(digest.readAll(), result->exported.sha256 + QByteArray("  out.ndjson\n"));
        QFile out(request.path);
        QVERIFY(out.open(QIODevice::ReadOnly));
        const QByteArray text = out.readAll();
        QCOMPARE(text.count('\n'), 6000);
        QVERIFY(!text.contains("quoted")); // redacted

        // Progress: at least one report, counts that only grow up to the total, and no more than ten a second.
        QVERIFY(!progress.isEmpty());
        qint64 last = 0;
        for (const auto& report : progress) {
            const qint64 done = report.at(0).toLongLong();
            QVERIFY(done >= last);
            QVERIFY(done <= 6000);
            QCOMPARE(report.at(1).toLongLong(), 6000);
            last = done;
        }
        QVERIFY2(progress.size() <= elapsed / 100 + 1,
            qPrintable(QStringLiteral("%1 reports in %2 ms").arg(progress.size()).arg(elapsed)));
    }

    void cancelledExportLeavesNoFile_data() { test::addBackendRows(); }
    void cancelledExportLeavesNoFile()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        {
            auto store = openStore(location.uri(), true);
            test::fillAuditStore(*store, 20000);
        }
        for (const AuditFormat format : { AuditFormat::Csv, AuditFormat::Pdf }) {
            AuditExportRequest request;
            request.format = format;
            request.path = location.dir() + QStringLiteral("/cancelled.out");
            AuditJob job;
            QSignalSpy cancelled(&job, &AuditJob::cancelled);
            QSignalSpy finished(&job, &AuditJob::finished);
            QSignalSpy failed(&job, &AuditJob::failed);
            job.startExport(QString::fromStdString(location.uri()), request);
            job.cancel();
            QTRY_COMPARE_WITH_TIMEOUT(cancelled.size() + finished.size() + failed.size(), 1, 60000);
            QCOMPARE(cancelled.size(), 1);
            QVERIFY(!job.isRunning());
            QVERIFY(!QFile::exists(request.path));
            QVERIFY(!QFile::exists(request.path + QStringLiteral(".sha256")));
        }
    }

    void verifyFindsTheTamperedEvent_data() { test::addBackendRows(); }
    void verifyFindsTheTamperedEvent()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        {
            auto store = openStore(location.uri(), true);
            test::fillAuditStore(*store, 80);
        }
        const QString uri = QString::fromStdString(location.uri());
        AuditJob job;
        QSignalSpy finished(&job, &AuditJob::finished);
        QSignalSpy failed(&job, &AuditJob::failed);
        job.startVerify(uri);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size() + failed.size(), 1, 30000);
        QVERIFY(failed.isEmpty());
        auto result = resultOf(finished);
        QCOMPARE(result->kind, AuditJobResult::Kind::Verify);
        QVERIFY2(result->report.ok, result->report.message.c_str());
        QCOMPARE(result->report.eventsChecked, 80);
        QCOMPARE(result->report.streamsChecked, 8);
        QVERIFY(!result->againstSeal);

        test::tamper(
            location.uri(), "UPDATE events SET data = '{\"amount\":-1}' WHERE stream = 'acct-5' AND version = 4");
        finished.clear();
        job.startVerify(uri);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size() + failed.size(), 1, 30000);
        QVERIFY(failed.isEmpty());
        result = resultOf(finished);
        QVERIFY(!result->report.ok);
        QCOMPARE(result->report.failedStream, std::string("acct-5"));
        QCOMPARE(result->report.failedVersion, 4);

        job.startVerify(uri, location.dir() + QStringLiteral("/no-such.seal"));
        QTRY_COMPARE(failed.size(), 1);
        QVERIFY(failed.first().first().toString().contains(QStringLiteral("no-such.seal")));
    }

    void sealIsWrittenAndRecorded_data() { test::addBackendRows(); }
    void sealIsWrittenAndRecorded()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        std::int64_t head = 0;
        {
            auto store = openStore(location.uri(), true);
            test::fillAuditStore(*store, 50);
            head = store->headPosition();
        }
        const QString uri = QString::fromStdString(location.uri());
        const QString sealPath = location.dir() + QStringLiteral("/store.seal");
        AuditJob job;
        QSignalSpy finished(&job, &AuditJob::finished);
        QSignalSpy failed(&job, &AuditJob::failed);
        job.startSeal(uri, sealPath);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size() + failed.size(), 1, 30000);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
        const auto sealed = resultOf(finished);
        QCOMPARE(sealed->kind, AuditJobResult::Kind::Seal);
        QCOMPARE(sealed->seal.headPosition, head);
        QCOMPARE(sealed->seal.eventCount, 50);
        const Seal onDisk = Seal::load(sealPath.toStdString());
        QCOMPARE(onDisk.digest, sealed->seal.digest);

        {
            auto store = openStore(location.uri());
            EventQuery audit;
            audit.stream = kAuditStream;
            const EventPage page = store->read(audit);
            QCOMPARE(page.events.size(), std::size_t(1));
            QCOMPARE(page.events[0].type, std::string("StoreSealed"));
            const auto data = nlohmann::json::parse(page.events[0].data);
            QCOMPARE(data["digest"].get<std::string>(), onDisk.digest);
            QCOMPARE(data["head_position"].get<std::int64_t>(), head);
            QCOMPARE(data["out"].get<std::string>(), sealPath.toStdString());
            QCOMPARE(data["tool"].get<std::string>(), std::string("eventscope-window"));
            QCOMPARE(page.events[0].actor, auditUserName());
        }

        // The seal checks out after its own record was appended.
        finished.clear();
        job.startVerify(uri, sealPath);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size() + failed.size(), 1, 30000);
        QVERIFY(failed.isEmpty());
        const auto verified = resultOf(finished);
        QVERIFY2(verified->report.ok, verified->report.message.c_str());
        QVERIFY(verified->againstSeal);
        QCOMPARE(verified->seal.digest, onDisk.digest);

        // A seal into a folder that does not exist writes nothing and records nothing.
        job.startSeal(uri, location.dir() + QStringLiteral("/missing/store.seal"));
        QTRY_COMPARE(failed.size(), 1);
        QVERIFY(failed.first().first().toString().contains(QStringLiteral("does not exist")));
        auto store = openStore(location.uri());
        EventQuery audit;
        audit.stream = kAuditStream;
        QCOMPARE(store->read(audit).events.size(), std::size_t(1));
    }

    void chartKeepsTheLastDays()
    {
        AuditSummary summary;
        constexpr Micros kDay = 24 * 60 * test::kMinute;
        for (int day = 0; day < 400; ++day)
            for (int n = 0; n <= day % 3; ++n) {
                Event event;
                event.type = n == 2 ? "Rare" : "Common";
                event.time = test::kAuditStart + day * kDay + n * test::kMinute;
                summary.add(event);
            }
        const AuditChartData data = AuditChartData::from(summary, 366);
        QCOMPARE(data.totalDays, 400);
        QCOMPARE(data.days.size(), 366);
        QCOMPARE(data.hiddenDays, 34);
        QCOMPARE(data.days.first(), QString::fromStdString(utcDay(test::kAuditStart + 34 * kDay)));
        QCOMPARE(data.days.last(), QString::fromStdString(utcDay(test::kAuditStart + 399 * kDay)));
        QCOMPARE(data.types, QStringList({ QStringLiteral("Common"), QStringLiteral("Rare") }));
        qint64 shown = 0;
        for (const auto& counts : data.counts) {
            QCOMPARE(counts.size(), 366);
            for (qint64 count : counts)
                shown += count;
        }
        QCOMPARE(shown + data.hiddenEvents, summary.total());
        QCOMPARE(data.counts[1][0], qint64((34 % 3) == 2 ? 1 : 0));
        QCOMPARE(AuditChartData::from(AuditSummary {}).days.size(), 0);
    }

    void newerRunSupersedesOlder()
    {
        QTemporaryDir dir;
        const QString uri = dir.filePath(QStringLiteral("store.db"));
        {
            auto store = openStore(uri.toStdString(), true);
            test::fillAuditStore(*store, 3000);
        }
        AuditJob job;
        QSignalSpy finished(&job, &AuditJob::finished);
        QSignalSpy cancelled(&job, &AuditJob::cancelled);
        AuditQuery all;
        job.startQuery(uri, all);
        AuditQuery some;
        some.types = { "Closed" };
        job.startQuery(uri, some);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
        QTest::qWait(100); // the older run's end would have arrived by now
        QCOMPARE(finished.size(), 1);
        QCOMPARE(cancelled.size(), 0);
        QCOMPARE(resultOf(finished)->summary.total(), 1000);
    }
};

QTEST_MAIN(TestAuditJob)
#include "tst_audit_job.moc"
