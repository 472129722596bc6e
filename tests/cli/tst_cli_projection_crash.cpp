// A projection run killed with SIGKILL at random moments (DESIGN §5: "a crash at any moment resumes cleanly")
// must resume with every event counted once and every event it emits written once, as one clean run shows.

#include "tests/cli/projection_cli.h"

#include <QRandomGenerator>
#include <QTest>

using namespace projtest;

namespace {

// Counts and sums positions per stream, so that an event counted twice shows; emits a mark every 1000th event.
// Each event also costs some work, so that a whole run takes seconds and the kills land in the middle of it
// however fast the runner gets.
QByteArray crashScript(const QByteArray& marks)
{
    return "fromAll().foreachStream().when({\n"
           "  $init: function () { return { count: 0, sum: 0 }; },\n"
           "  $any: function (s, e) {\n"
           "    var work = 0; for (var i = 0; i < 15000; ++i) work += i;\n"
           "    s.count += 1; s.sum += e.position + (work - 112492500);\n"
           "    if (e.position % 1000 === 0) emit('"
        + marks + "', 'Mark', { at: e.position });\n  }\n});\n";
}

} // namespace

class TestCliProjectionCrash : public ProjectionCliTest
{
    Q_OBJECT

private slots:
    void cleanup() { dropSchemas(); }

    void crashResume_data() { eventscope::test::addBackendRows(); }
    void crashResume()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        const QString store = remember(location.uri());
        const qint64 events = 200000;
        QVERIFY(ok({ u"demo"_s, store, u"--events"_s, QString::number(events), u"--streams"_s, u"2000"_s }));
        // The oracle of the counts: each stream's version; and positions 1..events hold the demo's events.
        QVERIFY(ok({ u"streams"_s, store, u"--format"_s, u"ndjson"_s, u"--limit"_s, u"100000"_s }));
        QMap<QString, qint64> versions;
        qint64 total = 0, maxPosition = 0;
        for (const QByteArray& line : m_last.lines()) {
            const QJsonObject s = QJsonDocument::fromJson(line).object();
            versions[s[u"stream"_s].toString()] = s[u"version"_s].toInteger();
            total += s[u"version"_s].toInteger();
            maxPosition = std::max(maxPosition, s[u"last_position"_s].toInteger());
        }
        QCOMPARE(total, events);
        QCOMPARE(maxPosition, events);

        const QString crashing = write(location.dir(), u"crash.js"_s, crashScript("$marks"));
        const QStringList run { u"projection"_s, u"run"_s, store, u"--script"_s, crashing, u"--name"_s, u"crash"_s };
        QRandomGenerator random(20240115);
        int killedMidway = 0;
        qint64 checkpoint = 0;
        for (int round = 0; round < 5; ++round) {
            const int after = random.bounded(150, 1501);
            QProcess process;
            QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
            environment.remove(u"DISPLAY"_s);
            environment.remove(u"WAYLAND_DISPLAY"_s);
            process.setProcessEnvironment(environment);
            process.start(QStringLiteral(EVENTSCOPE_BINARY), run);
            QVERIFY(process.waitForStarted(30000));
            if (process.waitForFinished(after)) {
                QVERIFY2(process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0,
                    process.readAllStandardError().constData());
            } else {
                process.kill();
                QVERIFY(process.waitForFinished(30000));
                QCOMPARE(process.exitStatus(), QProcess::CrashExit);
            }
            const Run looked = clitest::run({ u"projection"_s, u"status"_s, store, u"--name"_s, u"crash"_s });
            if (looked.code != 0) { // killed before its first commit
                QCOMPARE(checkpoint, 0);
                continue;
            }
            const qint64 position = looked.json()[u"position"_s].toInteger();
            QVERIFY2(position >= checkpoint, qPrintable(u"round %1 went back to %2"_s.arg(round).arg(position)));
            checkpoint = position;
            killedMidway += position > 0 && position < events ? 1 : 0;
        }
        qInfo() << "kills that landed in the middle of a run:" << killedMidway << "of 5";
        QVERIFY2(killedMidway > 0, "no kill landed in the middle of a run: the test proved nothing");

        QVERIFY(ok(run));
        QJsonObject resumed;
        QVERIFY(states(resumed));
        QCOMPARE(resumed.size(), versions.size());
        qint64 sum = 0;
        for (auto it = versions.cbegin(); it != versions.cend(); ++it) {
            QCOMPARE(resumed[it.key()][u"count"_s].toInteger(), *it);
            sum += resumed[it.key()][u"sum"_s].toInteger();
        }
        QCOMPARE(sum, events * (events + 1) / 2);
        const QString cleanScript = write(location.dir(), u"clean.js"_s, crashScript("$marks-clean"));
        QVERIFY(ok(
            { u"projection"_s, u"run"_s, store, u"--script"_s, cleanScript, u"--name"_s, u"clean"_s, u"--reset"_s }));
        QJsonObject clean;
        QVERIFY(states(clean));
        QCOMPARE(compact(resumed), compact(clean));

        // Each mark was emitted once, with the checkpoint of its batch.
        QVERIFY(ok({ u"read"_s, store, u"--stream"_s, u"$marks"_s }));
        QList<qint64> marks;
        for (const QByteArray& line : m_last.lines())
            marks << QJsonDocument::fromJson(line)[u"data"_s][u"at"_s].toInteger();
        std::sort(marks.begin(), marks.end());
        QList<qint64> expected;
        for (qint64 at = 1000; at <= events; at += 1000)
            expected << at;
        QCOMPARE(marks, expected);
        const QJsonObject summary = status(store, u"crash"_s);
        QCOMPARE(summary[u"status"_s].toString(), u"stopped"_s);
        // Past the last event: only system events (audit records, the clean run's marks) may follow it.
        QVERIFY(summary[u"position"_s].toInteger() >= events);
        QCOMPARE(summary[u"lag"_s].toInteger(), headPosition(store) - summary[u"position"_s].toInteger());
        QCOMPARE(summary[u"events_processed"_s].toInteger(), events);
        QCOMPARE(summary[u"events_emitted"_s].toInteger(), expected.size());
    }
};

QTEST_GUILESS_MAIN(TestCliProjectionCrash)
#include "tst_cli_projection_crash.moc"
