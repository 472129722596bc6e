// The headless command line of DESIGN §8, driven as a user would: the built binary in a process with no
// display, over both backends. Checks what stdout holds, that failures print one sentence with the right exit
// code, and that a failed command writes nothing.

#include "tests/cli/tst_cli.h"
#include "tests/test_stores.h"

#include <QDateTime>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>
#include <sqlite3.h>

using namespace Qt::Literals::StringLiterals;
using clitest::Run;

namespace {

const QRegularExpression kTimeFormat(u"^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z$"_s);
const QRegularExpression kEventLine(
    u"^\\{\"position\":(\\d+),\"stream\":\"[^\"]*\",\"version\":\\d+,\"id\":\"[0-9a-f-]{36}\","
    "\"type\":\"[^\"]*\",\"time\":\"([^\"]*)\",\"data\":.*,\"metadata\":\\{.*\\}\\}$"_s);

// Six events over three categories with every derived field, one system event, in one input file.
// Positions: 1 order-1, 2 payment-1, 3 order-1, 4 order-2, 5 payment-2, 6 order-2, 7 $custom, then the audit event.
const QByteArray kFilterInput
    = R"({"stream":"order-1","type":"OrderPlaced","data":{"note":"a, b","z":1,"a":2},"metadata":{"correlationId":"c-1","userId":"u-1"},"id":"10000000-0000-4000-8000-000000000001","time":"2024-01-01T10:00:00Z"}
{"stream":"payment-1","type":"PaymentTaken","data":{"amount":30},"metadata":{"correlationId":"c-1","causationId":"10000000-0000-4000-8000-000000000001","userId":"u-2"},"id":"10000000-0000-4000-8000-000000000002","time":"2024-01-01T10:05:00Z"}
{"stream":"order-1","type":"OrderShipped","data":{},"metadata":{"correlationId":"c-1","causationId":"10000000-0000-4000-8000-000000000002","userId":"u-1"},"id":"10000000-0000-4000-8000-000000000003","time":"2024-01-01T11:00:00Z"}
{"stream":"order-2","type":"OrderPlaced","data":{},"metadata":{"correlationId":"c-2","userId":"u-3"},"id":"10000000-0000-4000-8000-000000000004","time":"2024-01-01T12:00:00Z"}
{"stream":"payment-2","type":"PaymentFailed","data":{},"metadata":{"correlationId":"c-2","causationId":"10000000-0000-4000-8000-000000000004","userId":"u-2"},"time":"2024-01-01T13:00:00Z"}
{"stream":"order-2","type":"OrderCancelled","data":{},"metadata":{"correlationId":"c-2","user_id":"u-3"},"time":"2024-01-01T14:00:00Z"}
{"stream":"$custom","type":"Marker","data":{},"metadata":{},"time":"2024-01-01T15:00:00Z"}
)";

// `count` one-event lines; "%1" in the stream name becomes the line's number, four digits wide.
QByteArray ndjsonLines(const QString& stream, int count)
{
    QByteArray text;
    for (int i = 1; i <= count; ++i) {
        const QString name = stream.contains(u"%1"_s) ? stream.arg(i, 4, 10, QChar(u'0')) : stream;
        text += R"({"stream":")" + name.toUtf8() + R"(","type":"Tick","data":{"i":)" + QByteArray::number(i) + "}}\n";
    }
    return text;
}

QList<qint64> range(qint64 first, qint64 last)
{
    QList<qint64> result;
    for (qint64 i = first; first <= last ? i <= last : i >= last; i += first <= last ? 1 : -1)
        result << i;
    return result;
}

} // namespace

bool TestCli::ok(const QStringList& arguments, const QByteArray& input)
{
    m_last = clitest::run(arguments, input);
    return clitest::succeeded(arguments, m_last);
}

bool TestCli::fails(const QStringList& arguments, int code, const QStringList& needles, const QByteArray& input)
{
    m_last = clitest::run(arguments, input);
    return clitest::failedWith(arguments, m_last, code, needles);
}

QString TestCli::remember(const std::string& uri)
{
    const QString store = QString::fromStdString(uri);
    const qsizetype at = store.indexOf(u"schema="_s);
    if (store.startsWith(u"postgresql://"_s) && at > 0)
        m_schemas << store.mid(at + 7).section(u'&', 0, 0);
    return store;
}

qint64 TestCli::eventCount(const QString& store)
{
    const Run r = clitest::run({ u"read"_s, store, u"--system"_s, u"--limit"_s, u"1000000"_s });
    return r.code == 0 ? r.lines().size() : -1;
}

bool TestCli::tamper(const QString& store, const QString& sql)
{
    if (!store.startsWith(u"postgresql://"_s)) {
        sqlite3* db = nullptr;
        bool done = sqlite3_open(store.toUtf8().constData(), &db) == SQLITE_OK
            && sqlite3_exec(db, sql.toUtf8().constData(), nullptr, nullptr, nullptr) == SQLITE_OK;
        sqlite3_close(db);
        return done;
    }
    const QString schema = store.mid(store.indexOf(u"schema="_s) + 7).section(u'&', 0, 0);
    QProcess psql;
    psql.start(u"psql"_s,
        { eventscope::test::postgresServer(), u"-v"_s, u"ON_ERROR_STOP=1"_s, u"-q"_s, u"-c"_s,
            u"SET search_path TO "_s + schema + u"; "_s + sql });
    return psql.waitForFinished(30000) && psql.exitStatus() == QProcess::NormalExit && psql.exitCode() == 0;
}

bool TestCli::storeExists(const QString& store)
{
    return clitest::run({ u"streams"_s, store }).code != 2;
}

void TestCli::cleanup()
{
    for (const QString& schema : std::as_const(m_schemas)) {
        QProcess psql;
        psql.start(u"psql"_s,
            { eventscope::test::postgresServer(), u"-q"_s, u"-c"_s,
                u"DROP SCHEMA IF EXISTS "_s + schema + u" CASCADE"_s });
        psql.waitForFinished(30000);
    }
    m_schemas.clear();
}

void TestCli::demoRoundTrip_data()
{
    eventscope::test::addBackendRows();
}

