// `eventscope projection` (DESIGN §5, §8) driven as an operator would: the built binary over both backends. The
// states it prints are checked against oracles computed here from the events the test wrote; faults, shadow
// rebuilds, the admin actions, workspaces and bad input each have their exit code and their one stderr sentence.

#include "tests/cli/projection_cli.h"

#include <QProcess>
#include <QTest>

using namespace projtest;

class TestCliProjection : public ProjectionCliTest
{
    Q_OBJECT

private slots:
    void cleanup() { dropSchemas(); }

    void runPrintsStates_data() { eventscope::test::addBackendRows(); }
    void runPrintsStates()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        const QString store = remember(location.uri());
        const QList<Posted> events = accountEvents(1, 90);
        QVERIFY(ok({ u"append"_s, store, u"--input"_s, u"-"_s }, ndjson(events)));

        QJsonObject counts;
        for (const Posted& e : events)
            counts[e.type] = counts.value(e.type).toInt() + 1;
        const QString countScript = write(location.dir(), u"counts.js"_s, kCountByType);
        QVERIFY(ok({ u"projection"_s, u"run"_s, store, u"--script"_s, countScript }));
        QCOMPARE(m_last.lines().size(), 1); // unpartitioned: one state, named after the script
        QCOMPARE(compact(m_last.json()), compact(counts));
        QVERIFY(onlyProgress(u"counts"_s));

        const QString balanceScript = write(location.dir(), u"balances.js"_s, kBalances + ";\n");
        QVERIFY(ok({ u"projection"_s, u"run"_s, store, u"--script"_s, balanceScript, u"--name"_s, u"bal"_s }));
        QJsonObject printed;
        QVERIFY(states(printed));
        const QJsonObject oracle = balances(events);
        QCOMPARE(oracle.size(), 5);
        QCOMPARE(compact(printed), compact(oracle));
        QVERIFY(onlyProgress(u"bal"_s));
        const auto last = kProgress.match(stderrLines(m_last).constLast());
        // The checkpoint: the head, since nothing the projection reads lies past the last event (its own audit
        // record, a system event, does).
        QCOMPARE(last.captured(4).toLongLong(), headPosition(store));

