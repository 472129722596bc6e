// Message DB, as Message DB itself wrote it (DESIGN §3, issue 7): messages written by its own write_message()
// through tests/foreign/write_messagedb.mjs, then read back through `eventscope` and compared field by field with
// the rows Message DB stored. Also: its numbering, categories, metadata conventions in a flow, projections kept in
// a workspace, detection behind a plain postgresql:// URI, and every write refused.
//
// The Message DB database comes from EVENTSCOPE_TEST_MESSAGEDB (a libpq URI), which tools/test-all.sh sets after
// tools/install-foreign-stores.sh has installed it; under CI=true a missing one fails instead of skipping.

#include "tests/cli/cli_harness.h"
#include "tests/foreign_writer.h"
#include "tests/test_stores.h"

#include <QJsonArray>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace Qt::Literals::StringLiterals;
using clitest::Run;

namespace {

QString messageDbServer()
{
    return qEnvironmentVariable("EVENTSCOPE_TEST_MESSAGEDB");
}

// Writes NDJSON lines with Message DB's own write_message(); returns the rows it stored, one object per line.
QList<QJsonObject> writeWithMessageDb(const QByteArray& lines, QString* error)
{
    return eventscope::test::writeWithForeignSystem(
        u"write_messagedb.mjs"_s, { u"--uri"_s, messageDbServer() }, lines, error);
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

} // namespace

class TestCliMessageDb : public QObject
{
    Q_OBJECT

private:
    QString m_tag; // keeps this run's streams apart from every other run's in the shared database
    QString m_store;
    QList<QJsonObject> m_rows; // as Message DB stored them
    QTemporaryDir m_dir;

    QString stream(const QString& category, int n) const { return category + m_tag + u'-' + QString::number(n); }

    QJsonObject rowOfId(const QString& id) const
    {
        for (const QJsonObject& row : m_rows)
            if (row.value(u"id"_s).toString() == id)
                return row;
        return {};
    }

    bool sameAsStored(const QJsonObject& read, QString* why) const
    {
        const QJsonObject row = rowOfId(read.value(u"id"_s).toString());
        if (row.isEmpty()) {
            *why = u"an event Message DB did not store: "_s + QString::fromUtf8(line(read));
            return false;
        }
        const QList<QPair<QString, bool>> checks {
            { u"position = global_position"_s,
                read[u"position"_s].toInteger() == row[u"global_position"_s].toInteger() },
            { u"stream = stream_name"_s, read[u"stream"_s] == row[u"stream_name"_s] },
            { u"version = position (from 0)"_s, read[u"version"_s].toInteger() == row[u"position"_s].toInteger() },
            { u"type"_s, read[u"type"_s] == row[u"type"_s] },
            { u"time (UTC, to the microsecond)"_s, read[u"time"_s] == row[u"time_utc"_s] },
            { u"data"_s, read[u"data"_s] == row[u"data"_s] },
            { u"metadata"_s, read[u"metadata"_s] == row[u"metadata"_s] },
        };
        for (const auto& [what, ok] : checks) {
            if (!ok) {
                *why = what + u" differs: read "_s + QString::fromUtf8(line(read)) + u" stored "_s
                    + QString::fromUtf8(line(row));
                return false;
            }
        }
        return true;
    }

private slots:
    void initTestCase()
    {
        if (messageDbServer().isEmpty()) {
            if (eventscope::test::runningInCi())
                QFAIL("EVENTSCOPE_TEST_MESSAGEDB is not set under CI=true: the Message DB tests cannot run");
            QSKIP("EVENTSCOPE_TEST_MESSAGEDB is not set: no Message DB to test against");
        }
        m_tag = QUuid::createUuid().toString(QUuid::Id128).left(10);
        m_store = u"messagedb+"_s + messageDbServer();
        const QString corr = u"order"_s + m_tag + u"-7"_s;
        QByteArray input;
        // Two accounts of one category, a transfer, and messages caused by position in both of Message DB's ways.
        input += line({ { u"stream"_s, stream(u"acct"_s, 1) }, { u"type"_s, u"Opened"_s },
            { u"data"_s, QJsonObject { { u"owner"_s, u"Zoë ✓"_s }, { u"limits"_s, QJsonArray { 1, 2.5, u"x"_s } } } },
            { u"metadata"_s,
                QJsonObject { { u"correlationStreamName"_s, corr }, { u"userId"_s, QString(u"u-"_s + m_tag) } } } });
        for (int i = 1; i <= 4; ++i)
            input += line({ { u"stream"_s, stream(u"acct"_s, 1) }, { u"type"_s, u"Deposited"_s },
                { u"data"_s, QJsonObject { { u"amount"_s, i * 10 } } },
                { u"metadata"_s,
                    QJsonObject { { u"correlationStreamName"_s, corr },
                        { u"causationMessageStreamName"_s, stream(u"acct"_s, 1) },
                        { u"causationMessagePosition"_s, i - 1 } } } });
        input += line({ { u"stream"_s, stream(u"acct"_s, 2) }, { u"type"_s, u"Opened"_s },
            { u"data"_s, QJsonObject { { u"owner"_s, u"B"_s } } }, { u"metadata"_s, QJsonObject {} } });
        QString error;
        m_rows = writeWithMessageDb(input, &error);
        QVERIFY2(!m_rows.isEmpty(), qPrintable(error));
        // The transfer names its cause by global position: one that exists, and then one that does not.
        const qint64 lastDeposit = m_rows.at(4).value(u"global_position"_s).toInteger();
        QByteArray more;
        more += line({ { u"stream"_s, stream(u"xfer"_s, 9) }, { u"type"_s, u"TransferStarted"_s },
            { u"data"_s, QJsonObject { { u"amount"_s, 5 } } },
            { u"metadata"_s,
                QJsonObject {
                    { u"correlationStreamName"_s, corr }, { u"causationMessageGlobalPosition"_s, lastDeposit } } } });
        more += line(
            { { u"stream"_s, stream(u"xfer"_s, 9) }, { u"type"_s, u"TransferLost"_s }, { u"data"_s, QJsonObject {} },
                { u"metadata"_s,
                    QJsonObject { { u"correlationStreamName"_s, corr },
                        { u"causationMessageGlobalPosition"_s, qint64(999999999999) } } } });
        m_rows += writeWithMessageDb(more, &error);
        QCOMPARE(m_rows.size(), 8);
        QVERIFY(m_dir.isValid());
    }

