// `eventscope audit` (DESIGN §7, §8) driven as a user would: the built binary over both backends. Every answer is
// checked against what the test appended: counts per actor, time window (bounds inclusive to the microsecond),
// type, stream and category; CSV read back by python3's csv module; NDJSON lines as `read` prints them; digests
// checked by sha256sum; redacted values absent from every format's bytes (and from the PDF's text); the app's own
// audit records; a tampered store; and every bad input with its exit code, one stderr sentence and no file left.
#include "tests/cli/audit_cli.h"

#include <QSysInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace audittest;

class TestCliAudit : public AuditCliTest
{
    Q_OBJECT

private slots:
    void cleanup() { dropSchemas(); }

    void counts_data() { eventscope::test::addBackendRows(); }
    void counts();
    void formatsReadBack_data() { eventscope::test::addBackendRows(); }
    void formatsReadBack();
    void redaction_data() { eventscope::test::addBackendRows(); }
    void redaction();
    void emptyAnswer_data() { eventscope::test::addBackendRows(); }
    void emptyAnswer();
    void ownAuditRecords_data() { eventscope::test::addBackendRows(); }
    void ownAuditRecords();
    void tamperedStoreFailsVerify_data() { eventscope::test::addBackendRows(); }
    void tamperedStoreFailsVerify();
    void badInput_data();
    void badInput();
};

void TestCliAudit::counts()
{
    QFETCH(QString, backend);
    EVENTSCOPE_STORE_OR_SKIP(location, backend);
    open(location);
    const QStringList streams { u"order-1"_s, u"order-2"_s, u"payment-1"_s, u"memo-7"_s };
    const QList<QJsonObject> actors { { { u"userId"_s, u"u-1"_s } }, { { u"user_id"_s, u"u-2"_s } },
        { { u"createdBy"_s, u"u-1"_s } }, {}, { { u"user"_s, u"u-3"_s }, { u"userId"_s, u"u-2"_s } } };
    QList<Planned> events;
    for (int i = 0; i < 60; ++i) {
        const QString stream = streams.at(i % 4);
        const QString type = stream.startsWith(u"order"_s) ? (i % 3 == 0 ? u"OrderPaid"_s : u"OrderPlaced"_s)
            : stream.startsWith(u"payment"_s)              ? u"PaymentAuthorized"_s
                                                           : u"Noted"_s;
        // Times out of position order, on whole seconds and between them.
        events << planned(stream, type, kBase + (i * 37 % 60) * 10 * kSecond + (i % 7) * 123457,
            QJsonObject { { u"i"_s, i } }, actors.at(i % 5));
    }
    const qint64 since = kBase + 100 * kSecond;
    const qint64 until = kBase + 300 * kSecond + 250000;
    const QList<qint64> edges { since - 1, since, until, until + 1 };
    for (const qint64 time : edges)
        events << planned(u"order-1"_s, u"OrderPaid"_s, time, QJsonObject { { u"edge"_s, timeText(time) } },
            { { u"userId"_s, u"u-2"_s } });
    AUDIT_CHECK(appendAll(events));
    const QString sinceText = timeText(since), untilText = timeText(until);
    // The same instants written with offsets.
    const QString sinceOffset = QDateTime::fromMSecsSinceEpoch(since / 1000, Qt::OffsetFromUTC, 2 * 3600)
                                    .toString(u"yyyy-MM-ddTHH:mm:ss.zzz"_s)
        + u"000+02:00"_s;
    const QString untilOffset = QDateTime::fromMSecsSinceEpoch(until / 1000, Qt::OffsetFromUTC, -5 * 3600)
                                    .toString(u"yyyy-MM-ddTHH:mm:ss.zzz"_s)
        + u"000-05:00"_s;

    const auto inWindow = [&](const Planned& p) { return p.time >= since && p.time <= until; };
    // The window holds both bounds and neither neighbour: the oracle itself must be right for the test to mean it.
    QVERIFY(inWindow(events.at(61)) && inWindow(events.at(62)) && !inWindow(events.at(60)) && !inWindow(events.at(63)));

    struct Case
    {
        QStringList filters;
        std::function<bool(const Planned&)> passes;
    };
    const QList<Case> cases {
        { {}, [](const Planned&) { return true; } },
        { { u"--actor"_s, u"u-1"_s }, [](const Planned& p) { return actorOf(p.metadata) == u"u-1"_s; } },
        { { u"--actor"_s, u"u-3"_s }, [](const Planned& p) { return actorOf(p.metadata) == u"u-3"_s; } },
        { { u"--actor"_s, u"u-2"_s, u"--since"_s, sinceText, u"--until"_s, untilText },
            [&](const Planned& p) { return actorOf(p.metadata) == u"u-2"_s && inWindow(p); } },
        { { u"--since"_s, sinceText, u"--until"_s, untilText }, inWindow },
        { { u"--since"_s, sinceOffset, u"--until"_s, untilOffset }, inWindow },
        { { u"--since"_s, sinceText }, [&](const Planned& p) { return p.time >= since; } },
        { { u"--until"_s, untilText }, [&](const Planned& p) { return p.time <= until; } },
        { { u"--since"_s, sinceText, u"--until"_s, sinceText }, [&](const Planned& p) { return p.time == since; } },
        { { u"--since"_s, timeText(since + 1), u"--until"_s, timeText(until - 1) },
            [&](const Planned& p) { return p.time > since && p.time < until; } },
        { { u"--type"_s, u"OrderPaid"_s }, [](const Planned& p) { return p.type == u"OrderPaid"_s; } },
        { { u"--type"_s, u"OrderPaid"_s, u"--type"_s, u"Noted"_s },
            [](const Planned& p) { return p.type == u"OrderPaid"_s || p.type == u"Noted"_s; } },
        { { u"--stream"_s, u"order-1"_s }, [](const Planned& p) { return p.stream == u"order-1"_s; } },
        { { u"--category"_s, u"order"_s }, [](const Planned& p) { return categoryOf(p.stream) == u"order"_s; } },
        { { u"--category"_s, u"order"_s, u"--actor"_s, u"u-1"_s, u"--type"_s, u"OrderPlaced"_s, u"--since"_s,
              sinceText },
            [&](const Planned& p) {
                return categoryOf(p.stream) == u"order"_s && actorOf(p.metadata) == u"u-1"_s
                    && p.type == u"OrderPlaced"_s && p.time >= since;
            } },
        { { u"--stream"_s, u"order-2"_s, u"--until"_s, untilText },
            [&](const Planned& p) { return p.stream == u"order-2"_s && p.time <= until; } },
        { { u"--category"_s, u"order-1"_s }, [](const Planned&) { return false; } },
        { { u"--actor"_s, u"nobody"_s }, [](const Planned&) { return false; } },
    };
    for (const Case& c : cases) {
        const QStringList expected = oracle(c.passes);
        const QString file = runAudit(c.filters, u"ndjson"_s, expected.size());
        QVERIFY2(!file.isEmpty(), qPrintable(c.filters.join(u' ')));
        QVERIFY2(ndjsonIds(file) == expected, qPrintable(c.filters.join(u' ')));
    }
}

