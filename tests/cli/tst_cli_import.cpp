// `eventscope import` (DESIGN §3, §8; issue 7 part 4) driven as a user would, into SQLite and PostgreSQL stores.
// The test plans the events itself, writes them as DynamoDB items in both attribute shapes and both file formats,
// shuffled, imports them, reads them back with `eventscope read` and compares every field with its plan. Also:
// running the import again writes nothing, bad input leaves the store as it was, and snapshots land (checked through
// the store's own loadSnapshot, the one thing no command prints).

#include "storage/event_store.h"
#include "tests/cli/projection_cli.h"

#include <QDateTime>
#include <QTest>
#include <QUuid>

#include <algorithm>
#include <random>

using namespace projtest;

namespace {

QJsonObject S(const QString& text)
{
    return { { u"S"_s, text } };
}
QJsonObject N(qint64 number)
{
    return { { u"N"_s, QString::number(number) } };
}

// RFC 3339 as `read` prints it: UTC, six fraction digits.
QString rfc3339(qint64 micros)
{
    const QDateTime time = QDateTime::fromMSecsSinceEpoch(micros / 1000, Qt::UTC);
    return time.toString(u"yyyy-MM-ddTHH:mm:ss"_s) + u'.'
        + QStringLiteral("%1").arg(micros % 1000000, 6, 10, QChar(u'0')) + u'Z';
}

// One planned event: how it must read back, and the DynamoDB item that carries it.
struct Planned
{
    QString stream;
    qint64 version = 0; // in the store
    QString id; // empty: any UUID (derived)
    QString type;
    qint64 micros = 0;
    QJsonObject data;
    QJsonObject metadata;
    QJsonObject item;
};

// Shape (a): pk "tenant#Type", sk "Type#id@version", createdAt ISO text, createdBy; data as a map.
Planned sortKeyEvent(const QString& id, qint64 version, qint64 micros)
{
    Planned p;
    p.stream = u"Order#"_s + id;
    p.version = version;
    p.type = version == 1 ? u"OrderPlaced"_s : u"ItemAdded"_s;
    p.micros = micros;
    p.data = { { u"sku"_s, QString(u"sku-"_s + QString::number(version)) }, { u"qty"_s, version } };
    p.metadata = { { u"createdBy"_s, u"alice"_s }, { u"aggregateType"_s, u"Order"_s }, { u"tenant"_s, u"acme"_s } };
    p.item = { { u"pk"_s, S(u"acme#Order"_s) }, { u"sk"_s, S(p.stream + u'@' + QString::number(version)) },
        { u"type"_s, S(p.type) }, { u"createdAt"_s, S(rfc3339(micros)) }, { u"createdBy"_s, S(u"alice"_s) },
        { u"data"_s,
            QJsonObject { { u"M"_s,
                QJsonObject { { u"sku"_s, S(p.data.value(u"sku"_s).toString()) }, { u"qty"_s, N(version) } } } } } };
    return p;
}

// Shape (b): entityId, sequenceNumber, eventId (a UUID, or none), eventType, eventTime in epoch milliseconds,
// eventData as JSON text, userId, correlationId, aggregateType.
Planned entityEvent(const QString& entity, qint64 version, qint64 sourceVersion, qint64 micros, bool withId)
{
    Planned p;
    p.stream = entity;
    p.version = version;
    p.id = withId ? QUuid::createUuid().toString(QUuid::WithoutBraces) : QString();
    p.type = version % 3 ? u"Deposited"_s : u"Withdrawn"_s;
    p.micros = micros;
    p.data = { { u"amount"_s, version * 10 }, { u"note"_s, QString(u"n\u00e9 "_s + QString::number(version)) } };
    const QString correlation = u"corr-"_s + QString::number(version / 10);
    p.metadata
        = { { u"userId"_s, u"u-7"_s }, { u"correlationId"_s, correlation }, { u"aggregateType"_s, u"Account"_s } };
    p.item = { { u"entityId"_s, S(entity) }, { u"sequenceNumber"_s, N(sourceVersion) }, { u"eventType"_s, S(p.type) },
        { u"eventTime"_s, N(micros / 1000) },
        { u"eventData"_s, S(QString::fromUtf8(QJsonDocument(p.data).toJson(QJsonDocument::Compact))) },
        { u"userId"_s, S(u"u-7"_s) }, { u"correlationId"_s, S(correlation) }, { u"aggregateType"_s, S(u"Account"_s) } };
    if (withId)
        p.item[u"eventId"_s] = S(p.id.toUpper());
    return p;
}

QByteArray exportLines(const QList<QJsonObject>& items)
{
    QByteArray text;
    for (const QJsonObject& item : items)
        text += QJsonDocument(QJsonObject { { u"Item"_s, item } }).toJson(QJsonDocument::Compact) + '\n';
    return text;
}

QByteArray scanDocument(const QList<QJsonObject>& items)
{
    QJsonArray array;
    for (const QJsonObject& item : items)
        array.append(item);
    return QJsonDocument(
        QJsonObject { { u"Items"_s, array }, { u"Count"_s, items.size() }, { u"ScannedCount"_s, items.size() } })
        .toJson(QJsonDocument::Indented);
}

QList<QJsonObject> objects(const Run& r)
{
    QList<QJsonObject> out;
    for (const QByteArray& line : r.lines())
        out << QJsonDocument::fromJson(line).object();
    return out;
}

} // namespace