    void readsEveryMessageAsStored()
    {
        for (const QString& category : { u"acct"_s, u"xfer"_s }) {
            const QStringList args { u"read"_s, m_store, u"--category"_s, category + m_tag, u"--limit"_s, u"100"_s };
            const Run r = clitest::run(args);
            QVERIFY2(clitest::succeeded(args, r), qPrintable(clitest::describe(args, r)));
            const QList<QJsonObject> read = objects(r);
            QCOMPARE(read.size(), category == u"acct"_s ? 6 : 2);
            qint64 previous = 0;
            for (const QJsonObject& event : read) {
                QString why;
                QVERIFY2(sameAsStored(event, &why), qPrintable(why));
                QVERIFY(event[u"position"_s].toInteger() > previous); // in global order
                previous = event[u"position"_s].toInteger();
            }
        }
    }

    void readsStreamsByTheirOwnNumbering()
    {
        const QStringList args { u"read"_s, m_store, u"--stream"_s, stream(u"acct"_s, 1), u"--from-version"_s, u"2"_s };
        const Run r = clitest::run(args);
        QVERIFY2(clitest::succeeded(args, r), qPrintable(clitest::describe(args, r)));
        QList<qint64> versions;
        for (const QJsonObject& event : objects(r))
            versions << event[u"version"_s].toInteger();
        QCOMPARE(versions, (QList<qint64> { 2, 3, 4 }));

        const QStringList backward { u"read"_s, m_store, u"--stream"_s, stream(u"acct"_s, 1), u"--backward"_s,
            u"--limit"_s, u"2"_s };
        const Run b = clitest::run(backward);
        QVERIFY2(clitest::succeeded(backward, b), qPrintable(clitest::describe(backward, b)));
        QCOMPARE(objects(b).size(), 2);
        QCOMPARE(objects(b).first()[u"version"_s].toInteger(), 4);

        const QStringList listing { u"streams"_s, m_store, u"--prefix"_s, u"acct"_s + m_tag, u"--format"_s,
            u"ndjson"_s };
        const Run s = clitest::run(listing);
        QVERIFY2(clitest::succeeded(listing, s), qPrintable(clitest::describe(listing, s)));
        const QList<QJsonObject> streams = objects(s);
        QCOMPARE(streams.size(), 2);
        QCOMPARE(streams[0][u"stream"_s].toString(), stream(u"acct"_s, 1));
        QCOMPARE(streams[0][u"count"_s].toInteger(), 5);
        QCOMPARE(streams[0][u"version"_s].toInteger(), 4); // Message DB's last position
        QCOMPARE(streams[0][u"category"_s].toString(), u"acct"_s + m_tag);
    }

    void replaysFromTheFirstMessage()
    {
        // Message DB's first message is position 0: a replay folds it in, and --version 0 stops right after it.
        const QStringList all { u"replay"_s, m_store, u"--stream"_s, stream(u"acct"_s, 1) };
        const Run r = clitest::run(all);
        QVERIFY2(clitest::succeeded(all, r), qPrintable(clitest::describe(all, r)));
        QCOMPARE(r.json()[u"owner"_s].toString(), u"Zoë ✓"_s);
        QCOMPARE(r.json()[u"amount"_s].toInt(), 40);
        QCOMPARE(r.json()[u"$version"_s].toInt(), 4);
        const QStringList first { u"replay"_s, m_store, u"--stream"_s, stream(u"acct"_s, 1), u"--version"_s, u"0"_s };
        const Run f = clitest::run(first);
        QVERIFY2(clitest::succeeded(first, f), qPrintable(clitest::describe(first, f)));
        QCOMPARE(f.json()[u"$type"_s].toString(), u"Opened"_s);
        QCOMPARE(f.json()[u"$version"_s].toInt(), 0);
        QVERIFY(!f.json().contains(u"amount"_s));
    }