void TestCli::demoRoundTrip()
{
    QFETCH(QString, backend);
    EVENTSCOPE_STORE_OR_SKIP(location, backend);
    const QString store = remember(location.uri());
    QVERIFY(ok({ u"demo"_s, store, u"--events"_s, u"300"_s, u"--seed"_s, u"7"_s }));
    QCOMPARE(m_last.lines().size(), 1);
    const QJsonObject summary = m_last.json();
    QCOMPARE(summary.value(u"events"_s).toInteger(), 300);
    const qint64 streamCount = summary.value(u"streams"_s).toInteger();
    QVERIFY(streamCount > 1 && streamCount < 300);
    QVERIFY(kTimeFormat.match(summary.value(u"first_time"_s).toString()).hasMatch());
    for (const QByteArray& note : m_last.err.split('\n'))
        QVERIFY(note.isEmpty() || note.startsWith("eventscope: "));

    QVERIFY(ok({ u"streams"_s, store, u"--format"_s, u"ndjson"_s }));
    QCOMPARE(m_last.lines().size(), streamCount);
    qint64 versions = 0;
    QString firstStream;
    qint64 firstVersion = 0;
    for (const QByteArray& line : m_last.lines()) {
        QVERIFY2(line.startsWith(R"({"stream":")") && line.contains(R"(,"category":)")
                && line.contains(R"(,"last_position":)"),
            line.constData());
        const QJsonObject s = QJsonDocument::fromJson(line).object();
        versions += s.value(u"version"_s).toInteger();
        if (firstStream.isEmpty()) {
            firstStream = s.value(u"stream"_s).toString();
            firstVersion = s.value(u"version"_s).toInteger();
        }
    }
    QCOMPARE(versions, 300);
    QVERIFY(ok({ u"streams"_s, store }));
    QCOMPARE(m_last.lines().size(), streamCount + 1);
    QVERIFY(m_last.lines().constFirst().startsWith("stream "));

    QVERIFY(ok({ u"read"_s, store }));
    QCOMPARE(positions(m_last), range(1, 300));
    QVERIFY(m_last.err.isEmpty());
    for (const QByteArray& line : m_last.lines()) {
        const auto match = kEventLine.match(QString::fromUtf8(line));
        QVERIFY2(match.hasMatch(), line.constData());
        QVERIFY(kTimeFormat.match(match.captured(2)).hasMatch());
    }

    QVERIFY(ok({ u"read"_s, store, u"--stream"_s, firstStream }));
    QCOMPARE(m_last.lines().size(), firstVersion);
    const QJsonObject lastEvent = QJsonDocument::fromJson(m_last.lines().constLast()).object();
    QVERIFY(ok({ u"replay"_s, store, u"--stream"_s, firstStream }));
    QJsonObject state = m_last.json();
    QCOMPARE(state.value(u"$version"_s).toInteger(), firstVersion);
    QCOMPARE(state.value(u"$type"_s).toString(), lastEvent.value(u"type"_s).toString());
    QCOMPARE(state.value(u"$time"_s).toString(), lastEvent.value(u"time"_s).toString());
    QVERIFY(ok({ u"replay"_s, store, u"--stream"_s, firstStream, u"--version"_s, u"1"_s }));
    QCOMPARE(m_last.json().value(u"$version"_s).toInteger(), 1);

    QVERIFY(ok({ u"verify"_s, store }));
    QCOMPARE(m_last.json().value(u"ok"_s).toBool(), true);
    QCOMPARE(m_last.json().value(u"events_checked"_s).toInteger(), 301); // 300 and the demo's audit record
    QVERIFY(ok({ u"read"_s, store, u"--stream"_s, u"$eventscope-audit"_s }));
    QCOMPARE(m_last.lines().size(), 1);
    QVERIFY(m_last.lines().constFirst().contains("\"type\":\"DemoGenerated\""));

    QVERIFY(fails({ u"demo"_s, store, u"--events"_s, u"10"_s }, 1, { u"already holds events"_s }));
    QCOMPARE(eventCount(store), 301);
}

void TestCli::appendSingle_data()
{
    eventscope::test::addBackendRows();
}

void TestCli::appendSingle()
{
    QFETCH(QString, backend);
    EVENTSCOPE_STORE_OR_SKIP(location, backend);
    const QString store = remember(location.uri());
    const QString id = u"8F2C1A4E-0B1D-4E5F-9A6B-7C8D9E0F1A2B"_s;
    const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(-5);
    QVERIFY(ok({ u"append"_s, store, u"--stream"_s, u"order-1"_s, u"--type"_s, u"OrderPlaced"_s, u"--data"_s,
        uR"({"b":1,"a":[1,2],"n":1.50})"_s, u"--metadata"_s, uR"({"correlationId":"c-1","userId":"u-17"})"_s, u"--id"_s,
        id, u"--expected-version"_s, u"no-stream"_s }));
    QCOMPARE(m_last.lines().size(), 1);
    const QJsonObject result = m_last.json();
    QCOMPARE(result.value(u"stream"_s).toString(), u"order-1"_s);
    QCOMPARE(result.value(u"first_version"_s).toInteger(), 1);
    QCOMPARE(result.value(u"last_version"_s).toInteger(), 1);
    QCOMPARE(result.value(u"ids"_s).toArray().first().toString(), id.toLower());

    QVERIFY(ok({ u"read"_s, store }));
    QCOMPARE(m_last.lines().size(), 1);
    const QString line = QString::fromUtf8(m_last.lines().first());
    const auto match = kEventLine.match(line);
    QVERIFY2(match.hasMatch(), qPrintable(line));
    const QString time = match.captured(2);
    QCOMPARE(line,
        uR"({"position":1,"stream":"order-1","version":1,"id":")"_s + id.toLower()
            + uR"(","type":"OrderPlaced","time":")"_s + time
            + uR"(","data":{"b":1,"a":[1,2],"n":1.50},"metadata":{"correlationId":"c-1","userId":"u-17"}})"_s);
    const QDateTime stored = QDateTime::fromString(time, Qt::ISODateWithMs);
    QVERIFY2(stored >= before && stored <= QDateTime::currentDateTimeUtc().addSecs(5), qPrintable(time));

    // The write is recorded once in the audit stream, with the OS user and host.
    QVERIFY(ok({ u"read"_s, store, u"--system"_s }));
    QCOMPARE(m_last.lines().size(), 2);
    const QJsonObject audit = QJsonDocument::fromJson(m_last.lines().at(1)).object();
    QCOMPARE(audit.value(u"stream"_s).toString(), u"$eventscope-audit"_s);
    QVERIFY(audit.value(u"metadata"_s).toObject().contains(u"user"_s));
    QVERIFY(audit.value(u"metadata"_s).toObject().contains(u"host"_s));

    // Defaults, and JSON text that spans lines still makes one NDJSON line with its key order kept.
    QVERIFY(ok({ u"append"_s, store, u"--stream"_s, u"order-1"_s, u"--type"_s, u"Noted"_s }));
    QVERIFY(ok({ u"append"_s, store, u"--stream"_s, u"order-1"_s, u"--type"_s, u"Noted"_s, u"--data"_s,
        u"{\n  \"z\": 1,\n  \"y\": \"two\"\n}"_s, u"--expected-version"_s, u"2"_s }));
    QCOMPARE(m_last.json().value(u"first_version"_s).toInteger(), 3);
    QVERIFY(ok({ u"read"_s, store, u"--stream"_s, u"order-1"_s, u"--from-version"_s, u"2"_s }));
    QCOMPARE(m_last.lines().size(), 2);
    QVERIFY(m_last.lines().at(0).endsWith(R"("data":{},"metadata":{}})"));
    QVERIFY2(m_last.lines().at(1).contains(R"("data":{   "z": 1,   "y": "two" })"), m_last.lines().at(1).constData());
}

