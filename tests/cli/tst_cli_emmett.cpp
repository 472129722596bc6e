// Emmett, as Emmett itself wrote it (DESIGN §3, issue 7): events appended with Emmett's own appendToStream on
// PostgreSQL and on SQLite (tests/foreign/*.mjs), read back through `eventscope` and compared field by field with
// the rows Emmett stored; partitions, archived rows, detection behind a plain URI or path, and on PostgreSQL a
// transaction that commits late with a lower global_position, which a reader must not skip.
//
// EVENTSCOPE_TEST_EMMETT names the PostgreSQL database tools/install-foreign-stores.sh prepared (tools/test-all.sh
// sets it); under CI=true a missing one fails instead of skipping.

#include "tests/cli/cli_harness.h"
#include "tests/foreign_writer.h"
#include "tests/test_stores.h"

#include <QJsonArray>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QUuid>

using namespace Qt::Literals::StringLiterals;
using clitest::Run;

namespace {

QString emmettServer()
{
    return qEnvironmentVariable("EVENTSCOPE_TEST_EMMETT");
}

QList<QJsonObject> writeWithEmmett(
    const QString& script, const QStringList& target, const QByteArray& lines, QString* error)
{
    return eventscope::test::writeWithForeignSystem(script, target, lines, error);
}

bool runTool(const QString& program, const QStringList& arguments, QString* error)
{
    QProcess tool;
    tool.start(program, arguments);
    tool.waitForFinished(60000);
    *error = QString::fromUtf8(tool.readAllStandardError());
    return tool.exitStatus() == QProcess::NormalExit && tool.exitCode() == 0;
}

QByteArray line(const QJsonObject& object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
}

QList<QJsonObject> objects(const Run& r)
{
    QList<QJsonObject> out;
    for (const QByteArray& l : r.lines())
        out << QJsonDocument::fromJson(l).object();
    return out;
}

// The events of one test, in Emmett's input shape: three streams, one of them in a partition of its own.
QByteArray sampleEvents(const QString& tag, bool partitions)
{
    QByteArray input;
    for (int i = 1; i <= 3; ++i)
        input += line({ { u"stream"_s, QString(u"order"_s + tag + u"-1"_s) },
            { u"type"_s, i == 1 ? u"OrderPlaced"_s : u"LineAdded"_s },
            { u"data"_s,
                QJsonObject { { u"n"_s, i }, { u"name"_s, u"Zoë ✓"_s },
                    { u"nested"_s, QJsonObject { { u"a"_s, QJsonArray { 1, 2.5 } } } } } },
            { u"metadata"_s,
                QJsonObject {
                    { u"userId"_s, QString(u"u-"_s + tag) }, { u"correlationId"_s, QString(u"c-"_s + tag) } } } });
    input += line({ { u"stream"_s, QString(u"order"_s + tag + u"-2"_s) }, { u"type"_s, u"OrderPlaced"_s },
        { u"data"_s, QJsonObject { { u"n"_s, 4 } } } });
    if (partitions)
        input += line({ { u"stream"_s, QString(u"cart"_s + tag) }, { u"type"_s, u"Added"_s },
            { u"data"_s, QJsonObject {} }, { u"partition"_s, QString(u"tenant"_s + tag) } });
    return input;
}

} // namespace