void TestCliAudit::formatsReadBack()
{
    QFETCH(QString, backend);
    EVENTSCOPE_STORE_OR_SKIP(location, backend);
    open(location);
    QList<Planned> events {
        planned(u"order-1"_s, u"OrderPlaced"_s, kBase,
            QJsonObject { { u"note"_s, u"He said \"hi\", then left"_s }, { u"lines"_s, u"a,b\nc\r\nd"_s },
                { u"name"_s, u"Zoë 日本 🚀"_s }, { u"amount"_s, 12.5 } },
            { { u"userId"_s, u"u-ü"_s }, { u"tag"_s, u"x,y"_s } }),
        planned(u"order-1"_s, u"Order,Paid \"now\""_s, kBase + 1,
            QJsonObject { { u"text"_s, u"tab\tand \\ backslash"_s }, { u"quote"_s, u"\"\""_s }, { u"empty"_s, u""_s },
                { u"nested"_s, QJsonObject { { u"a"_s, QJsonArray { 1, u"two"_s } } } } },
            {}),
        planned(u"straße-9"_s, u"Noted"_s, kBase + 2 * kSecond,
            QJsonArray { 1, u"two"_s, QJsonObject { { u"3"_s, QJsonValue::Null } } },
            { { u"correlationId"_s, u"c,1\n2"_s } }),
        planned(u"order-2"_s, u"Plain"_s, kBase + 3 * kSecond, QJsonObject {}, {}),
    };
    // An ID with "ff" in it: a PDF whose text comes back with a ligature instead of the two letters is an ID nobody
    // can find or copy from the report.
    events[0].id.replace(9, 4, u"ffff"_s);
    AUDIT_CHECK(appendAll(events));
    QHash<QString, Planned> byId;
    QStringList ids;
    for (const Planned& p : events) {
        byId.insert(p.id, p);
        ids << p.id;
    }

    const QString csv = runAudit({}, u"csv"_s, events.size());
    QVERIFY(!csv.isEmpty());
    AUDIT_CHECK(checkCsv(csv, ids, byId));
    AUDIT_CHECK(checkDigest(csv));

    const QString ndjson = runAudit({}, u"ndjson"_s, events.size());
    QVERIFY(!ndjson.isEmpty());
    QCOMPARE(ndjsonIds(ndjson), ids);
    AUDIT_CHECK(checkNdjson(ndjson, ids, byId));
    AUDIT_CHECK(checkDigest(ndjson));

    const QString pdf = runAudit({}, u"pdf"_s, events.size());
    QVERIFY(!pdf.isEmpty());
    QVERIFY(clitest::readFile(pdf).startsWith("%PDF-"));
    const QString text = pdfText(pdf);
    AUDIT_CHECK(checkDigest(pdf));
    QVERIFY(text.contains(u"u-ü"_s)); // the actor, as the store derived it
    for (const Planned& p : events)
        QVERIFY2(text.contains(p.id), qPrintable(u"the report's text lacks the ID "_s + p.id));
}