void TestCli::appendInput_data()
{
    eventscope::test::addBackendRows();
}

void TestCli::appendInput()
{
    QFETCH(QString, backend);
    EVENTSCOPE_STORE_OR_SKIP(location, backend);
    const QString store = remember(location.uri());
    const QString input = QDir(location.dir()).filePath(u"in.ndjson"_s);
    QVERIFY(clitest::writeFile(input,
        R"({"stream":"acct-1","type":"Opened","data":{"owner":"ann","z":1,"a":2},"metadata":{"userId":"u-1"},"id":"11111111-1111-4111-8111-111111111111","time":"2024-01-15T15:00:00.5+01:00"}
{"stream":"acct-1","type":"Deposited","data":{"amount":10},"metadata":{},"time":"2024-01-15T14:00:01Z"}

{"stream":"acct-2","type":"Opened","data":{},"id":"22222222-2222-4222-8222-222222222222","time":"2024-01-15T14:00:02.123456789Z"}
{"stream":"acct-1","type":"Deposited","data":{"amount":5},"time":"2024-01-14T23:59:59-05:00"}
)"));
    QVERIFY(ok({ u"append"_s, store, u"--input"_s, input }));
    const auto results = m_last.lines();
    QCOMPARE(results.size(), 3);
    const QJsonObject first = QJsonDocument::fromJson(results.at(0)).object();
    QCOMPARE(first.value(u"stream"_s).toString(), u"acct-1"_s);
    QCOMPARE(first.value(u"last_version"_s).toInteger(), 2);
    QCOMPARE(QJsonDocument::fromJson(results.at(1)).object().value(u"stream"_s).toString(), u"acct-2"_s);
    QCOMPARE(QJsonDocument::fromJson(results.at(2)).object().value(u"first_version"_s).toInteger(), 3);

    QVERIFY(ok({ u"read"_s, store }));
    const auto lines = m_last.lines();
    QCOMPARE(lines.size(), 4);
    QVERIFY2(
        lines.at(0).startsWith(
            R"({"position":1,"stream":"acct-1","version":1,"id":"11111111-1111-4111-8111-111111111111","type":"Opened","time":"2024-01-15T14:00:00.500000Z","data":{"owner":"ann","z":1,"a":2},"metadata":{"userId":"u-1"}})"),
        lines.at(0).constData());
    QVERIFY(lines.at(1).contains(R"("time":"2024-01-15T14:00:01.000000Z")"));
    QVERIFY(lines.at(2).contains(R"("id":"22222222-2222-4222-8222-222222222222")"));
    QVERIFY(lines.at(2).contains(R"("time":"2024-01-15T14:00:02.123456Z")"));
    QVERIFY(lines.at(3).contains(R"("version":3)"));
    QVERIFY(lines.at(3).contains(R"("time":"2024-01-15T04:59:59.000000Z")"));

    // Standard input, and an export appends back as it is (position and version are ignored).
    QVERIFY(ok({ u"append"_s, store, u"--input"_s, u"-"_s },
        R"({"stream":"acct-3","type":"Opened","data":{"x":1},"position":99,"version":7})"
        "\n"));
    QVERIFY(ok({ u"read"_s, store, u"--stream"_s, u"acct-3"_s }));
    QVERIFY(m_last.lines().constFirst().contains(R"("version":1,)"));
}

void TestCli::readFilters_data()
{
    eventscope::test::addBackendRows();
}

void TestCli::readFilters()
{
    QFETCH(QString, backend);
    EVENTSCOPE_STORE_OR_SKIP(location, backend);
    const QString store = remember(location.uri());
    QVERIFY(ok({ u"append"_s, store, u"--input"_s, u"-"_s }, kFilterInput));
    const QString cause1 = u"10000000-0000-4000-8000-000000000001"_s;
    const QList<QPair<QStringList, QList<qint64>>> cases {
        { {}, range(1, 6) },
        { { u"--system"_s }, range(1, 8) },
        { { u"--stream"_s, u"order-1"_s }, { 1, 3 } },
        { { u"--stream"_s, u"$custom"_s }, { 7 } },
        { { u"--stream"_s, u"order-1"_s, u"--from-version"_s, u"2"_s }, { 3 } },
        { { u"--stream"_s, u"order-1"_s, u"--backward"_s }, { 3, 1 } },
        { { u"--stream"_s, u"order-1"_s, u"--from-version"_s, u"1"_s, u"--backward"_s }, { 1 } },
        { { u"--from-position"_s, u"3"_s }, range(3, 6) },
        { { u"--from-position"_s, u"4"_s, u"--backward"_s }, range(4, 1) },
        { { u"--backward"_s }, range(6, 1) },
        { { u"--limit"_s, u"2"_s }, { 1, 2 } },
        { { u"--backward"_s, u"--limit"_s, u"2"_s }, { 6, 5 } },
        { { u"--type"_s, u"OrderPlaced"_s }, { 1, 4 } },
        { { u"--type"_s, u"OrderPlaced"_s, u"--type"_s, u"PaymentFailed"_s }, { 1, 4, 5 } },
        { { u"--category"_s, u"order"_s }, { 1, 3, 4, 6 } },
        { { u"--correlation"_s, u"c-2"_s }, { 4, 5, 6 } },
        { { u"--causation"_s, cause1 }, { 2 } },
        { { u"--actor"_s, u"u-3"_s }, { 4, 6 } },
        { { u"--since"_s, u"2024-01-01T11:00:00Z"_s }, range(3, 6) },
        { { u"--until"_s, u"2024-01-01T11:00:00Z"_s }, range(1, 3) },
        { { u"--since"_s, u"2024-01-01T12:00:00+01:00"_s, u"--until"_s, u"2024-01-01T13:00:00.000001Z"_s },
            range(3, 5) },
        { { u"--category"_s, u"order"_s, u"--actor"_s, u"u-1"_s, u"--since"_s, u"2024-01-01T10:30:00Z"_s }, { 3 } },
        { { u"--type"_s, u"Nothing"_s }, {} },
    };
    for (const auto& [filters, expected] : cases) {
        const QStringList arguments = QStringList { u"read"_s, store } + filters;
        QVERIFY(ok(arguments));
        QVERIFY2(positions(m_last) == expected, qPrintable(filters.join(u' ')));
        QVERIFY2(m_last.err.isEmpty(), m_last.err.constData());
    }

    QVERIFY(ok({ u"read"_s, store, u"--format"_s, u"csv"_s, u"--limit"_s, u"2"_s }));
    QVERIFY(m_last.out.startsWith("position,stream,version,id,type,time,data,metadata\r\n"));
    const auto rows = clitest::parseCsv(m_last.out);
    QCOMPARE(rows.size(), 3);
    QCOMPARE(rows.at(1).size(), 8);
    QCOMPARE(rows.at(1).at(1), u"order-1"_s);
    QCOMPARE(rows.at(1).at(5), u"2024-01-01T10:00:00.000000Z"_s);
    QCOMPARE(rows.at(1).at(6), uR"({"note":"a, b","z":1,"a":2})"_s);
    QCOMPARE(rows.at(2).at(7),
        uR"({"correlationId":"c-1","causationId":"10000000-0000-4000-8000-000000000001","userId":"u-2"})"_s);

    QVERIFY(ok({ u"read"_s, store, u"--format"_s, u"table"_s }));
    const auto table = m_last.lines();
    QCOMPARE(table.size(), 7);
    const QString header = QString::fromUtf8(table.first());
    for (const QString& column :
        { u"position"_s, u"time"_s, u"stream"_s, u"version"_s, u"type"_s, u"actor"_s, u"correlation"_s })
        QVERIFY2(header.contains(column), qPrintable(header));
    const qsizetype streamColumn = header.indexOf(u"stream"_s);
    const qsizetype typeColumn = header.indexOf(u"type"_s);
    for (qsizetype i = 1; i < table.size(); ++i) {
        const QString row = QString::fromUtf8(table.at(i));
        QVERIFY2(row.mid(streamColumn).startsWith(u"order-"_s) || row.mid(streamColumn).startsWith(u"payment-"_s),
            qPrintable(row));
        QVERIFY2(row.at(typeColumn - 1) == u' ' && row.at(typeColumn) != u' ', qPrintable(row));
    }
    QVERIFY(table.at(1).contains("u-1") && table.at(1).contains("c-1"));

    QVERIFY(fails({ u"read"_s, store, u"--format"_s, u"xml"_s }, 1, { u"--format"_s }));
    QVERIFY(fails({ u"read"_s, store, u"--from-version"_s, u"2"_s }, 1, { u"--stream"_s }));
    QVERIFY(fails({ u"read"_s, store, u"--limit"_s, u"0"_s }, 1, { u"--limit"_s }));
    QVERIFY(fails({ u"read"_s, store, u"--since"_s, u"yesterday"_s }, 1, { u"yesterday"_s }));
}

void TestCli::paging_data()
{
    eventscope::test::addBackendRows();
}

void TestCli::paging()
{
    QFETCH(QString, backend);
    EVENTSCOPE_STORE_OR_SKIP(location, backend);
    const QString store = remember(location.uri());
    QVERIFY(ok({ u"append"_s, store, u"--input"_s, u"-"_s }, ndjsonLines(u"p-%1"_s, 1005)));
    QCOMPARE(m_last.lines().size(), 1005);

    QVERIFY(ok({ u"read"_s, store }));
    QCOMPARE(positions(m_last), range(1, 1000));
    QVERIFY(clitest::failedWith({}, Run { 1, false, {}, m_last.err }, 1, { u"--from-position 1001"_s }));
    QVERIFY(ok({ u"read"_s, store, u"--from-position"_s, u"1001"_s }));
    QCOMPARE(positions(m_last), range(1001, 1005));
    QVERIFY(m_last.err.isEmpty());
    QVERIFY(ok({ u"read"_s, store, u"--limit"_s, u"1003"_s }));
    QCOMPARE(positions(m_last), range(1, 1003));
    QVERIFY(m_last.err.isEmpty());
    QVERIFY(ok({ u"read"_s, store, u"--backward"_s, u"--limit"_s, u"2500"_s }));
    QCOMPARE(positions(m_last), range(1005, 1));
    QVERIFY(ok({ u"read"_s, store, u"--format"_s, u"table"_s }));
    QCOMPARE(m_last.lines().size(), 1001);
    QVERIFY(m_last.err.contains("--from-position 1001"));

    QVERIFY(ok({ u"streams"_s, store, u"--format"_s, u"ndjson"_s }));
    QCOMPARE(m_last.lines().size(), 1000);
    QVERIFY(m_last.lines().constLast().startsWith(R"({"stream":"p-1000")"));
    QVERIFY(clitest::failedWith({}, Run { 1, false, {}, m_last.err }, 1, { u"--after p-1000"_s }));
    QVERIFY(ok({ u"streams"_s, store, u"--format"_s, u"ndjson"_s, u"--after"_s, u"p-1000"_s }));
    QCOMPARE(m_last.lines().size(), 5);
    QVERIFY(m_last.err.isEmpty());
    QVERIFY(ok({ u"streams"_s, store, u"--limit"_s, u"1005"_s, u"--format"_s, u"ndjson"_s }));
    QCOMPARE(m_last.lines().size(), 1005);
    QVERIFY(m_last.err.isEmpty());
    QVERIFY(ok({ u"streams"_s, store, u"--prefix"_s, u"p-100"_s, u"--format"_s, u"ndjson"_s }));
    QCOMPARE(m_last.lines().size(), 6);

    QVERIFY(ok({ u"append"_s, store, u"--input"_s, u"-"_s }, ndjsonLines(u"big"_s, 1001)));
    QVERIFY(ok({ u"read"_s, store, u"--stream"_s, u"big"_s }));
    QCOMPARE(m_last.lines().size(), 1000);
    QVERIFY(m_last.err.contains("--from-version 1001"));
    QVERIFY(ok({ u"read"_s, store, u"--stream"_s, u"big"_s, u"--from-version"_s, u"1001"_s }));
    QCOMPARE(m_last.lines().size(), 1);
    QVERIFY(m_last.lines().constFirst().contains(R"("version":1001,)"));
}

void TestCli::wrongExpectedVersion_data()
{
    eventscope::test::addBackendRows();
}

void TestCli::wrongExpectedVersion()
{
    QFETCH(QString, backend);
    EVENTSCOPE_STORE_OR_SKIP(location, backend);
    const QString store = remember(location.uri());
    const QStringList append { u"append"_s, store, u"--type"_s, u"Changed"_s, u"--stream"_s };
    // A refused append to a store that does not exist yet does not create it either.
    QVERIFY(fails(append + QStringList { u"order-7"_s, u"--expected-version"_s, u"3"_s }, 3,
        { u"order-7"_s, u"expected 3"_s, u"actual no-stream"_s }));
    if (backend == u"sqlite"_s)
        QVERIFY(!storeExists(store));

    QVERIFY(ok(append + QStringList { u"order-7"_s, u"--expected-version"_s, u"no-stream"_s }));
    QVERIFY(fails(append + QStringList { u"order-7"_s, u"--expected-version"_s, u"0"_s }, 3,
        { u"order-7"_s, u"expected 0, actual 1"_s }));
    QVERIFY(fails(append + QStringList { u"order-7"_s, u"--expected-version"_s, u"5"_s }, 3,
        { u"order-7"_s, u"expected 5, actual 1"_s }));
    QVERIFY(fails(append + QStringList { u"order-7"_s, u"--expected-version"_s, u"no-stream"_s }, 3,
        { u"order-7"_s, u"expected no-stream"_s, u"actual 1"_s }));
    QVERIFY(fails(append + QStringList { u"order-8"_s, u"--expected-version"_s, u"exists"_s }, 3,
        { u"order-8"_s, u"expected exists"_s, u"actual no-stream"_s }));
    QCOMPARE(eventCount(store), 2); // the event and its audit record
    QVERIFY(ok(append + QStringList { u"order-7"_s, u"--expected-version"_s, u"1"_s }));
    QCOMPARE(m_last.json().value(u"last_version"_s).toInteger(), 2);
}

void TestCli::verifyAndSeal_data()
{
    eventscope::test::addBackendRows();
}

void TestCli::verifyAndSeal()
{
    QFETCH(QString, backend);
    EVENTSCOPE_STORE_OR_SKIP(location, backend);
    const QString store = remember(location.uri());
    QByteArray input;
    for (const char* stream : { "acct-1", "acct-2", "acct-3" })
        for (int i = 0; i < 3; ++i)
            input += R"({"stream":")" + QByteArray(stream) + R"(","type":"Deposited","data":{"amount":)"
                + QByteArray::number(i + 1) + "}}\n";
    QVERIFY(ok({ u"append"_s, store, u"--input"_s, u"-"_s }, input));
    QVERIFY(ok({ u"verify"_s, store }));
    QCOMPARE(m_last.json().value(u"ok"_s).toBool(), true);
    QCOMPARE(m_last.json().value(u"events_checked"_s).toInteger(), 10); // nine and the audit record

    QTemporaryDir sealDir;
    const QString sealPath = QDir(sealDir.path()).filePath(u"store.seal"_s);
    QVERIFY(ok({ u"seal"_s, store, u"--out"_s, sealPath }));
    QCOMPARE(m_last.json().value(u"head_position"_s).toInteger(), 10);
    QCOMPARE(QDir(sealDir.path()).entryList(QDir::Files | QDir::Hidden), QStringList { u"store.seal"_s });
    QCOMPARE(QJsonDocument::fromJson(clitest::readFile(sealPath)).object().value(u"head_position"_s).toInteger(), 10);
    QVERIFY(ok({ u"read"_s, store, u"--stream"_s, u"$eventscope-audit"_s, u"--backward"_s, u"--limit"_s, u"1"_s }));
    QVERIFY(m_last.lines().constFirst().contains("\"type\":\"StoreSealed\""));
    QVERIFY(ok({ u"verify"_s, store, u"--seal"_s, sealPath }));
    QCOMPARE(m_last.json().value(u"ok"_s).toBool(), true);
    // Events appended after the seal are outside it.
    QVERIFY(ok({ u"append"_s, store, u"--stream"_s, u"acct-1"_s, u"--type"_s, u"Deposited"_s }));
    QVERIFY(ok({ u"verify"_s, store, u"--seal"_s, sealPath }));

    QVERIFY(
        tamper(store, u"UPDATE events SET data = '{\"amount\":1000000}' WHERE stream = 'acct-2' AND version = 2"_s));
    QVERIFY(fails({ u"verify"_s, store }, 4, { u"acct-2"_s, u"version 2"_s }));
    QVERIFY(fails({ u"verify"_s, store, u"--seal"_s, sealPath }, 4, { u"acct-2"_s, u"version 2"_s }));
    QVERIFY(
        fails({ u"seal"_s, store, u"--out"_s, QDir(sealDir.path()).filePath(u"again.seal"_s) }, 4, { u"acct-2"_s }));
    QVERIFY(!QFileInfo::exists(QDir(sealDir.path()).filePath(u"again.seal"_s)));
    QVERIFY(fails({ u"verify"_s, store, u"--seal"_s, QDir(sealDir.path()).filePath(u"missing.seal"_s) }, 1));
}

void TestCli::sealFindsDeletedTail_data()
{
    eventscope::test::addBackendRows();
}

void TestCli::sealFindsDeletedTail()
{
    QFETCH(QString, backend);
    EVENTSCOPE_STORE_OR_SKIP(location, backend);
    const QString store = remember(location.uri());
    QVERIFY(ok({ u"append"_s, store, u"--input"_s, u"-"_s }, ndjsonLines(u"acct"_s, 4)));
    const QString sealPath = QDir(location.dir()).filePath(u"tail.seal"_s);
    QVERIFY(ok({ u"seal"_s, store, u"--out"_s, sealPath }));
    // The chain of what is left is intact; only the seal knows that the last event was there.
    QVERIFY(tamper(store, u"DELETE FROM events WHERE stream = 'acct' AND version = 4"_s));
    QVERIFY(fails({ u"verify"_s, store, u"--seal"_s, sealPath }, 4));
}

void TestCli::exportFiles_data()
{
    eventscope::test::addBackendRows();
}

void TestCli::exportFiles()
{
    QFETCH(QString, backend);
    EVENTSCOPE_STORE_OR_SKIP(location, backend);
    const QString store = remember(location.uri());
    QTemporaryDir outDir;
    const QDir dir(outDir.path());
    const QString target = dir.filePath(u"orders.ndjson"_s);
    // Nothing to export from yet: no file appears.
    QVERIFY(fails({ u"export"_s, store, u"--out"_s, target }, 2));
    QVERIFY(dir.entryList(QDir::Files | QDir::Hidden).isEmpty());

    QVERIFY(ok({ u"append"_s, store, u"--input"_s, u"-"_s }, kFilterInput));
    QVERIFY(ok({ u"export"_s, store, u"--out"_s, target, u"--category"_s, u"order"_s }));
    QCOMPARE(m_last.json().value(u"events"_s).toInteger(), 4);
    const QString digest = clitest::sha256Of(target);
    QCOMPARE(m_last.json().value(u"sha256"_s).toString(), digest);
    QCOMPARE(clitest::readFile(target + u".sha256"_s), digest.toLatin1() + "  orders.ndjson\n");
    QCOMPARE(dir.entryList(QDir::Files | QDir::Hidden), QStringList({ u"orders.ndjson"_s, u"orders.ndjson.sha256"_s }));
    QVERIFY(ok({ u"read"_s, store, u"--category"_s, u"order"_s }));
    QCOMPARE(clitest::readFile(target), m_last.out);

    // Every filter of read applies; an export replaces the file whole.
    QVERIFY(ok({ u"export"_s, store, u"--out"_s, target, u"--system"_s, u"--backward"_s, u"--limit"_s, u"2"_s }));
    QVERIFY(ok({ u"read"_s, store, u"--system"_s, u"--backward"_s, u"--limit"_s, u"2"_s }));
    QCOMPARE(clitest::readFile(target), m_last.out);
    QCOMPARE(clitest::readFile(target + u".sha256"_s), clitest::sha256Of(target).toLatin1() + "  orders.ndjson\n");

    const QString other = dir.filePath(u"other.ndjson"_s);
    QVERIFY(fails({ u"export"_s, store, u"--out"_s, other, u"--since"_s, u"soon"_s }, 1, { u"soon"_s }));
    QVERIFY(fails({ u"export"_s, store }, 1, { u"--out"_s }));
    QVERIFY(fails({ u"export"_s, store, u"--out"_s, dir.filePath(u"no/such/folder.ndjson"_s) }, 1));
    QCOMPARE(dir.entryList(QDir::Files | QDir::Hidden), QStringList({ u"orders.ndjson"_s, u"orders.ndjson.sha256"_s }));
}

void TestCli::replayTargets_data()
{
    eventscope::test::addBackendRows();
}

void TestCli::replayTargets()
{
    QFETCH(QString, backend);
    EVENTSCOPE_STORE_OR_SKIP(location, backend);
    const QString store = remember(location.uri());
    QVERIFY(ok({ u"append"_s, store, u"--input"_s, u"-"_s },
        R"({"stream":"acct-9","type":"Opened","data":{"owner":"ann","balance":0,"tags":["a"]},"time":"2024-01-01T10:00:00Z"}
{"stream":"acct-9","type":"Deposited","data":{"balance":10},"time":"2024-01-01T11:00:00Z"}
{"stream":"acct-9","type":"Renamed","data":{"owner":"bob","tags":null},"time":"2024-01-01T12:00:00Z"}
)"));
    QVERIFY(ok({ u"replay"_s, store, u"--stream"_s, u"acct-9"_s }));
    QJsonObject state = m_last.json();
    QCOMPARE(state.value(u"owner"_s).toString(), u"bob"_s);
    QCOMPARE(state.value(u"balance"_s).toInt(), 10);
    QVERIFY(!state.contains(u"tags"_s));
    QCOMPARE(state.value(u"$version"_s).toInteger(), 3);
    QCOMPARE(state.value(u"$type"_s).toString(), u"Renamed"_s);
    QCOMPARE(state.value(u"$time"_s).toString(), u"2024-01-01T12:00:00.000000Z"_s);

    QVERIFY(ok({ u"replay"_s, store, u"--stream"_s, u"acct-9"_s, u"--at"_s, u"2024-01-01T11:30:00Z"_s }));
    QCOMPARE(m_last.json().value(u"$version"_s).toInteger(), 2);
    QCOMPARE(m_last.json().value(u"owner"_s).toString(), u"ann"_s);
    QVERIFY(ok({ u"replay"_s, store, u"--stream"_s, u"acct-9"_s, u"--at"_s, u"2024-01-01T12:00:00+01:00"_s }));
    QCOMPARE(m_last.json().value(u"$version"_s).toInteger(), 2);
    QVERIFY(ok({ u"replay"_s, store, u"--stream"_s, u"acct-9"_s, u"--version"_s, u"1"_s }));
    QCOMPARE(m_last.json().value(u"balance"_s).toInt(), 0);
    QCOMPARE(m_last.json().value(u"tags"_s).toArray().size(), 1);

    QVERIFY(fails({ u"replay"_s, store, u"--stream"_s, u"acct-9"_s, u"--reducer"_s, u"missing.js"_s }, 1,
        { u"cannot read the reducer"_s }));
    QVERIFY(fails({ u"replay"_s, store, u"--stream"_s, u"acct-9"_s, u"--at"_s, u"noon"_s }, 1, { u"noon"_s }));
    QVERIFY(fails({ u"replay"_s, store, u"--stream"_s, u"acct-9"_s, u"--at"_s, u"2024-01-01T11:30:00Z"_s,
                      u"--version"_s, u"1"_s },
        1));
    QVERIFY(fails({ u"replay"_s, store }, 1, { u"--stream"_s }));
    QVERIFY(fails({ u"replay"_s, store, u"--stream"_s, u"acct-404"_s }, 1, { u"acct-404"_s }));
}

// JavaScript reducers (DESIGN §4): the state they build, and exit 5 with the script's message when one throws,
// does not compile or runs past its time limit.
void TestCli::javascriptReducers()
{
    eventscope::test::StoreLocation location(u"sqlite"_s);
    const QString store = remember(location.uri());
    QVERIFY(ok({ u"append"_s, store, u"--input"_s, u"-"_s },
        "{\"stream\":\"acct-1\",\"type\":\"Deposited\",\"data\":{\"amount\":30}}\n"
        "{\"stream\":\"acct-1\",\"type\":\"Withdrawn\",\"data\":{\"amount\":12}}\n"
        "{\"stream\":\"acct-1\",\"type\":\"Deposited\",\"data\":{\"amount\":5}}\n"));
    QTemporaryDir folder;
    const auto script = [&](const QString& name, const QByteArray& text) {
        QFile file(folder.filePath(name));
        file.open(QIODevice::WriteOnly);
        file.write(text);
        return file.fileName();
    };
    const QString bank = script(u"bank.js"_s,
        "({ $init: () => ({ balance: 0 }),\n"
        "   Deposited: (s, e) => { s.balance += e.data.amount; },\n"
        "   Withdrawn: (s, e) => ({ balance: s.balance - e.body.amount, last: e.eventType }) })\n");
    QVERIFY(ok({ u"replay"_s, store, u"--stream"_s, u"acct-1"_s, u"--reducer"_s, bank }));
    QCOMPARE(m_last.json().value(u"balance"_s).toInt(), 23);
    QCOMPARE(m_last.json().value(u"last"_s).toString(), u"Withdrawn"_s);
    QVERIFY(ok({ u"replay"_s, store, u"--stream"_s, u"acct-1"_s, u"--reducer"_s, bank, u"--version"_s, u"2"_s }));
    QCOMPARE(m_last.json().value(u"balance"_s).toInt(), 18);

    const QString throwing
        = script(u"throwing.js"_s, "({ Withdrawn: (s, e) => { throw new Error('overdraft check failed'); } })\n");
    QVERIFY(fails({ u"replay"_s, store, u"--stream"_s, u"acct-1"_s, u"--reducer"_s, throwing }, 5,
        { u"version 2"_s, u"Withdrawn"_s, u"overdraft check failed"_s }));
    const QString broken = script(u"broken.js"_s, "({ Deposited: (s, e) => { s.balance += }\n");
    QVERIFY(fails({ u"replay"_s, store, u"--stream"_s, u"acct-1"_s, u"--reducer"_s, broken }, 5, { u"compile"_s }));
    const QString endless = script(u"endless.js"_s, "({ Deposited: (s, e) => { while (true) {} } })\n");
    QVERIFY(
        fails({ u"replay"_s, store, u"--stream"_s, u"acct-1"_s, u"--reducer"_s, endless, u"--time-limit"_s, u"1"_s }, 5,
            { u"time limit"_s }));
}

void TestCli::badInputWritesNothing_data()
{
    eventscope::test::addBackendRows();
}

void TestCli::badInputWritesNothing()
{
    QFETCH(QString, backend);
    EVENTSCOPE_STORE_OR_SKIP(location, backend);
    const QString store = remember(location.uri());
    const QDir dir(location.dir());
    const QString input = dir.filePath(u"bad.ndjson"_s);
    const QByteArray good = R"({"stream":"s-1","type":"T","data":{}})"
                            "\n";
    const QStringList single { u"append"_s, store, u"--stream"_s, u"s-1"_s, u"--type"_s, u"T"_s };
    const auto badCases = [&](const QString& when) {
        QVERIFY2(fails(single + QStringList { u"--data"_s, uR"({"a":)"_s }, 1, { u"--data"_s, u"not valid JSON"_s }),
            qPrintable(when));
        QVERIFY(fails(single + QStringList { u"--metadata"_s, u"[1]"_s }, 1, { u"--metadata"_s, u"JSON object"_s }));
        QVERIFY(fails(single + QStringList { u"--id"_s, u"not-a-uuid"_s }, 1, { u"not-a-uuid"_s }));
        QVERIFY(fails(single + QStringList { u"--expected-version"_s, u"soon"_s }, 1, { u"soon"_s }));
        QVERIFY(fails(single + QStringList { u"--bogus"_s }, 1, { u"bogus"_s }));
        QVERIFY(fails({ u"append"_s, store, u"--stream"_s, u"s-1"_s }, 1, { u"--type"_s }));
        QVERIFY(clitest::writeFile(input, good + good + "{\"stream\":\"s-1\",\"type\":\n" + good));
        QVERIFY(fails({ u"append"_s, store, u"--input"_s, input }, 1, { u"line 3"_s, u"not valid JSON"_s }));
        QVERIFY(clitest::writeFile(input, good + R"({"stream":"s-2","data":{}})" + "\n"));
        QVERIFY(fails({ u"append"_s, store, u"--input"_s, input }, 1, { u"line 2"_s, u"type"_s }));
        QVERIFY(clitest::writeFile(input, good + "\n" + R"({"stream":"s-2","type":"T","time":"later"})" + "\n"));
        QVERIFY(fails({ u"append"_s, store, u"--input"_s, input }, 1, { u"line 3"_s, u"later"_s }));
        QVERIFY(clitest::writeFile(input, good + R"({"stream":"s-2","type":"T","metadata":"x"})" + "\n"));
        QVERIFY(fails({ u"append"_s, store, u"--input"_s, input }, 1, { u"line 2"_s, u"metadata"_s }));
        QVERIFY(clitest::writeFile(input,
            R"({"stream":"s-2","type":"T","id":"33333333-3333-4333-8333-333333333333"})"
            "\n" + good
                + R"({"stream":"s-3","type":"T","id":"33333333-3333-4333-8333-333333333333"})" + "\n"));
        QVERIFY(fails({ u"append"_s, store, u"--input"_s, input }, 1, { u"line 3"_s, u"line 1"_s }));
        QVERIFY(clitest::writeFile(input, good + R"({"stream":"s-2","type":"T","colour":"red"})" + "\n"));
        QVERIFY(fails({ u"append"_s, store, u"--input"_s, input }, 1, { u"line 2"_s, u"colour"_s }));
        QVERIFY(clitest::writeFile(input, "\n\n"));
        QVERIFY(fails({ u"append"_s, store, u"--input"_s, input }, 1, { u"no events"_s }));
        QVERIFY(
            fails({ u"append"_s, store, u"--input"_s, dir.filePath(u"missing.ndjson"_s) }, 1, { u"missing.ndjson"_s }));
        QVERIFY(fails({ u"append"_s, store, u"--input"_s, input, u"--stream"_s, u"s"_s }, 1));
        QVERIFY(fails({ u"demo"_s, store, u"--events"_s, u"abc"_s }, 1, { u"--events"_s }));
        QVERIFY(fails({ u"demo"_s, store, u"--events"_s, u"0"_s }, 1, { u"--events"_s }));
    };
    badCases(u"before the store exists"_s);
    if (QTest::currentTestFailed())
        return;
    QVERIFY(!storeExists(store));
    if (backend == u"sqlite"_s)
        QCOMPARE(dir.entryList(QDir::Files | QDir::Hidden), QStringList { u"bad.ndjson"_s });

    QVERIFY(ok({ u"append"_s, store, u"--input"_s, u"-"_s }, good + good));
    const qint64 count = eventCount(store);
    QCOMPARE(count, 3);
    badCases(u"with a store"_s);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(eventCount(store), count);
}

void TestCli::storesThatCannotBeOpened()
{
    QTemporaryDir temp;
    const QDir dir(temp.path());
    QVERIFY(fails({ u"read"_s, u"nothing-here"_s }, 1, { u"nothing-here"_s }));
    QVERIFY(fails({ u"read"_s, u"mysql://localhost/x"_s }, 1, { u"mysql"_s }));
    QVERIFY(fails({ u"append"_s, u"nothing-here"_s, u"--stream"_s, u"s"_s, u"--type"_s, u"T"_s }, 1));
    QVERIFY(!QFileInfo::exists(u"nothing-here"_s));

    // A missing file is a store that is not there: only demo and append create one.
    const QString missing = dir.filePath(u"missing.db"_s);
    const QString sealOut = dir.filePath(u"x.seal"_s);
    const QString exportOut = dir.filePath(u"x.ndjson"_s);
    for (const QStringList& arguments : QList<QStringList> { { u"read"_s, missing }, { u"streams"_s, missing },
             { u"replay"_s, missing, u"--stream"_s, u"s"_s }, { u"verify"_s, missing },
             { u"seal"_s, missing, u"--out"_s, sealOut }, { u"export"_s, missing, u"--out"_s, exportOut } })
        QVERIFY(fails(arguments, 2, { u"there is no event store at"_s, missing }));
    QVERIFY(dir.entryList(QDir::Files | QDir::Hidden).isEmpty());

    // Not SQLite at all, an empty file, and a SQLite database of somebody else's: refused, left as they were.
    const QString garbage = dir.filePath(u"garbage.db"_s);
    QByteArray noise;
    for (int i = 0; i < 4096; ++i)
        noise += char((i * 7919) % 251);
    QVERIFY(clitest::writeFile(garbage, noise));
    QVERIFY(fails({ u"read"_s, garbage }, 2));
    QVERIFY(fails({ u"append"_s, garbage, u"--stream"_s, u"s"_s, u"--type"_s, u"T"_s }, 2));
    QCOMPARE(clitest::readFile(garbage), noise);
    const QString empty = dir.filePath(u"empty.db"_s);
    QVERIFY(clitest::writeFile(empty, {}));
    QVERIFY(fails({ u"read"_s, empty }, 2, { u"empty.db"_s }));

    const QString foreign = dir.filePath(u"foreign.db"_s);
    sqlite3* db = nullptr;
    QCOMPARE(sqlite3_open(foreign.toUtf8().constData(), &db), SQLITE_OK);
    QCOMPARE(sqlite3_exec(db, "CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT)", nullptr, nullptr, nullptr),
        SQLITE_OK);
    sqlite3_close(db);
    const QString foreignDigest = clitest::sha256Of(foreign);
    QVERIFY(fails({ u"read"_s, foreign }, 2, { u"not an Eventscope store"_s }));
    QVERIFY(fails({ u"append"_s, foreign, u"--stream"_s, u"s"_s, u"--type"_s, u"T"_s }, 2));
    QVERIFY(fails({ u"demo"_s, foreign, u"--events"_s, u"10"_s }, 2));
    QCOMPARE(clitest::sha256Of(foreign), foreignDigest);

    // A store cut short, as by a failed copy.
    const QString truncated = dir.filePath(u"truncated.db"_s);
    QVERIFY(ok({ u"demo"_s, truncated, u"--events"_s, u"2000"_s }));
    QFile cut(truncated);
    QVERIFY(cut.resize(cut.size() / 2));
    QVERIFY(fails({ u"verify"_s, truncated }, 2));
    QVERIFY(fails({ u"read"_s, truncated, u"--backward"_s }, 2));

    // A PostgreSQL server that is not there.
    const QString unreachable = u"postgresql://postgres@127.0.0.1:1/postgres?connect_timeout=5"_s;
    QVERIFY(fails({ u"read"_s, unreachable }, 2));
    QVERIFY(fails({ u"append"_s, unreachable, u"--stream"_s, u"s"_s, u"--type"_s, u"T"_s }, 2));
    QVERIFY(fails({ u"demo"_s, unreachable, u"--events"_s, u"10"_s }, 2));
    QVERIFY(fails({ u"export"_s, unreachable, u"--out"_s, exportOut }, 2));
    QVERIFY(!QFileInfo::exists(exportOut));
}

void TestCli::usage()
{
    QVERIFY(fails({ u"frobnicate"_s }, 1, { u"frobnicate"_s }));
    QVERIFY(fails({ u"audit"_s, u"x.db"_s }, 1, { u"--format"_s }));
    QVERIFY(fails({ u"read"_s }, 1, { u"STORE"_s }));
    QVERIFY(fails({ u"read"_s, u"a.db"_s, u"b.db"_s }, 1, { u"b.db"_s }));
    QVERIFY(fails({ u"read"_s, u"a.db"_s, u"--limit"_s }, 1, { u"--limit"_s }));
    QVERIFY(ok({ u"--help"_s }));
    QVERIFY(m_last.out.contains("append STORE"));
    for (const QString& command :
        { u"demo"_s, u"append"_s, u"streams"_s, u"read"_s, u"replay"_s, u"verify"_s, u"seal"_s, u"export"_s }) {
        QVERIFY(ok({ command, u"--help"_s }));
        QVERIFY2(
            m_last.out.startsWith(QByteArray("Usage: eventscope " + command.toUtf8() + ' ')), m_last.out.constData());
        QVERIFY(m_last.err.isEmpty());
    }
}

QTEST_GUILESS_MAIN(TestCli)