        // transformBy and filterBy apply to what is printed, not to what is kept.
        QList<qint64> amounts;
        for (const QJsonValue& state : oracle)
            amounts << state[u"balance"_s].toInteger();
        std::sort(amounts.begin(), amounts.end());
        const qint64 limit = amounts.at(2);
        const QString transformed = write(location.dir(), u"rich.js"_s,
            kBalances
                + "\n.transformBy(function (s) { return { balance: s.balance, doubled: s.balance * 2 }; })\n"
                  ".filterBy(function (s) { return s.balance > "
                + QByteArray::number(limit) + "; });\n");
        QVERIFY(ok({ u"projection"_s, u"run"_s, store, u"--script"_s, transformed }));
        QVERIFY(states(printed));
        QJsonObject expected;
        for (auto it = oracle.begin(); it != oracle.end(); ++it) {
            const qint64 balance = it.value()[u"balance"_s].toInteger();
            if (balance > limit)
                expected[it.key()] = QJsonObject { { u"balance"_s, balance }, { u"doubled"_s, balance * 2 } };
        }
        QCOMPARE(expected.size(), 2);
        QCOMPARE(compact(printed), compact(expected));
        QCOMPARE(status(store, u"rich"_s).value(u"partitions"_s).toInteger(), 5);
    }

    void runContinuesFromCheckpoint_data() { eventscope::test::addBackendRows(); }
    void runContinuesFromCheckpoint()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        const QString store = remember(location.uri());
        const QString script = write(location.dir(), u"bal.js"_s, kBalances + ";\n");
        const QStringList run { u"projection"_s, u"run"_s, store, u"--script"_s, script };
        const QList<Posted> first = accountEvents(1, 40);
        const QList<Posted> both = first + accountEvents(41, 25);
        QVERIFY(ok({ u"append"_s, store, u"--input"_s, u"-"_s }, ndjson(first)));
        QVERIFY(ok(run));
        QJsonObject printed;
        QVERIFY(states(printed));
        QCOMPARE(compact(printed), compact(balances(first)));

        QVERIFY(ok({ u"append"_s, store, u"--input"_s, u"-"_s }, ndjson(both.mid(first.size()))));
        QVERIFY(ok(run));
        QVERIFY(states(printed));
        QCOMPARE(compact(printed), compact(balances(both)));
        const Run second = m_last;
        const QJsonObject summary = status(store, u"bal"_s);
        QCOMPARE(summary.value(u"events_processed"_s).toInteger(), 65);
        QCOMPARE(summary.value(u"position"_s).toInteger(), headPosition(store));
        QCOMPARE(summary.value(u"lag"_s).toInteger(), 0);
        QCOMPARE(summary.value(u"status"_s).toString(), u"stopped"_s);

        QVERIFY(ok(run + QStringList { u"--reset"_s, u"--name"_s, u"clean"_s }));
        QJsonObject clean;
        QVERIFY(states(clean));
        QCOMPARE(compact(clean), compact(printed));
        QVERIFY(ok(run + QStringList { u"--reset"_s }));
        QVERIFY(states(clean));
        QCOMPARE(compact(clean), compact(printed));

        // The second run's progress counted only the 25 events it had left, and reached them.
        m_last = second;
        QVERIFY(onlyProgress(u"bal"_s));
        QCOMPARE(kProgress.match(stderrLines(m_last).constLast()).captured(3).toLongLong(), 25);
    }

    void rerunWithNothingNew_data() { eventscope::test::addBackendRows(); }
    void rerunWithNothingNew()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        const QString store = remember(location.uri());
        const QList<Posted> events = accountEvents(1, 20);
        QVERIFY(ok({ u"append"_s, store, u"--input"_s, u"-"_s }, ndjson(events)));
        const QString script = write(location.dir(), u"bal.js"_s, kBalances + ";\n");
        const QStringList run { u"projection"_s, u"run"_s, store, u"--script"_s, script };
        QVERIFY(ok(run));
        // Only the run's own audit record came since: the same states again, not an error.
        QVERIFY(ok(run));
        QJsonObject printed;
        QVERIFY(states(printed));
        QCOMPARE(compact(printed), compact(balances(events)));
        QVERIFY(onlyProgress(u"bal"_s));
        QCOMPARE(status(store, u"bal"_s).value(u"events_processed"_s).toInteger(), events.size());
    }

    // --live: caught up, it follows new events until SIGTERM, then prints states that include them and exits 0.
    void liveFollowsUntilTerminated_data() { eventscope::test::addBackendRows(); }
    void liveFollowsUntilTerminated()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        const QString store = remember(location.uri());
        const QList<Posted> first = accountEvents(1, 20);
        QVERIFY(ok({ u"append"_s, store, u"--input"_s, u"-"_s }, ndjson(first)));
        const QString script = write(location.dir(), u"bal.js"_s, kBalances + ";\n");
        QProcess live;
        live.start(QStringLiteral(EVENTSCOPE_BINARY),
            { u"projection"_s, u"run"_s, store, u"--script"_s, script, u"--live"_s });
        QVERIFY(live.waitForStarted(30000));
        // Caught up: the checkpoint reaches the head and the process keeps running.
        QTRY_VERIFY_WITH_TIMEOUT(
            status(store, u"bal"_s).value(u"events_processed"_s).toInteger() == first.size(), 30000);
        QCOMPARE(live.state(), QProcess::Running);
        const QList<Posted> all = accountEvents(1, 40);
        QVERIFY(ok({ u"append"_s, store, u"--input"_s, u"-"_s }, ndjson(all.mid(first.size()))));
        QTRY_VERIFY_WITH_TIMEOUT(status(store, u"bal"_s).value(u"events_processed"_s).toInteger() == all.size(), 30000);
        live.terminate(); // SIGTERM
        QVERIFY(live.waitForFinished(30000));
        QCOMPARE(live.exitStatus(), QProcess::NormalExit);
        QCOMPARE(live.exitCode(), 0);
        m_last = {};
        m_last.out = live.readAllStandardOutput();
        QJsonObject printed;
        QVERIFY(states(printed));
        QCOMPARE(compact(printed), compact(balances(all)));
        QCOMPARE(status(store, u"bal"_s).value(u"status"_s).toString(), u"stopped"_s);
    }

    void faultRetrySkip_data() { eventscope::test::addBackendRows(); }
    void faultRetrySkip()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        const QString store = remember(location.uri());
        QVERIFY(ok({ u"append"_s, store, u"--input"_s, u"-"_s },
            ticks({ { u"a-1"_s, 1 }, { u"a-2"_s, 2 }, { u"a-1"_s, 3 }, { u"a-2"_s, 4 } }, 3)));
        const QString script = write(location.dir(), u"faulty.js"_s, kFaulty);
        const QStringList run { u"projection"_s, u"run"_s, store, u"--script"_s, script };
        const QStringList sentence { u"faulty"_s, u"position 3"_s, u"Tick"_s, u"a-1"_s, u"bad tick 3"_s };
        QVERIFY(failsRunning(run, 5, sentence));

        QJsonObject summary = status(store, u"faulty"_s);
        QCOMPARE(summary[u"status"_s].toString(), u"faulted"_s);
        QCOMPARE(summary[u"position"_s].toInteger(), 2); // just before the event it failed on
        const QJsonObject fault = summary[u"fault"_s].toObject();
        QCOMPARE(fault[u"position"_s].toInteger(), 3);
        QCOMPARE(fault[u"stream"_s].toString(), u"a-1"_s);
        QCOMPARE(fault[u"version"_s].toInteger(), 2);
        QCOMPARE(fault[u"type"_s].toString(), u"Tick"_s);
        QCOMPARE(fault[u"message"_s].toString(), u"bad tick 3"_s);

        QVERIFY(failsRunning(run, 5, sentence)); // a retry meets the same event
        QCOMPARE(status(store, u"faulty"_s)[u"status"_s].toString(), u"faulted"_s);

        QVERIFY(ok(run + QStringList { u"--skip-fault"_s }));
        QJsonObject printed;
        QVERIFY(states(printed));
        QCOMPARE(compact(printed), "{\"a-1\":{\"n\":1},\"a-2\":{\"n\":6}}");
        summary = status(store, u"faulty"_s);
        QCOMPARE(summary[u"status"_s].toString(), u"stopped"_s);
        QVERIFY(summary[u"fault"_s].isNull());
        QCOMPARE(summary[u"skipped"_s].toArray().size(), 1);
        QCOMPARE(summary[u"skipped"_s][0][u"position"_s].toInteger(), 3);
        QCOMPARE(summary[u"skipped"_s][0][u"message"_s].toString(), u"bad tick 3"_s);
        QCOMPARE(summary[u"events_processed"_s].toInteger(), 4);

        QVERIFY(ok({ u"append"_s, store, u"--input"_s, u"-"_s }, ticks({ { u"a-1"_s, 10 } })));
        QVERIFY(ok(run));
        QVERIFY(states(printed));
        QCOMPARE(compact(printed), "{\"a-1\":{\"n\":11},\"a-2\":{\"n\":6}}");
    }

    void shadowDiffSwapRollback_data() { eventscope::test::addBackendRows(); }
    void shadowDiffSwapRollback()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        const QString store = remember(location.uri());
        QVERIFY(ok({ u"append"_s, store, u"--input"_s, u"-"_s },
            ticks({ { u"a-1"_s, 1 }, { u"a-2"_s, 2 }, { u"b-1"_s, 5 } })));
        // v2 weighs a-1 tenfold and files b-1 under b-9; both note every event they see.
        const QByteArray v1 = "fromAll().partitionBy(function (e) { return e.stream; }).when({\n"
                              "  $init: function () { return { n: 0 }; },\n"
                              "  Tick: function (s, e) { s.n += e.data.i; emit('$seen', 'Seen', {}); }\n});\n";
        const QByteArray v2
            = "fromAll().partitionBy(function (e) { return e.stream === 'b-1' ? 'b-9' : e.stream; }).when({\n"
              "  $init: function () { return { n: 0 }; },\n"
              "  Tick: function (s, e) { s.n += e.data.i * (e.stream === 'a-1' ? 10 : 1); "
              "emit('$seen', 'Seen', {}); }\n});\n";
        const QString v1Path = write(location.dir(), u"v1.js"_s, v1);
        const QString v2Path = write(location.dir(), u"v2.js"_s, v2);
        const QStringList named { u"--name"_s, u"p"_s };
        const auto admin = [&](const QString& action) {
            return QStringList { u"projection"_s, action, store } + named;
        };
        QVERIFY(ok(QStringList { u"projection"_s, u"run"_s, store, u"--script"_s, v1Path } + named));
        const qint64 v1Position = status(store, u"p"_s)[u"position"_s].toInteger();
        QVERIFY(ok(QStringList { u"projection"_s, u"run"_s, store, u"--script"_s, v2Path, u"--shadow"_s } + named));
        QJsonObject printed;
        QVERIFY(states(printed));
        QCOMPARE(compact(printed), "{\"a-1\":{\"n\":10},\"a-2\":{\"n\":2},\"b-9\":{\"n\":5}}");
        QCOMPARE(eventCount(store, u"$seen"_s), 3); // a shadow rebuild emits nothing: the live version did
        QJsonObject summary = status(store, u"p"_s);
        QCOMPARE(summary[u"script"_s].toString(), QString::fromUtf8(v1));
        QCOMPARE(summary[u"shadow"_s].toBool(), true);

        const QList<QByteArray> differences {
            "{\"partition\":\"a-1\",\"change\":\"changed\",\"live\":{\"n\":1},\"shadow\":{\"n\":10}}",
            "{\"partition\":\"b-1\",\"change\":\"removed\",\"live\":{\"n\":5},\"shadow\":null}",
            "{\"partition\":\"b-9\",\"change\":\"added\",\"live\":null,\"shadow\":{\"n\":5}}",
        };
        QVERIFY(ok(admin(u"diff"_s)));
        QCOMPARE(m_last.lines(), differences);
        QCOMPARE(m_last.err, "eventscope: 3 partitions differ, 1 are the same\n");

        QVERIFY(ok(admin(u"swap"_s)));
        QVERIFY(m_last.out.isEmpty());
        summary = status(store, u"p"_s);
        QCOMPARE(summary[u"script"_s].toString(), QString::fromUtf8(v2));
        QCOMPARE(summary[u"shadow"_s].toBool(), false);
        QCOMPARE(summary[u"previous"_s].toBool(), true);
        QVERIFY(fails(admin(u"diff"_s), 1, { u"no shadow"_s }));
        // The live states are v2's now: a run of v2 goes on from them.
        QVERIFY(ok({ u"append"_s, store, u"--input"_s, u"-"_s }, ticks({ { u"a-1"_s, 1 } })));
        QVERIFY(ok(QStringList { u"projection"_s, u"run"_s, store, u"--script"_s, v2Path } + named));
        QVERIFY(states(printed));
        QCOMPARE(compact(printed), "{\"a-1\":{\"n\":20},\"a-2\":{\"n\":2},\"b-9\":{\"n\":5}}");

        QVERIFY(ok(admin(u"rollback"_s)));
        summary = status(store, u"p"_s);
        QCOMPARE(summary[u"script"_s].toString(), QString::fromUtf8(v1));
        // v1 as it was: the event appended after the swap is still ahead of it.
        QCOMPARE(summary[u"position"_s].toInteger(), v1Position);
        QVERIFY(v1Position < lastEventPosition(store));
        QCOMPARE(summary[u"shadow"_s].toBool(), true);
        QCOMPARE(summary[u"previous"_s].toBool(), false);
        QVERIFY(fails(admin(u"rollback"_s), 1, { u"no previous version"_s }));
        QVERIFY(ok(QStringList { u"projection"_s, u"run"_s, store, u"--script"_s, v1Path } + named));
        QVERIFY(states(printed));
        QCOMPARE(compact(printed), "{\"a-1\":{\"n\":2},\"a-2\":{\"n\":2},\"b-1\":{\"n\":5}}");

        QVERIFY(ok({ u"read"_s, store, u"--stream"_s, u"$eventscope-audit"_s }));
        QCOMPARE(m_last.out.count("\"type\":\"ProjectionSwapped\""), 1);
        QCOMPARE(m_last.out.count("\"type\":\"ProjectionRolledBack\""), 1);
    }

    void listStatusDelete_data() { eventscope::test::addBackendRows(); }
    void listStatusDelete()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        const QString store = remember(location.uri());
        const QList<Posted> events = accountEvents(1, 30);
        QVERIFY(ok({ u"append"_s, store, u"--input"_s, u"-"_s }, ndjson(events)));
        QVERIFY(ok({ u"projection"_s, u"list"_s, store }));
        QVERIFY(m_last.out.isEmpty());
        const QString counts = write(location.dir(), u"counts.js"_s, kCountByType);
        const QString bal = write(location.dir(), u"bal.js"_s, kBalances + ";\n");
        QVERIFY(ok({ u"projection"_s, u"run"_s, store, u"--script"_s, bal, u"--name"_s, u"beta"_s }));
        QVERIFY(ok({ u"projection"_s, u"run"_s, store, u"--script"_s, counts, u"--name"_s, u"alpha"_s }));

        QVERIFY(ok({ u"projection"_s, u"list"_s, store }));
        const qint64 head = headPosition(store);
        QCOMPARE(m_last.lines().size(), 2);
        QStringList names;
        for (const QByteArray& line : m_last.lines()) {
            const QJsonObject p = QJsonDocument::fromJson(line).object();
            names << p[u"name"_s].toString();
            QCOMPARE(p[u"status"_s].toString(), u"stopped"_s);
            // Past the last event; only system events (the later run's audit record) may follow the checkpoint.
            QVERIFY(p[u"position"_s].toInteger() >= lastEventPosition(store));
            QCOMPARE(p[u"head"_s].toInteger(), head);
            QCOMPARE(p[u"lag"_s].toInteger(), head - p[u"position"_s].toInteger());
            QVERIFY(!p.contains(u"script"_s));
        }
        QCOMPARE(names, QStringList({ u"alpha"_s, u"beta"_s }));
        const QJsonObject beta = status(store, u"beta"_s);
        QCOMPARE(beta[u"partitions"_s].toInteger(), balances(events).size());
        QCOMPARE(beta[u"partitioned"_s].toBool(), true);
        QCOMPARE(beta[u"source"_s].toString(), u"fromAll()"_s);
        QCOMPARE(beta[u"script"_s].toString(), QString::fromUtf8(kBalances + ";\n"));

        QVERIFY(ok({ u"projection"_s, u"delete"_s, store, u"--name"_s, u"alpha"_s }));
        QVERIFY(m_last.out.isEmpty());
        QVERIFY(fails({ u"projection"_s, u"status"_s, store, u"--name"_s, u"alpha"_s }, 1,
            { u"there is no projection named alpha"_s }));
        QVERIFY(fails({ u"projection"_s, u"delete"_s, store, u"--name"_s, u"alpha"_s }, 1,
            { u"there is no projection named alpha"_s }));
        QVERIFY(fails({ u"projection"_s, u"delete"_s, store, u"--name"_s, u"nope"_s }, 1,
            { u"there is no projection named nope"_s }));
        QVERIFY(ok({ u"projection"_s, u"list"_s, store }));
        QCOMPARE(m_last.lines().size(), 1);
        QCOMPARE(QJsonDocument::fromJson(m_last.out)[u"name"_s].toString(), u"beta"_s);
        QVERIFY(ok({ u"read"_s, store, u"--stream"_s, u"$eventscope-audit"_s }));
        QCOMPARE(m_last.out.count("\"type\":\"ProjectionDeleted\""), 1);
    }

    void workspace_data() { eventscope::test::addBackendRows(); }
    void workspace()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        const QString store = remember(location.uri());
        const QList<Posted> events = accountEvents(1, 50);
        QVERIFY(ok({ u"append"_s, store, u"--input"_s, u"-"_s }, ndjson(events)));
        const qint64 before = eventCount(store);
        const QString workspace = QDir(location.dir()).filePath(u"W.db"_s);
        const QString script = write(location.dir(), u"bal.js"_s, kBalances + ";\n");
        QVERIFY(ok({ u"projection"_s, u"run"_s, store, u"--script"_s, script, u"--workspace"_s, workspace }));
        QJsonObject printed;
        QVERIFY(states(printed));
        QCOMPARE(compact(printed), compact(balances(events)));

        QCOMPARE(eventCount(store), before); // not even an audit record: that goes to the workspace
        QVERIFY(ok({ u"projection"_s, u"list"_s, store }));
        QVERIFY(m_last.out.isEmpty());
        QVERIFY(fails({ u"projection"_s, u"status"_s, store, u"--name"_s, u"bal"_s }, 1, { u"bal"_s }));
        QVERIFY(ok({ u"projection"_s, u"list"_s, store, u"--workspace"_s, workspace }));
        QCOMPARE(m_last.lines().size(), 1);
        const QJsonObject listed = QJsonDocument::fromJson(m_last.out).object();
        QCOMPARE(listed[u"name"_s].toString(), u"bal"_s);
        QCOMPARE(listed[u"position"_s].toInteger(), headPosition(store));
        QCOMPARE(listed[u"head"_s].toInteger(), headPosition(store)); // the source's head, not the workspace's
        QCOMPARE(listed[u"lag"_s].toInteger(), 0);
        QVERIFY(ok({ u"read"_s, workspace, u"--stream"_s, u"$eventscope-audit"_s }));
        QCOMPARE(m_last.out.count("\"type\":\"ProjectionRun\""), 1);
    }

    void badInput_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::addColumn<QStringList>("arguments"); // STORE, MISSING and DIR/ are filled in
        QTest::addColumn<int>("code");
        QTest::addColumn<QStringList>("needles");
        QTest::addColumn<bool>("running"); // fails after it began: progress lines come first
        const QStringList run { u"projection"_s, u"run"_s, u"STORE"_s, u"--script"_s };
        const QStringList good = run + QStringList { u"DIR/good.js"_s };
        for (const QString& backend : { u"sqlite"_s, u"postgresql"_s }) {
            const auto row = [&](const char* name, const QStringList& arguments, int code, const QStringList& needles,
                                 bool running = false) {
                QTest::addRow("%s %s", qPrintable(backend), name) << backend << arguments << code << needles << running;
            };
            row("no --script", { u"projection"_s, u"run"_s, u"STORE"_s }, 1, { u"--script"_s });
            row("unreadable script", run + QStringList { u"DIR/absent.js"_s }, 1, { u"absent.js"_s });
            row("syntax error", run + QStringList { u"DIR/syntax.js"_s }, 5, { u"does not compile"_s, u"line 2"_s });
            row("no source", run + QStringList { u"DIR/nosource.js"_s }, 5, { u"no source"_s });
            row("endless loop", run + QStringList { u"DIR/loop.js"_s, u"--time-limit"_s, u"1"_s }, 5,
                { u"time limit"_s, u"position 1"_s }, true);
            row("name with ~", good + QStringList { u"--name"_s, u"a~b"_s }, 1, { u"a~b"_s, u"'~'"_s });
            row("--skip-fault with --reset", good + QStringList { u"--skip-fault"_s, u"--reset"_s }, 1,
                { u"--skip-fault"_s, u"--reset"_s });
            row("--skip-fault without fault", good + QStringList { u"--skip-fault"_s }, 1, { u"no fault to skip"_s });
            row("bad --until", good + QStringList { u"--until"_s, u"yesterday"_s }, 1, { u"yesterday"_s });
            row("zero --time-limit", good + QStringList { u"--time-limit"_s, u"0"_s }, 1, { u"--time-limit"_s });
            row("unknown action", { u"projection"_s, u"frobnicate"_s, u"STORE"_s }, 1, { u"frobnicate"_s });
            row("no action", { u"projection"_s }, 1, { u"run"_s });
            row("missing store", { u"projection"_s, u"run"_s, u"MISSING"_s, u"--script"_s, u"DIR/good.js"_s }, 2, {});
            row("list of a missing store", { u"projection"_s, u"list"_s, u"MISSING"_s }, 2, {});
            row("workspace not .db", good + QStringList { u"--workspace"_s, u"DIR/w.txt"_s }, 1, { u"w.txt"_s });
            row("workspace on PostgreSQL", good + QStringList { u"--workspace"_s, u"postgresql://127.0.0.1:1/x"_s }, 1,
                { u"SQLite"_s });
            row("status without --name", { u"projection"_s, u"status"_s, u"STORE"_s }, 1, { u"--name"_s });
            row("status of nothing", { u"projection"_s, u"status"_s, u"STORE"_s, u"--name"_s, u"x"_s }, 1,
                { u"no projection named x"_s });
            row("diff without shadow", { u"projection"_s, u"diff"_s, u"STORE"_s, u"--name"_s, u"x"_s }, 1,
                { u"no shadow"_s });
            row("swap without shadow", { u"projection"_s, u"swap"_s, u"STORE"_s, u"--name"_s, u"x"_s }, 1,
                { u"no shadow"_s });
            row("rollback without previous", { u"projection"_s, u"rollback"_s, u"STORE"_s, u"--name"_s, u"x"_s }, 1,
                { u"no previous"_s });
        }
    }
    void badInput()
    {
        QFETCH(QString, backend);
        QFETCH(QStringList, arguments);
        QFETCH(int, code);
        QFETCH(QStringList, needles);
        QFETCH(bool, running);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        const QString store = remember(location.uri());
        QVERIFY(ok({ u"append"_s, store, u"--input"_s, u"-"_s }, ticks({ { u"a-1"_s, 1 }, { u"a-2"_s, 2 } })));
        const QString dir = location.dir() + u'/';
        QVERIFY(!write(dir, u"good.js"_s, kFaulty).isEmpty());
        QVERIFY(!write(dir, u"syntax.js"_s, "fromAll().when({ Tick: function (s, e) {\n  s.n = ;\n} });\n").isEmpty());
        QVERIFY(!write(dir, u"nosource.js"_s, "var handlers = { Tick: function (s, e) {} };\n").isEmpty());
        QVERIFY(!write(dir, u"loop.js"_s, "fromAll().when({ Tick: function (s, e) { for (;;) {} } });\n").isEmpty());
        const QString missing = backend == u"sqlite"_s ? dir + u"missing.db"_s
                                                       : QString::fromStdString(eventscope::test::freshPostgresUri());
        for (QString& argument : arguments)
            argument = argument == u"STORE"_s ? store
                : argument == u"MISSING"_s    ? missing
                                              : argument.replace(u"DIR/"_s, dir);
        const qint64 before = eventCount(store);

        QVERIFY(running ? failsRunning(arguments, code, needles) : fails(arguments, code, needles));
        if (running) { // the fault is kept, as any fault is, for a retry or a skip
            QCOMPARE(status(store, u"loop"_s)[u"status"_s].toString(), u"faulted"_s);
            return;
        }
        QCOMPARE(eventCount(store), before); // nothing written, not even an audit record
        QVERIFY(ok({ u"projection"_s, u"list"_s, store }));
        QVERIFY(m_last.out.isEmpty());
        QVERIFY(!QFile::exists(dir + u"missing.db"_s));
        QVERIFY(clitest::run({ u"streams"_s, missing }).code == 2);
    }
};

QTEST_GUILESS_MAIN(TestCliProjection)
#include "tst_cli_projection.moc"