void TestCliAudit::redaction()
{
    QFETCH(QString, backend);
    EVENTSCOPE_STORE_OR_SKIP(location, backend);
    open(location);
    const QList<Planned> events {
        planned(u"pay-1"_s, u"CardCharged"_s, kBase,
            QJsonObject { { u"cardNumber"_s, u"4111111111111111"_s },
                { u"lines"_s,
                    QJsonArray { QJsonObject { { u"pan"_s, u"5500005555555559"_s }, { u"qty"_s, 1 } },
                        QJsonObject { { u"pan"_s, u"340000000000009"_s }, { u"qty"_s, 2 } },
                        QJsonObject { { u"qty"_s, 3 } } } },
                { u"note"_s, u"keep-me-intact"_s } },
            { { u"ip"_s, u"203.0.113.77"_s }, { u"createdBy"_s, u"auditor-7731"_s }, { u"source"_s, u"checkout"_s } }),
        planned(u"pay-2"_s, u"CardCharged"_s, kBase + kSecond,
            QJsonObject { { u"cardNumber"_s, u"6011000990139424"_s }, { u"note"_s, u"second-note"_s } },
            { { u"ip"_s, u"198.51.100.23"_s }, { u"userId"_s, u"u-visible"_s } }),
        planned(u"pay-3"_s, u"Refunded"_s, kBase + 2 * kSecond, QJsonObject { { u"amount"_s, 5 } }, {}),
    };
    AUDIT_CHECK(appendAll(events));
    const QStringList masked { u"4111111111111111"_s, u"5500005555555559"_s, u"340000000000009"_s, u"203.0.113.77"_s,
        u"auditor-7731"_s, u"6011000990139424"_s, u"198.51.100.23"_s };
    // The store keeps them: redaction is the export's business only.
    QVERIFY(m_readLines.value(events.at(0).id).contains("4111111111111111"));

    // The oracle: the same events with the values replaced.
    QHash<QString, Planned> expected;
    QStringList ids;
    for (Planned p : events) {
        QJsonObject data = p.data.toObject();
        if (data.contains(u"cardNumber"_s))
            data[u"cardNumber"_s] = u"[redacted]"_s;
        if (data.contains(u"lines"_s)) {
            QJsonArray lines = data[u"lines"_s].toArray();
            for (qsizetype i = 0; i < lines.size(); ++i) {
                QJsonObject line = lines.at(i).toObject();
                if (line.contains(u"pan"_s))
                    line[u"pan"_s] = u"[redacted]"_s;
                lines[i] = line;
            }
            data[u"lines"_s] = lines;
        }
        p.data = data;
        for (const auto* key : { "ip", "createdBy" })
            if (p.metadata.contains(QLatin1String(key)))
                p.metadata[QLatin1String(key)] = u"[redacted]"_s;
        expected.insert(p.id, p);
        ids << p.id;
    }
    const QStringList rules { u"--redact"_s, u"data.cardNumber"_s, u"--redact"_s, u"metadata.ip"_s, u"--redact"_s,
        u"data.lines[*].pan"_s, u"--redact"_s, u"metadata.createdBy"_s };

    for (const QString& format : { u"csv"_s, u"ndjson"_s, u"pdf"_s }) {
        const QString file = runAudit(rules, format, events.size());
        QVERIFY2(!file.isEmpty(), qPrintable(format));
        const QByteArray bytes = clitest::readFile(file);
        for (const QString& value : masked)
            QVERIFY2(!bytes.contains(value.toUtf8()), qPrintable(format + u": "_s + value));
        if (format == u"csv"_s) {
            AUDIT_CHECK(checkCsv(file, ids, expected));
        } else if (format == u"ndjson"_s) {
            AUDIT_CHECK(checkNdjson(file, ids, expected));
        } else {
            const QString text = pdfText(file);
            QVERIFY(!text.isEmpty());
            for (const QString& value : masked)
                QVERIFY2(!text.contains(value), qPrintable(u"pdf text: "_s + value));
            QVERIFY(text.contains(u"[redacted]"_s));
            // What was not masked is there, the actor of an unmasked key included.
            for (const QString& kept : { u"keep-me-intact"_s, u"second-note"_s, u"checkout"_s, u"u-visible"_s })
                QVERIFY2(text.contains(kept), qPrintable(kept));
        }
        if (format != u"pdf"_s)
            QVERIFY(bytes.contains("[redacted]"));
        AUDIT_CHECK(checkDigest(file));
    }
}