class TestCliImport : public ProjectionCliTest
{
    Q_OBJECT

    QTemporaryDir m_dir;

    // Every planned event must read back as planned, each stream in version order; true when all do.
    bool readsBackAsPlanned(const QString& store, const QList<Planned>& plan)
    {
        if (!ok({ u"read"_s, store, u"--limit"_s, u"100000"_s }))
            return false;
        const QList<QJsonObject> lines = objects(m_last);
        if (lines.size() != plan.size()) {
            qWarning() << "read" << lines.size() << "events, planned" << plan.size();
            return false;
        }
        QHash<QString, const Planned*> byKey;
        for (const Planned& p : plan)
            byKey.insert(p.stream + u'\n' + QString::number(p.version), &p);
        QHash<QString, qint64> lastVersion;
        QSet<QString> ids;
        for (const QJsonObject& line : lines) {
            const QString stream = line.value(u"stream"_s).toString();
            const qint64 version = line.value(u"version"_s).toInteger();
            const Planned* p = byKey.value(stream + u'\n' + QString::number(version));
            const QString id = line.value(u"id"_s).toString();
            bool good = p && version == lastVersion.value(stream) + 1 && line.value(u"type"_s).toString() == p->type
                && line.value(u"time"_s).toString() == rfc3339(p->micros) && line.value(u"data"_s).toObject() == p->data
                && line.value(u"metadata"_s).toObject() == p->metadata && !QUuid::fromString(id).isNull()
                && !ids.contains(id);
            good = good && (p->id.isEmpty() ? QUuid::fromString(id).version() == QUuid::Sha1 : id == p->id);
            if (!good) {
                qWarning().noquote() << "read back:" << QJsonDocument(line).toJson(QJsonDocument::Compact);
                if (p)
                    qWarning().noquote() << "planned:  " << p->stream << p->version << p->id << p->type
                                         << rfc3339(p->micros) << QJsonDocument(p->data).toJson(QJsonDocument::Compact)
                                         << QJsonDocument(p->metadata).toJson(QJsonDocument::Compact);
                return false;
            }
            lastVersion[stream] = version;
            ids.insert(id);
        }
        return true;
    }

    // The planned import: an Order in shape (a), two accounts in shape (b) (one past a batch of 1000), shuffled and
    // split over an export file and a scan file.
    QList<Planned> plan(qint64 sourceBase = 1)
    {
        QList<Planned> planned;
        const qint64 t0 = 1705327200LL * 1000000;
        for (qint64 v = 1; v <= 6; ++v)
            planned << sortKeyEvent(u"o-17"_s, v, t0 + v * 1000000 + 250000);
        for (qint64 v = 1; v <= 1234; ++v)
            planned << entityEvent(u"account-1"_s, v, v - 1 + sourceBase, t0 + v * 1000, v % 2 == 0);
        for (qint64 v = 1; v <= 3; ++v)
            planned << entityEvent(u"account-2"_s, v, v - 1 + sourceBase, t0 + v * 1000, true);
        return planned;
    }