    void filtersByTheConventions()
    {
        const QStringList byActor { u"read"_s, m_store, u"--actor"_s, u"u-"_s + m_tag };
        const Run a = clitest::run(byActor);
        QVERIFY2(clitest::succeeded(byActor, a), qPrintable(clitest::describe(byActor, a)));
        QCOMPARE(objects(a).size(), 1);
        QCOMPARE(objects(a).first()[u"type"_s].toString(), u"Opened"_s);

        const QStringList byCorrelation { u"read"_s, m_store, u"--correlation"_s, u"order"_s + m_tag + u"-7"_s,
            u"--type"_s, u"Deposited"_s };
        const Run c = clitest::run(byCorrelation);
        QVERIFY2(clitest::succeeded(byCorrelation, c), qPrintable(clitest::describe(byCorrelation, c)));
        QCOMPARE(objects(c).size(), 4);
    }

    void flowJoinsByPosition()
    {
        const QStringList args { u"flow"_s, m_store, u"--correlation"_s, u"order"_s + m_tag + u"-7"_s };
        const Run r = clitest::run(args);
        QVERIFY2(clitest::succeeded(args, r), qPrintable(clitest::describe(args, r)));
        const QJsonObject flow = r.json();
        QCOMPARE(flow[u"events"_s].toArray().size(), 7);
        // Each deposit was caused by the message before it (stream position), the transfer by the last deposit
        // (global position); the lost one names a position that does not exist.
        QSet<QPair<QString, QString>> edges;
        for (const QJsonValue& edge : flow[u"edges"_s].toArray())
            edges.insert({ edge[u"from"_s].toString(), edge[u"to"_s].toString() });
        QSet<QPair<QString, QString>> expected;
        for (int i = 1; i <= 4; ++i)
            expected.insert({ m_rows[i - 1][u"id"_s].toString(), m_rows[i][u"id"_s].toString() });
        expected.insert({ m_rows[4][u"id"_s].toString(), m_rows[6][u"id"_s].toString() });
        QCOMPARE(edges, expected);
        QCOMPARE(flow[u"orphans"_s].toArray(), QJsonArray { m_rows[7][u"id"_s].toString() });
    }

    void projectionsGoToAWorkspace()
    {
        const QString script = m_dir.filePath(u"count.js"_s);
        QVERIFY(clitest::writeFile(script,
            QByteArray("fromCategory('acct") + m_tag.toUtf8()
                + "').when({ $init: function () { return { n: 0, total: 0 }; },"
                  " Deposited: function (s, e) { s.n++; s.total += e.data.amount; } });\n"));
        const QString workspace = m_dir.filePath(u"workspace.db"_s);
        const QStringList args { u"projection"_s, u"run"_s, m_store, u"--script"_s, script, u"--name"_s, u"deposits"_s,
            u"--workspace"_s, workspace };
        const Run r = clitest::run(args);
        QVERIFY2(clitest::succeeded(args, r), qPrintable(clitest::describe(args, r)));
        QCOMPARE(r.json()[u"n"_s].toInt(), 4);
        QCOMPARE(r.json()[u"total"_s].toInt(), 100);
        const QStringList without { u"projection"_s, u"run"_s, m_store, u"--script"_s, script };
        QVERIFY(clitest::failedWith(without, clitest::run(without), 1, { u"workspace"_s }));
    }

    void refusesEveryWrite()
    {
        const QStringList append { u"append"_s, m_store, u"--stream"_s, stream(u"acct"_s, 1), u"--type"_s, u"X"_s };
        QVERIFY(clitest::failedWith(append, clitest::run(append), 1, { u"read-only"_s }));
        const QStringList verify { u"verify"_s, m_store };
        QVERIFY(clitest::failedWith(verify, clitest::run(verify), 1, { u"no hash chains"_s }));
        // Nothing was written by either.
        const QStringList args { u"read"_s, m_store, u"--stream"_s, stream(u"acct"_s, 1) };
        QCOMPARE(objects(clitest::run(args)).size(), 5);
    }

    void detectedBehindAPlainUri()
    {
        const QStringList args { u"read"_s, messageDbServer(), u"--category"_s, u"xfer"_s + m_tag };
        const Run r = clitest::run(args);
        QVERIFY2(clitest::succeeded(args, r), qPrintable(clitest::describe(args, r)));
        QCOMPARE(objects(r).size(), 2);
        QVERIFY2(r.err.contains("as a Message DB store (read-only)"), r.err.constData());
        QCOMPARE(r.err.count('\n'), 1);
    }

    void aDatabaseWithoutMessageDb()
    {
        const QString server = qEnvironmentVariable("EVENTSCOPE_TEST_PG");
        if (server.isEmpty())
            QSKIP("EVENTSCOPE_TEST_PG is not set");
        const QStringList args { u"read"_s, u"messagedb+"_s + server };
        QVERIFY(clitest::failedWith(args, clitest::run(args), 2, { u"no Message DB store"_s }));
    }
};

QTEST_GUILESS_MAIN(TestCliMessageDb)
#include "tst_cli_messagedb.moc"