void TestCliAudit::emptyAnswer()
{
    QFETCH(QString, backend);
    EVENTSCOPE_STORE_OR_SKIP(location, backend);
    open(location);
    AUDIT_CHECK(appendAll({ planned(u"order-1"_s, u"OrderPlaced"_s, kBase, QJsonObject {}, {}) }));
    const QStringList nobody { u"--actor"_s, u"nobody"_s };

    const QString csv = runAudit(nobody, u"csv"_s, 0);
    QVERIFY(!csv.isEmpty());
    QCOMPARE(clitest::readFile(csv), QByteArray("position,stream,version,id,type,time,data,metadata\r\n"));
    QCOMPARE(csvRows(csv), QList<QStringList> { kColumns });
    QVERIFY(digestChecks(csv));

    const QString ndjson = runAudit(nobody, u"ndjson"_s, 0);
    QVERIFY(!ndjson.isEmpty());
    QVERIFY(QFileInfo::exists(ndjson));
    QCOMPARE(QFileInfo(ndjson).size(), qint64(0));
    QVERIFY(digestChecks(ndjson));

    const QString pdf = runAudit(nobody, u"pdf"_s, 0);
    QVERIFY(!pdf.isEmpty());
    const QString text = pdfText(pdf);
    QVERIFY2(text.contains(u"no events"_s, Qt::CaseInsensitive), qPrintable(text));
    QVERIFY(text.contains(u"nobody"_s)); // the query heads the report
    QVERIFY(digestChecks(pdf));
}