    QStringList writeSources(const QList<Planned>& planned, const QString& tag)
    {
        QList<QJsonObject> items;
        for (const Planned& p : planned)
            items << p.item;
        std::mt19937 random(11);
        std::shuffle(items.begin(), items.end(), random);
        const qsizetype half = items.size() * 3 / 5;
        return { write(m_dir.path(), tag + u"-export.json"_s, exportLines(items.mid(0, half))),
            write(m_dir.path(), tag + u"-scan.json"_s, scanDocument(items.mid(half))) };
    }

private slots:
    void cleanup() { dropSchemas(); }

    void importsInVersionOrder_data() { eventscope::test::addBackendRows(); }
    void importsInVersionOrder()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        const QString store = remember(location.uri());
        const QList<Planned> planned = plan();
        const QStringList sources = writeSources(planned, u"order"_s);
        const QString snapshots = write(m_dir.path(), u"snapshots.json"_s,
            exportLines({ { { u"entityId"_s, S(u"account-1"_s) }, { u"version"_s, N(1000) },
                              { u"state"_s, S(u"{\"balance\":1000}"_s) } },
                { { u"entityId"_s, S(u"account-2"_s) }, { u"version"_s, N(2) },
                    { u"state"_s,
                        QJsonObject { { u"M"_s,
                            QJsonObject { { u"balance"_s, N(20) },
                                { u"open"_s, QJsonObject { { u"BOOL"_s, true } } } } } } } } }));

        const QStringList import = sources + QStringList { u"--into"_s, store, u"--snapshots"_s, snapshots };
        QVERIFY(ok(QStringList { u"import"_s } + import));
        QCOMPARE(m_last.lines().size(), 1);
        const QJsonObject summary = m_last.json();
        QCOMPARE(summary.value(u"items"_s).toInteger(), planned.size());
        QCOMPARE(summary.value(u"events"_s).toInteger(), planned.size());
        QCOMPARE(summary.value(u"streams"_s).toInteger(), 3);
        QCOMPARE(summary.value(u"snapshots"_s).toInteger(), 2);
        QCOMPARE(summary.value(u"into"_s).toString(), store);
        QVERIFY(readsBackAsPlanned(store, planned));

        {
            auto opened = eventscope::openStore(store.toStdString());
            const auto first = opened->loadSnapshot("account-1", 5000, "dynamodb-import");
            QVERIFY(first);
            QCOMPARE(first->version, 1000);
            QCOMPARE(QJsonDocument::fromJson(QByteArray::fromStdString(first->state)).object(),
                QJsonObject({ { u"balance"_s, 1000 } }));
            const auto second = opened->loadSnapshot("account-2", 5000, "dynamodb-import");
            QVERIFY(second);
            QCOMPARE(second->version, 2);
            QCOMPARE(QJsonDocument::fromJson(QByteArray::fromStdString(second->state)).object(),
                QJsonObject({ { u"balance"_s, 20 }, { u"open"_s, true } }));
        }