class TestCliEmmett : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_tag;

    static QString nameOf(const QJsonObject& row)
    {
        const QString partition = row[u"partition"_s].toString();
        const QString id = row[u"stream_id"_s].toString();
        return partition == u"emt:default"_s ? id : partition + u'/' + id;
    }

    // Each event read must be exactly the row Emmett stored.
    static void compare(const QList<QJsonObject>& read, const QList<QJsonObject>& rows, bool wholeSeconds)
    {
        QCOMPARE(read.size(), rows.size());
        for (const QJsonObject& event : read) {
            const auto row = std::find_if(
                rows.begin(), rows.end(), [&](const QJsonObject& r) { return r[u"message_id"_s] == event[u"id"_s]; });
            QVERIFY2(row != rows.end(), qPrintable(QString::fromUtf8(line(event))));
            const QString context = QString::fromUtf8(line(event) + line(*row));
            QVERIFY2(event[u"position"_s].toInteger() == (*row)[u"global_position"_s].toInteger(), qPrintable(context));
            QVERIFY2(event[u"stream"_s].toString() == nameOf(*row), qPrintable(context));
            QVERIFY2(event[u"version"_s].toInteger() == (*row)[u"stream_position"_s].toInteger(), qPrintable(context));
            QVERIFY2(event[u"type"_s] == (*row)[u"message_type"_s], qPrintable(context));
            QVERIFY2(event[u"data"_s] == (*row)[u"message_data"_s], qPrintable(context));
            QVERIFY2(event[u"metadata"_s] == (*row)[u"message_metadata"_s], qPrintable(context));
            QString stored = (*row)[u"created_utc"_s].toString();
            if (wholeSeconds) // Emmett SQLite keeps whole seconds
                stored = stored.left(19) + u".000000Z"_s;
            QVERIFY2(event[u"time"_s].toString() == stored, qPrintable(context));
        }
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_tag = QUuid::createUuid().toString(QUuid::Id128).left(10);
    }

    void postgresql()
    {
        if (emmettServer().isEmpty()) {
            if (eventscope::test::runningInCi())
                QFAIL("EVENTSCOPE_TEST_EMMETT is not set under CI=true: the Emmett tests cannot run");
            QSKIP("EVENTSCOPE_TEST_EMMETT is not set: no Emmett database to test against");
        }
        QString error;
        const QList<QJsonObject> rows = writeWithEmmett(
            u"write_emmett_pg.mjs"_s, { u"--uri"_s, emmettServer() }, sampleEvents(m_tag, true), &error);
        QVERIFY2(rows.size() == 5, qPrintable(error));
        const QString store = u"emmett+"_s + emmettServer();

        // Every stream of this run, by its name, across partitions.
        QList<QJsonObject> read;
        const QStringList streams { u"order"_s + m_tag + u"-1"_s, u"order"_s + m_tag + u"-2"_s,
            u"tenant"_s + m_tag + u"/cart"_s + m_tag };
        for (const QString& stream : streams) {
            const QStringList args { u"read"_s, store, u"--stream"_s, stream };
            const Run r = clitest::run(args);
            QVERIFY2(clitest::succeeded(args, r), qPrintable(clitest::describe(args, r)));
            read += objects(r);
        }
        compare(read, rows, false);

        // All events in Emmett's order, page by page through the command's own paging.
        const QStringList all { u"read"_s, store, u"--correlation"_s, u"c-"_s + m_tag };
        const Run a = clitest::run(all);
        QVERIFY2(clitest::succeeded(all, a), qPrintable(clitest::describe(all, a)));
        QCOMPARE(objects(a).size(), 3);

        // Archived streams are left out unless asked for.
        QVERIFY2(runTool(u"psql"_s,
                     { emmettServer(), u"-v"_s, u"ON_ERROR_STOP=1"_s, u"-qc"_s,
                         u"UPDATE emt_messages SET is_archived = true WHERE stream_id = 'order"_s + m_tag + u"-2'"_s },
                     &error),
            qPrintable(error));
        const QStringList category { u"read"_s, store, u"--category"_s, u"order"_s + m_tag };
        QCOMPARE(objects(clitest::run(category)).size(), 3);
        const QStringList archived { u"read"_s, store + u"?archived=true"_s, u"--category"_s, u"order"_s + m_tag };
        QCOMPARE(objects(clitest::run(archived)).size(), 4);

        // Behind a plain URI, with a note.
        const QStringList plain { u"read"_s, emmettServer(), u"--category"_s, u"order"_s + m_tag };
        const Run p = clitest::run(plain);
        QVERIFY2(clitest::succeeded(plain, p), qPrintable(clitest::describe(plain, p)));
        QVERIFY(p.err.contains("as an Emmett store (read-only)"));

        const QStringList append { u"append"_s, store, u"--stream"_s, u"x-1"_s, u"--type"_s, u"X"_s };
        QVERIFY(clitest::failedWith(append, clitest::run(append), 1, { u"read-only"_s }));
    }

    void readsAllEventsOnceInOrder()
    {
        if (emmettServer().isEmpty())
            QSKIP("EVENTSCOPE_TEST_EMMETT is not set");
        // More events than a page, so that the read pages through what it read ahead.
        QByteArray input;
        for (int i = 0; i < 2500; ++i)
            input += line({ { u"stream"_s, QString(u"bulk"_s + m_tag + u'-' + QString::number(i / 100)) },
                { u"type"_s, u"Counted"_s }, { u"data"_s, QJsonObject { { u"i"_s, i } } } });
        QString error;
        QCOMPARE(writeWithEmmett(u"write_emmett_pg.mjs"_s, { u"--uri"_s, emmettServer() }, input, &error).size(), 2500);
        const QStringList all { u"read"_s, u"emmett+"_s + emmettServer(), u"--limit"_s, u"10000000"_s };
        const Run r = clitest::run(all);
        QVERIFY2(clitest::succeeded(all, r), qPrintable(clitest::describe(all, r)));
        QSet<qint64> positions;
        QList<int> counted;
        for (const QJsonObject& event : objects(r)) {
            QVERIFY2(!positions.contains(event[u"position"_s].toInteger()), "an event read twice");
            positions.insert(event[u"position"_s].toInteger());
            if (event[u"stream"_s].toString().startsWith(u"bulk"_s + m_tag))
                counted << event[u"data"_s][u"i"_s].toInt();
        }
        // Each append is one transaction: the bulk events come in the order they were appended.
        QList<int> expected;
        for (int i = 0; i < 2500; ++i)
            expected << i;
        QCOMPARE(counted, expected);
        // And nothing is missing: as many as the table holds outside archived rows.
        QProcess count;
        count.start(
            u"psql"_s, { emmettServer(), u"-Atc"_s, u"SELECT count(*) FROM emt_messages WHERE NOT is_archived"_s });
        QVERIFY(count.waitForFinished(30000));
        QCOMPARE(qint64(positions.size()), count.readAllStandardOutput().trimmed().toLongLong());
    }

    void aLateCommitIsNotSkipped()
    {
        if (emmettServer().isEmpty())
            QSKIP("EVENTSCOPE_TEST_EMMETT is not set");
        const QString stream = u"late"_s + m_tag + u"-1"_s;
        // A slow writer takes its global_position first and commits last.
        QProcess slow;
        slow.start(u"psql"_s,
            { emmettServer(), u"-v"_s, u"ON_ERROR_STOP=1"_s, u"-qc"_s,
                u"BEGIN; INSERT INTO emt_messages(stream_position, transaction_id, stream_id, message_schema_version, "
                "message_id, message_type, message_data, message_metadata) VALUES (1, pg_current_xact_id(), '"_s
                    + stream
                    + u"', '1', gen_random_uuid()::text, 'Slow', '{}', '{}'); SELECT pg_sleep(3); COMMIT;"_s });
        QVERIFY(slow.waitForStarted());
        QThread::msleep(800);
        QString error;
        const QByteArray fast
            = line({ { u"stream"_s, QString(u"late"_s + m_tag + u"-2"_s) }, { u"type"_s, u"Fast"_s } });
        const QList<QJsonObject> rows
            = writeWithEmmett(u"write_emmett_pg.mjs"_s, { u"--uri"_s, emmettServer() }, fast, &error);
        QVERIFY2(rows.size() == 1, qPrintable(error));
        const QString store = u"emmett+"_s + emmettServer();
        const QStringList args { u"read"_s, store, u"--category"_s, u"late"_s + m_tag };
        // While the slow transaction runs, the fast event waits behind it: a follower must not pass it.
        QVERIFY(objects(clitest::run(args)).isEmpty());
        QVERIFY(slow.waitForFinished(20000));
        QCOMPARE(slow.exitCode(), 0);
        const QList<QJsonObject> both = objects(clitest::run(args));
        QCOMPARE(both.size(), 2);
        QCOMPARE(both[0][u"type"_s].toString(), u"Slow"_s); // its transaction came first
        QVERIFY(both[0][u"position"_s].toInteger() < both[1][u"position"_s].toInteger());
        // Page by page, one event a page, the same order.
        const QStringList paged { u"read"_s, store, u"--category"_s, u"late"_s + m_tag, u"--limit"_s, u"1"_s };
        const Run first = clitest::run(paged);
        QCOMPARE(objects(first).size(), 1);
        QCOMPARE(objects(first)[0][u"type"_s].toString(), u"Slow"_s);
    }

    void sqlite()
    {
        const QString file = m_dir.filePath(u"emmett.sqlite"_s);
        QString error;
        const QList<QJsonObject> rows = writeWithEmmett(
            u"emmett-sqlite/write_emmett_sqlite.mjs"_s, { u"--file"_s, file }, sampleEvents(m_tag, false), &error);
        QVERIFY2(rows.size() == 4, qPrintable(error));
        const QStringList args { u"read"_s, u"emmett+sqlite:"_s + file };
        const Run r = clitest::run(args);
        QVERIFY2(clitest::succeeded(args, r), qPrintable(clitest::describe(args, r)));
        compare(objects(r), rows, true);
        // A path alone is recognised, with a note.
        const QStringList plain { u"streams"_s, file, u"--format"_s, u"ndjson"_s };
        const Run s = clitest::run(plain);
        QVERIFY2(clitest::succeeded(plain, s), qPrintable(clitest::describe(plain, s)));
        QCOMPARE(objects(s).size(), 2);
        QCOMPARE(objects(s)[0][u"version"_s].toInteger(), 3);
        QVERIFY(s.err.contains("as an Emmett store (read-only)"));
        const QStringList verify { u"verify"_s, u"emmett+sqlite:"_s + file };
        QVERIFY(clitest::failedWith(verify, clitest::run(verify), 1, { u"no hash chains"_s }));
        const QStringList missing { u"read"_s, u"emmett+sqlite:"_s + m_dir.filePath(u"none.sqlite"_s) };
        QVERIFY(clitest::failedWith(missing, clitest::run(missing), 2, { u"no Emmett store"_s }));
    }
};

QTEST_GUILESS_MAIN(TestCliEmmett)
#include "tst_cli_emmett.moc"