void TestCliAudit::ownAuditRecords()
{
    QFETCH(QString, backend);
    EVENTSCOPE_STORE_OR_SKIP(location, backend);
    open(location);
    QVERIFY(ok({ u"append"_s, m_store, u"--stream"_s, u"order-1"_s, u"--type"_s, u"OrderPlaced"_s, u"--metadata"_s,
        u"{\"userId\":\"u-9\"}"_s }));
    QVERIFY(ok({ u"append"_s, m_store, u"--input"_s, u"-"_s },
        "{\"stream\":\"order-2\",\"type\":\"OrderPlaced\"}\n{\"stream\":\"order-2\",\"type\":\"OrderPaid\"}\n"));
    const QString sealFile = path(u"store.seal"_s);
    QVERIFY(ok({ u"seal"_s, m_store, u"--out"_s, sealFile }));
    const QString digest = m_last.json()[u"digest"_s].toString();
    QVERIFY(!digest.isEmpty());
    AUDIT_CHECK(refreshRead());

    const QString records = runAudit({ u"--stream"_s, u"$eventscope-audit"_s }, u"ndjson"_s, 3);
    QVERIFY(!records.isEmpty());
    const QList<QByteArray> lines = clitest::readFile(records).split('\n');
    QCOMPARE(lines.size(), 4);
    QStringList types;
    QList<qint64> counts;
    for (qsizetype i = 0; i < 3; ++i) {
        const QJsonObject event = QJsonDocument::fromJson(lines.at(i)).object();
        QCOMPARE(event[u"stream"_s].toString(), u"$eventscope-audit"_s);
        types << event[u"type"_s].toString();
        const QJsonObject metadata = event[u"metadata"_s].toObject();
        QCOMPARE(metadata[u"user"_s].toString(), osUser());
        QCOMPARE(metadata[u"host"_s].toString(), QSysInfo::machineHostName());
        const QJsonObject data = event[u"data"_s].toObject();
        QCOMPARE(data[u"tool"_s].toString(), u"eventscope-cli"_s);
        if (types.constLast() == u"EventsAppended"_s)
            counts << data[u"events"_s].toInteger();
        else
            QCOMPARE(data[u"digest"_s].toString(), digest);
    }
    QCOMPARE(types, QStringList({ u"EventsAppended"_s, u"EventsAppended"_s, u"StoreSealed"_s }));
    QCOMPARE(counts, QList<qint64>({ 1, 2 }));

    // Ordinary audits leave system streams out; --system takes them in.
    const QString plain = runAudit({}, u"ndjson"_s, 3);
    QVERIFY(!plain.isEmpty());
    QVERIFY(!clitest::readFile(plain).contains("$eventscope-audit"));
    QVERIFY(!runAudit({ u"--system"_s }, u"ndjson"_s, 6).isEmpty());
    // The records' actor is the OS user (the "user" key of the actor convention).
    const QString mine = runAudit({ u"--system"_s, u"--actor"_s, osUser() }, u"ndjson"_s, 3);
    QVERIFY(!mine.isEmpty());
    QCOMPARE(clitest::readFile(mine).count("\"stream\":\"$eventscope-audit\""), 3);

    // The report names the seal the store records.
    const QString pdf = runAudit({}, u"pdf"_s, 3);
    QVERIFY(!pdf.isEmpty());
    QVERIFY2(pdfText(pdf).contains(digest), qPrintable(pdfText(pdf).left(600)));
}

void TestCliAudit::tamperedStoreFailsVerify()
{
    QFETCH(QString, backend);
    EVENTSCOPE_STORE_OR_SKIP(location, backend);
    open(location);
    QList<Planned> events;
    for (int i = 0; i < 4; ++i)
        events << planned(u"acct-1"_s, u"Deposited"_s, kBase + i * kSecond, QJsonObject { { u"amount"_s, i + 1 } },
            { { u"userId"_s, u"u-1"_s } });
    AUDIT_CHECK(appendAll(events));
    const QString sealFile = path(u"before.seal"_s);
    QVERIFY(ok({ u"seal"_s, m_store, u"--out"_s, sealFile }));
    QVERIFY(ok({ u"verify"_s, m_store, u"--seal"_s, sealFile }));
    QVERIFY(!runAudit({ u"--actor"_s, u"u-1"_s }, u"csv"_s, 4).isEmpty());

    QVERIFY(tamper(u"UPDATE events SET data = '{\"amount\":1000000}' WHERE stream = 'acct-1' AND version = 2"_s));
    QVERIFY(fails({ u"verify"_s, m_store, u"--seal"_s, sealFile }, 4, { u"acct-1"_s }));
    QVERIFY(fails({ u"verify"_s, m_store }, 4, { u"acct-1"_s, u"version 2"_s }));
}