        // Running it again is a no-op: the same events, and not even a second audit record.
        const qint64 head = headPosition(store);
        QVERIFY(ok(QStringList { u"import"_s } + import));
        QCOMPARE(m_last.json().value(u"written"_s).toInteger(), 0);
        QCOMPARE(headPosition(store), head);
        QVERIFY(ok({ u"read"_s, store, u"--limit"_s, u"100000"_s }));
        const QByteArray firstRead = m_last.out;
        QVERIFY(readsBackAsPlanned(store, planned));
        QCOMPARE(m_last.out, firstRead);
        QVERIFY(ok({ u"read"_s, store, u"--stream"_s, u"$eventscope-audit"_s }));
        QCOMPARE(m_last.lines().size(), 1);
        QCOMPARE(objects(m_last).value(0).value(u"type"_s).toString(), u"EventsImported"_s);
    }

    void versionsFromZero_data() { eventscope::test::addBackendRows(); }
    void versionsFromZero()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        const QString store = remember(location.uri());
        QList<Planned> planned;
        for (qint64 v = 1; v <= 4; ++v)
            planned << entityEvent(u"acct-0"_s, v, v - 1, 1705327200LL * 1000000 + v * 1000, v == 2);
        const QStringList sources = writeSources(planned, u"zero"_s);
        QVERIFY(ok(QStringList { u"import"_s } + sources + QStringList { u"--into"_s, store }));
        QVERIFY2(QString::fromUtf8(m_last.err).contains(u"start at 0"_s), m_last.err.constData());
        QVERIFY(readsBackAsPlanned(store, planned));
    }

    void mappingFile_data() { eventscope::test::addBackendRows(); }
    void mappingFile()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        const QString store = remember(location.uri());
        const QString mapping = write(m_dir.path(), u"mapping.json"_s,
            R"({"stream":"AggregateKey","version":"Seq","type":"Kind","data":"Body","time":"At","actor":"Who"})");
        const QString source = write(m_dir.path(), u"mapped.json"_s,
            exportLines({ { { u"AggregateKey"_s, S(u"cart-5"_s) }, { u"Seq"_s, N(2) }, { u"Kind"_s, S(u"Paid"_s) },
                              { u"Body"_s, S(u"{\"x\":2}"_s) }, { u"At"_s, N(1705327201) }, { u"Who"_s, S(u"eve"_s) },
                              { u"type"_s, S(u"ignored"_s) } },
                { { u"AggregateKey"_s, S(u"cart-5"_s) }, { u"Seq"_s, N(1) }, { u"Kind"_s, S(u"Opened"_s) },
                    { u"Body"_s, S(u"{\"x\":1}"_s) }, { u"At"_s, N(1705327200) }, { u"Who"_s, S(u"eve"_s) } } }));
        QVERIFY(ok({ u"import"_s, source, u"--into"_s, store, u"--mapping"_s, mapping }));
        QVERIFY(ok({ u"read"_s, store, u"--stream"_s, u"cart-5"_s }));
        const QList<QJsonObject> lines = objects(m_last);
        QCOMPARE(lines.size(), 2);
        QCOMPARE(lines[0].value(u"type"_s).toString(), u"Opened"_s);
        QCOMPARE(lines[0].value(u"version"_s).toInteger(), 1);
        QCOMPARE(lines[0].value(u"time"_s).toString(), u"2024-01-15T14:00:00.000000Z"_s);
        QCOMPARE(lines[0].value(u"data"_s).toObject(), QJsonObject({ { u"x"_s, 1 } }));
        QCOMPARE(lines[0].value(u"metadata"_s).toObject(), QJsonObject({ { u"userId"_s, u"eve"_s } }));
        QCOMPARE(lines[1].value(u"type"_s).toString(), u"Paid"_s);
        QCOMPARE(lines[1].value(u"metadata"_s).toObject(),
            QJsonObject({ { u"userId"_s, u"eve"_s }, { u"dynamodb"_s, QJsonObject { { u"type"_s, u"ignored"_s } } } }));
        QVERIFY(ok({ u"read"_s, store, u"--actor"_s, u"eve"_s }));
        QCOMPARE(m_last.lines().size(), 2); // the actor convention reads what the mapping put there
    }

    void badInputLeavesTheStore_data() { eventscope::test::addBackendRows(); }
    void badInputLeavesTheStore()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        const QString store = remember(location.uri());
        QVERIFY(ok({ u"append"_s, store, u"--stream"_s, u"existing-1"_s, u"--type"_s, u"Kept"_s }));
        QVERIFY(ok({ u"read"_s, store, u"--system"_s, u"--limit"_s, u"1000"_s }));
        const QByteArray before = m_last.out;

        const QByteArray good
            = exportLines({ { { u"entityId"_s, S(u"new-1"_s) }, { u"version"_s, N(1) }, { u"type"_s, S(u"T"_s) } } });
        // A malformed line after good ones, in a second file: nothing of the first file lands either.
        const QString first = write(m_dir.path(), u"good.json"_s, good);
        const QString broken = write(m_dir.path(), u"broken.json"_s,
            exportLines({ { { u"entityId"_s, S(u"new-2"_s) }, { u"version"_s, N(1) }, { u"type"_s, S(u"T"_s) } } })
                + "\n{\"Item\":{\"entityId\":{\"S\":\"new-2\"},\"version\":{\"N\":\"2\"}\n");
        QVERIFY(
            fails({ u"import"_s, first, broken, u"--into"_s, store }, 1, { u"broken.json line 3: not valid JSON"_s }));
        // A scan file with an item without a stream, on its line.
        const QString noStream = write(m_dir.path(), u"nostream.json"_s,
            "{\"Items\":[\n{\"entityId\":{\"S\":\"a\"},\"type\":{\"S\":\"T\"}},\n"
            "{\"type\":{\"S\":\"T\"}}\n]}");
        QVERIFY(fails({ u"import"_s, noStream, u"--into"_s, store }, 1,
            { u"nostream.json line 3: the item has no stream (looked for pk/sk"_s }));
        // A gap in a stream's versions, and a stream the store holds already.
        const QString gap = write(m_dir.path(), u"gap.json"_s,
            exportLines({ { { u"entityId"_s, S(u"new-3"_s) }, { u"version"_s, N(1) }, { u"type"_s, S(u"T"_s) } },
                { { u"entityId"_s, S(u"new-3"_s) }, { u"version"_s, N(3) }, { u"type"_s, S(u"T"_s) } } }));
        QVERIFY(fails({ u"import"_s, gap, u"--into"_s, store }, 1, { u"stream new-3 jumps from version 1 to 3"_s }));
        const QString clash = write(m_dir.path(), u"clash.json"_s,
            exportLines({ { { u"entityId"_s, S(u"existing-1"_s) }, { u"type"_s, S(u"T"_s) } } }));
        QVERIFY(fails(
            { u"import"_s, first, clash, u"--into"_s, store }, 1, { u"stream existing-1 already holds 1 events"_s }));
        // Snapshots past their stream's end.
        const QString snapshot = write(m_dir.path(), u"snap.json"_s,
            exportLines({ { { u"entityId"_s, S(u"new-1"_s) }, { u"version"_s, N(2) }, { u"state"_s, S(u"{}"_s) } } }));
        QVERIFY(fails({ u"import"_s, first, u"--into"_s, store, u"--snapshots"_s, snapshot }, 1,
            { u"snap.json line 1"_s, u"past the stream's last event"_s }));
        // A gzip-compressed file.
        const QString gzip = write(m_dir.path(), u"export.json.gz"_s, QByteArray("\x1f\x8b\x08\x00\x00\x00", 6));
        QVERIFY(fails({ u"import"_s, gzip, u"--into"_s, store }, 1, { u"gzip"_s }));

        QVERIFY(ok({ u"read"_s, store, u"--system"_s, u"--limit"_s, u"1000"_s }));
        QCOMPARE(m_last.out, before);
    }

    void usageAndUnreachable()
    {
        const QString source = write(
            m_dir.path(), u"one.json"_s, exportLines({ { { u"entityId"_s, S(u"a-1"_s) }, { u"type"_s, S(u"T"_s) } } }));
        const QString missing = QDir(m_dir.path()).filePath(u"new.db"_s);
        QVERIFY(fails({ u"import"_s, source }, 1, { u"needs --into"_s }));
        QVERIFY(fails({ u"import"_s, u"--into"_s, missing }, 1, { u"SOURCE"_s }));
        QVERIFY(fails({ u"import"_s, QDir(m_dir.path()).filePath(u"none.json"_s), u"--into"_s, missing }, 1,
            { u"cannot read the DynamoDB file"_s }));
        QVERIFY(fails({ u"import"_s, source, u"--into"_s, missing, u"--mapping"_s, source }, 1,
            { u"unknown member \"Item\""_s }));
        QVERIFY(!QFile::exists(missing)); // bad input made no store
        QVERIFY(fails({ u"import"_s, source, u"--into"_s, u"postgresql://nobody@127.0.0.1:1/none"_s }, 2));
        QVERIFY(ok({ u"import"_s, source, u"--into"_s, missing }));
        QCOMPARE(m_last.json().value(u"events"_s).toInteger(), 1);
    }
};

QTEST_GUILESS_MAIN(TestCliImport)
#include "tst_cli_import.moc"