void TestCliAudit::badInput_data()
{
    QTest::addColumn<QStringList>("options"); // "OUT" stands for the target file, "DIR" for its folder
    QTest::addColumn<int>("code");
    QTest::addColumn<QStringList>("needles");
    const QStringList csv { u"--format"_s, u"csv"_s, u"--out"_s, u"OUT"_s };
    QTest::addRow("unknown format") << QStringList { u"--format"_s, u"xml"_s, u"--out"_s, u"OUT"_s } << 1
                                    << QStringList { u"'xml'"_s };
    QTest::addRow("no format") << QStringList { u"--out"_s, u"OUT"_s } << 1 << QStringList { u"--format"_s };
    QTest::addRow("no out") << QStringList { u"--format"_s, u"csv"_s } << 1 << QStringList { u"--out"_s };
    QTest::addRow("empty out") << QStringList { u"--format"_s, u"csv"_s, u"--out"_s, u""_s } << 1
                               << QStringList { u"--out"_s };
    QTest::addRow("bad since") << csv + QStringList { u"--since"_s, u"yesterday"_s } << 1
                               << QStringList { u"--since"_s, u"yesterday"_s };
    QTest::addRow("bad until") << csv + QStringList { u"--until"_s, u"2024-13-01T00:00:00Z"_s } << 1
                               << QStringList { u"--until"_s, u"2024-13-01T00:00:00Z"_s };
    QTest::addRow("stream and category") << csv
            + QStringList { u"--stream"_s, u"order-1"_s, u"--category"_s, u"order"_s }
                                         << 1 << QStringList { u"--stream"_s, u"--category"_s };
    QTest::addRow("until before since") << csv
            + QStringList { u"--since"_s, u"2024-03-02T00:00:00Z"_s, u"--until"_s, u"2024-03-01T23:59:59Z"_s }
                                        << 1 << QStringList { u"before"_s };
    QTest::addRow("until a microsecond before since")
        << csv + QStringList { u"--since"_s, u"2024-03-02T00:00:00.000001Z"_s, u"--until"_s, u"2024-03-02T00:00:00Z"_s }
        << 1 << QStringList { u"before"_s };
    QTest::addRow("redact path without payload")
        << csv + QStringList { u"--redact"_s, u"cardNumber"_s } << 1 << QStringList { u"'cardNumber'"_s };
    QTest::addRow("redact empty key") << csv + QStringList { u"--redact"_s, u"data..x"_s } << 1
                                      << QStringList { u"'data..x'"_s };
    QTest::addRow("redact bad index") << QStringList { u"--format"_s, u"pdf"_s, u"--out"_s, u"OUT"_s, u"--redact"_s,
        u"data.ok"_s, u"--redact"_s, u"data.lines[x].pan"_s }
                                      << 1 << QStringList { u"'data.lines[x].pan'"_s };
    QTest::addRow("missing folder") << QStringList { u"--format"_s, u"ndjson"_s, u"--out"_s, u"DIR/missing/a.ndjson"_s }
                                    << 1 << QStringList { u"folder does not exist"_s };
    QTest::addRow("out is a folder") << QStringList { u"--format"_s, u"ndjson"_s, u"--out"_s, u"DIR"_s } << 1
                                     << QStringList { u"folder"_s };
    QTest::addRow("unknown option") << csv + QStringList { u"--frobnicate"_s } << 1 << QStringList { u"frobnicate"_s };
    QTest::addRow("empty actor") << csv + QStringList { u"--actor"_s, u""_s } << 1 << QStringList { u"--actor"_s };
    QTest::addRow("empty type") << csv + QStringList { u"--type"_s, u""_s } << 1 << QStringList { u"--type"_s };
    QTest::addRow("missing store") << QStringList { u"STORE=missing.db"_s } + csv << 2
                                   << QStringList { u"missing.db"_s };
}

void TestCliAudit::badInput()
{
    QFETCH(QStringList, options);
    QFETCH(int, code);
    QFETCH(QStringList, needles);
    QTemporaryDir storeDir;
    const QString store = QDir(storeDir.path()).filePath(u"store.db"_s);
    QVERIFY(ok({ u"append"_s, store, u"--stream"_s, u"order-1"_s, u"--type"_s, u"OrderPlaced"_s }));

    QTemporaryDir outDir;
    const QString target = QDir(outDir.path()).filePath(u"old.csv"_s);
    const QByteArray previous = "an earlier export\n";
    QVERIFY(clitest::writeFile(target, previous));
    QStringList arguments { u"audit"_s, store };
    for (const QString& option : std::as_const(options)) {
        if (option.startsWith(u"STORE="_s))
            arguments[1] = QDir(storeDir.path()).filePath(option.mid(6));
        else
            arguments << QString(option).replace(u"OUT"_s, target).replace(u"DIR"_s, outDir.path());
    }
    m_last = clitest::run(arguments);
    QVERIFY(clitest::failedWith(arguments, m_last, code, needles));
    // Nothing written, nothing replaced, no digest, and no store created.
    QCOMPARE(QDir(outDir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
        QStringList { u"old.csv"_s });
    QCOMPARE(clitest::readFile(target), previous);
    QCOMPARE(QDir(storeDir.path()).entryList({ u"*.db"_s }, QDir::Files), QStringList { u"store.db"_s });
}

QTEST_GUILESS_MAIN(TestCliAudit)
#include "tst_cli_audit.moc"
