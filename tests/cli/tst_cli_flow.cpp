// `eventscope flow` (DESIGN §6, §8) driven as a user would: the built binary over both backends. Each flow is checked
// against the events the test appended: which of them belong to the correlation (by the keys of §2, or of a
// conventions file), in time order, each as `read` prints it; the edges and orphans each scenario was designed to
// have; the drawings' syntax; and every bad input with its exit code, one stderr sentence and no file left behind.

// The projection tests' runner: ok(), fails(), write(), and PostgreSQL schemas dropped after each test.
#include "tests/cli/projection_cli.h"

#include <QDateTime>
#include <QHash>
#include <QTest>
#include <QUuid>
#include <QXmlStreamReader>

using namespace projtest;

namespace {

using Edge = QPair<QString, QString>; // cause's name, effect's name

const QStringList kDefaultCorrelationKeys { u"correlationId"_s, u"correlation_id"_s, u"$correlationId"_s,
    u"correlationStreamName"_s };

QDateTime timeAt(int seconds)
{
    return QDateTime(QDate(2024, 3, 1), QTime(10, 0), Qt::UTC).addSecs(seconds);
}

// An event the test appends: `seconds` after a fixed moment (-1: the store's clock), named for the expectations.
struct Planned
{
    QString name;
    QString stream;
    QString type;
    int seconds = -1;
    QJsonObject metadata;
};

// The first key present wins (DESIGN §2).
QString correlationOf(const QJsonObject& metadata, const QStringList& keys)
{
    for (const QString& key : keys)
        if (metadata.contains(key))
            return metadata.value(key).toString();
    return {};
}

// Mermaid text: anything but ';', '#' and newlines, or an entity code such as #59; (what an escaped ';' becomes).
const QString kMermaidText = u"((?:[^;#\\n]|#\\d+;)+)"_s;
const QRegularExpression kMermaidComment(u"^    %% .*$"_s);
const QRegularExpression kMermaidParticipant(u"^    participant (s\\d+) as "_s + kMermaidText + u"$"_s);
const QRegularExpression kMermaidMessage(u"^    (s\\d+)(->>|-->>)(s\\d+): "_s + kMermaidText + u"$"_s);
const QRegularExpression kMermaidNote(u"^    Note over (s\\d+): "_s + kMermaidText + u"$"_s);

QString mermaidEscaped(const QString& text)
{
    QString escaped;
    for (const QChar c : text)
        escaped += c == u'#' ? u"#35;"_s : c == u';' ? u"#59;"_s : QString(c);
    return escaped;
}

} // namespace

// Stop the test function at the first failure inside a helper.
#define FLOW_CHECK(call)                                                                                               \
    do {                                                                                                               \
        call;                                                                                                          \
        if (QTest::currentTestFailed())                                                                                \
            return;                                                                                                    \
    } while (false)

class TestCliFlow : public ProjectionCliTest
{
    Q_OBJECT

    QString m_store;
    QString m_dir;
    QHash<QString, QString> m_ids; // name -> event ID
    QList<Planned> m_planned; // in the order appended
    QHash<QString, QJsonObject> m_stored; // event ID -> the line `read --system` prints for it

    QString id(const QString& name)
    {
        auto it = m_ids.find(name);
        if (it == m_ids.end())
            it = m_ids.insert(name, QUuid::createUuid().toString(QUuid::WithoutBraces));
        return *it;
    }
    QString nameOf(const QString& eventId) const
    {
        for (auto it = m_ids.cbegin(); it != m_ids.cend(); ++it)
            if (*it == eventId)
                return it.key();
        return eventId;
    }
    // correlationId/causationId, correlation_id/causation_id or $correlationId/$causationId; no cause for "".
    QJsonObject meta(const QString& style, const QString& correlation, const QString& cause = {})
    {
        const QString prefix = style == u"snake"_s ? u"correlation_id"_s
            : style == u"dollar"_s                 ? u"$correlationId"_s
                                                   : u"correlationId"_s;
        QJsonObject metadata { { prefix, correlation } };
        if (!cause.isEmpty())
            metadata[QString(prefix).replace(u"correlation"_s, u"causation"_s)] = id(cause);
        return metadata;
    }

    void open(const eventscope::test::StoreLocation& location)
    {
        m_store = remember(location.uri());
        m_dir = location.dir();
    }

    void appendAll(const QList<Planned>& events)
    {
        QByteArray text;
        for (const Planned& p : events) {
            QJsonObject line { { u"stream"_s, p.stream }, { u"type"_s, p.type }, { u"id"_s, id(p.name) },
                { u"data"_s, QJsonObject { { u"name"_s, p.name } } }, { u"metadata"_s, p.metadata } };
            if (p.seconds >= 0)
                line[u"time"_s] = timeAt(p.seconds).toString(Qt::ISODate);
            text += compact(line) + '\n';
        }
        const QString file = write(m_dir, u"events-"_s + QString::number(m_planned.size()) + u".ndjson"_s, text);
        QVERIFY(ok({ u"append"_s, m_store, u"--input"_s, file }));
        m_planned += events;
        FLOW_CHECK(refreshStored());
    }
    // The way a person types one event, with its ID chosen beforehand (the store's clock gives the time).
    void appendOne(const Planned& p)
    {
        QVERIFY(ok({ u"append"_s, m_store, u"--stream"_s, p.stream, u"--type"_s, p.type, u"--id"_s, id(p.name),
            u"--data"_s, QString::fromUtf8(compact({ { u"name"_s, p.name } })), u"--metadata"_s,
            QString::fromUtf8(compact(p.metadata)) }));
        m_planned << p;
        FLOW_CHECK(refreshStored());
    }
    void refreshStored()
    {
        QVERIFY(ok({ u"read"_s, m_store, u"--system"_s, u"--limit"_s, u"1000000"_s }));
        m_stored.clear();
        for (const QByteArray& line : m_last.lines()) {
            const QJsonObject event = QJsonDocument::fromJson(line).object();
            m_stored.insert(event.value(u"id"_s).toString(), event);
        }
    }
    qint64 positionOf(const QString& name) const
    {
        return m_stored.value(m_ids.value(name))[u"position"_s].toInteger();
    }

    // Runs the flow and checks it against the oracle: the planned events whose correlation (by `keys`) is
    // `correlation`, ordered by time then position, each exactly as `read` prints it; the designed edges and orphans.
    void checkFlow(const QString& correlation, const QList<Edge>& edges, const QStringList& orphans,
        const QStringList& keys = kDefaultCorrelationKeys, const QStringList& extra = {})
    {
        QVERIFY(ok(QStringList { u"flow"_s, m_store, u"--correlation"_s, correlation } + extra));
        QJsonParseError error;
        const QJsonObject flow = QJsonDocument::fromJson(m_last.out, &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
        QCOMPARE(flow.keys(), QStringList({ u"correlation"_s, u"edges"_s, u"events"_s, u"orphans"_s }));
        QCOMPARE(flow[u"correlation"_s].toString(), correlation);

        QHash<QString, qint64> versions; // the oracle's numbering: each stream counts its events from 1
        QList<QPair<QJsonObject, qint64>> expected;
        for (const Planned& p : std::as_const(m_planned)) {
            const qint64 version = ++versions[p.stream];
            if (correlationOf(p.metadata, keys) != correlation)
                continue;
            const QJsonObject stored = m_stored.value(id(p.name));
            QCOMPARE(stored[u"stream"_s].toString(), p.stream);
            QCOMPARE(stored[u"type"_s].toString(), p.type);
            QCOMPARE(stored[u"metadata"_s].toObject(), p.metadata);
            QCOMPARE(stored[u"data"_s][u"name"_s].toString(), p.name);
            QCOMPARE(stored[u"version"_s].toInteger(), version);
            if (p.seconds >= 0)
                QCOMPARE(QDateTime::fromString(stored[u"time"_s].toString(), Qt::ISODateWithMs), timeAt(p.seconds));
            expected.append({ stored, stored[u"position"_s].toInteger() });
        }
        // RFC 3339 UTC with a fixed number of fraction digits sorts as text.
        std::stable_sort(expected.begin(), expected.end(), [](const auto& a, const auto& b) {
            const QString ta = a.first[u"time"_s].toString(), tb = b.first[u"time"_s].toString();
            return ta != tb ? ta < tb : a.second < b.second;
        });
        QStringList expectedNames, printedNames;
        for (const auto& e : std::as_const(expected))
            expectedNames << nameOf(e.first[u"id"_s].toString());
        const QStringList eventKeys { u"data"_s, u"id"_s, u"metadata"_s, u"position"_s, u"stream"_s, u"time"_s,
            u"type"_s, u"version"_s };
        for (const QJsonValue& value : flow[u"events"_s].toArray()) {
            const QJsonObject event = value.toObject();
            QCOMPARE(event.keys(), eventKeys);
            QCOMPARE(event, m_stored.value(event[u"id"_s].toString()));
            printedNames << nameOf(event[u"id"_s].toString());
        }
        QCOMPARE(printedNames, expectedNames);

        QList<Edge> printedEdges, expectedEdges = edges;
        for (const QJsonValue& value : flow[u"edges"_s].toArray()) {
            const QJsonObject edge = value.toObject();
            QCOMPARE(edge.keys(), QStringList({ u"from"_s, u"to"_s }));
            const Edge named { nameOf(edge[u"from"_s].toString()), nameOf(edge[u"to"_s].toString()) };
            QVERIFY2(!printedEdges.contains(named), qPrintable(named.first + u" -> "_s + named.second));
            printedEdges << named;
        }
        std::sort(printedEdges.begin(), printedEdges.end());
        std::sort(expectedEdges.begin(), expectedEdges.end());
        const auto describe = [](const QList<Edge>& list) {
            QStringList text;
            for (const Edge& edge : list)
                text << edge.first + u"->"_s + edge.second;
            return text.join(u", "_s);
        };
        QCOMPARE(describe(printedEdges), describe(expectedEdges));

        QStringList printedOrphans, expectedOrphans = orphans;
        for (const QJsonValue& value : flow[u"orphans"_s].toArray())
            printedOrphans << nameOf(value.toString());
        printedOrphans.sort();
        expectedOrphans.sort();
        QCOMPARE(printedOrphans, expectedOrphans);
    }

private slots:
    void init()
    {
        m_ids.clear();
        m_planned.clear();
        m_stored.clear();
    }
    void cleanup() { dropSchemas(); }

    void chainsFansAndRoots_data() { eventscope::test::addBackendRows(); }
    void chainsFansAndRoots()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        open(location);
        // Appended out of time order, so that time order and position order differ. c1 names the correlation
        // as its cause: the request that began the flow, a root.
        QJsonObject started = meta(u"camel"_s, u"corr-chain"_s);
        started[u"causationId"_s] = u"corr-chain"_s;
        FLOW_CHECK(appendAll({
            { u"c3"_s, u"shipment-1"_s, u"ShipmentRequested"_s, 30, meta(u"camel"_s, u"corr-chain"_s, u"c2"_s) },
            { u"c1"_s, u"order-1"_s, u"OrderPlaced"_s, 10, started },
            { u"c2"_s, u"payment-1"_s, u"PaymentTaken"_s, 20, meta(u"camel"_s, u"corr-chain"_s, u"c1"_s) },
            { u"c4"_s, u"order-1"_s, u"OrderShipped"_s, 40, meta(u"camel"_s, u"corr-chain"_s, u"c3"_s) },
            // Fan-out: one cause, three effects in three streams.
            { u"f0"_s, u"order-2"_s, u"OrderPlaced"_s, 100, meta(u"snake"_s, u"corr-fan"_s) },
            { u"f2"_s, u"stock-2"_s, u"StockReserved"_s, 102, meta(u"snake"_s, u"corr-fan"_s, u"f0"_s) },
            { u"f1"_s, u"payment-2"_s, u"PaymentRequested"_s, 101, meta(u"snake"_s, u"corr-fan"_s, u"f0"_s) },
            { u"f3"_s, u"email-2"_s, u"ConfirmationSent"_s, 103, meta(u"snake"_s, u"corr-fan"_s, u"f0"_s) },
            // Two roots in one correlation, one with no cause, one caused by the correlation itself.
            { u"r1"_s, u"cart-3"_s, u"CartOpened"_s, 200, meta(u"dollar"_s, u"corr-roots"_s) },
            { u"r2"_s, u"cart-3"_s, u"CouponApplied"_s, 201,
                { { u"$correlationId"_s, u"corr-roots"_s }, { u"$causationId"_s, u"corr-roots"_s } } },
            { u"r1a"_s, u"pricing-3"_s, u"PriceComputed"_s, 202, meta(u"dollar"_s, u"corr-roots"_s, u"r1"_s) },
            { u"r2a"_s, u"pricing-3"_s, u"DiscountComputed"_s, 203, meta(u"dollar"_s, u"corr-roots"_s, u"r2"_s) },
            // The three key styles in one flow; s3 carries two styles, and the first key of §2's lists wins.
            { u"s1"_s, u"inventory-4"_s, u"Counted"_s, 300, meta(u"camel"_s, u"corr-styles"_s) },
            { u"s2"_s, u"inventory-4"_s, u"Adjusted"_s, 301, meta(u"snake"_s, u"corr-styles"_s, u"s1"_s) },
            { u"s3"_s, u"report-4"_s, u"Reported"_s, 302,
                { { u"$correlationId"_s, u"corr-decoy"_s }, { u"correlationId"_s, u"corr-styles"_s },
                    { u"causation_id"_s, id(u"s1"_s) }, { u"causationId"_s, id(u"s2"_s) } } },
            { u"s4"_s, u"report-4"_s, u"Archived"_s, 303, meta(u"dollar"_s, u"corr-styles"_s, u"s3"_s) },
        }));
        FLOW_CHECK(
            checkFlow(u"corr-chain"_s, { { u"c1"_s, u"c2"_s }, { u"c2"_s, u"c3"_s }, { u"c3"_s, u"c4"_s } }, {}));
        FLOW_CHECK(checkFlow(u"corr-fan"_s, { { u"f0"_s, u"f1"_s }, { u"f0"_s, u"f2"_s }, { u"f0"_s, u"f3"_s } }, {}));
        FLOW_CHECK(checkFlow(u"corr-roots"_s, { { u"r1"_s, u"r1a"_s }, { u"r2"_s, u"r2a"_s } }, {}));
        FLOW_CHECK(
            checkFlow(u"corr-styles"_s, { { u"s1"_s, u"s2"_s }, { u"s2"_s, u"s3"_s }, { u"s3"_s, u"s4"_s } }, {}));
        FLOW_CHECK(checkFlow(u"corr-decoy"_s, {}, {}));
    }

    void orphansAndOutsideCauses_data() { eventscope::test::addBackendRows(); }
    void orphansAndOutsideCauses()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        open(location);
        QJsonObject notUuid = meta(u"camel"_s, u"corr-orphan"_s);
        notUuid[u"causationId"_s] = u"cmd-42"_s;
        FLOW_CHECK(appendAll({
            { u"o1"_s, u"ticket-5"_s, u"TicketOpened"_s, 400, meta(u"camel"_s, u"corr-orphan"_s) },
            { u"o2"_s, u"ticket-5"_s, u"TicketAssigned"_s, 401, meta(u"camel"_s, u"corr-orphan"_s, u"o1"_s) },
            // "never" gets an ID that is never appended.
            { u"o3"_s, u"sla-5"_s, u"SlaBreached"_s, 402, meta(u"camel"_s, u"corr-orphan"_s, u"never"_s) },
            { u"o4"_s, u"ticket-5"_s, u"TicketEscalated"_s, 403, meta(u"camel"_s, u"corr-orphan"_s, u"o3"_s) },
            { u"o5"_s, u"sla-5"_s, u"SlaChecked"_s, 404, notUuid },
            // x2's cause is in the store, under another correlation: no orphan, and no edge.
            { u"x1"_s, u"user-6"_s, u"UserInvited"_s, 500, meta(u"camel"_s, u"corr-other"_s) },
            { u"x2"_s, u"mail-6"_s, u"InviteMailed"_s, 501, meta(u"snake"_s, u"corr-ext"_s, u"x1"_s) },
            { u"x3"_s, u"mail-6"_s, u"InviteDelivered"_s, 502, meta(u"snake"_s, u"corr-ext"_s, u"x2"_s) },
        }));
        FLOW_CHECK(checkFlow(u"corr-orphan"_s, { { u"o1"_s, u"o2"_s }, { u"o3"_s, u"o4"_s } }, { u"o3"_s, u"o5"_s }));
        FLOW_CHECK(checkFlow(u"corr-ext"_s, { { u"x2"_s, u"x3"_s } }, {}));
        FLOW_CHECK(checkFlow(u"corr-other"_s, {}, {}));
    }

    void loops_data() { eventscope::test::addBackendRows(); }
    void loops()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        open(location);
        // A <- C, B <- A, C <- B: appended C first, so the earliest event (A) is not the first position.
        FLOW_CHECK(appendAll({
            { u"C"_s, u"side-7"_s, u"Compensated"_s, 602, meta(u"camel"_s, u"corr-loop"_s, u"B"_s) },
            { u"A"_s, u"loop-7"_s, u"Attempted"_s, 600, meta(u"camel"_s, u"corr-loop"_s, u"C"_s) },
            { u"B"_s, u"loop-7"_s, u"Bounced"_s, 601, meta(u"camel"_s, u"corr-loop"_s, u"A"_s) },
            { u"D"_s, u"side-7"_s, u"Dropped"_s, 603, meta(u"camel"_s, u"corr-loop"_s, u"C"_s) },
            { u"S"_s, u"self-7"_s, u"SelfCaused"_s, 604, meta(u"camel"_s, u"corr-loop"_s, u"S"_s) },
        }));
        FLOW_CHECK(checkFlow(u"corr-loop"_s, { { u"A"_s, u"B"_s }, { u"B"_s, u"C"_s }, { u"C"_s, u"D"_s } }, {}));

        // Two events that name each other, typed one by one with --id: the edge into the earlier one closes the loop.
        FLOW_CHECK(appendOne({ u"P"_s, u"pingpong-8"_s, u"Ping"_s, -1, meta(u"camel"_s, u"corr-pp"_s, u"Q"_s) }));
        FLOW_CHECK(appendOne({ u"Q"_s, u"pingpong-8"_s, u"Pong"_s, -1, meta(u"camel"_s, u"corr-pp"_s, u"P"_s) }));
        FLOW_CHECK(checkFlow(u"corr-pp"_s, { { u"P"_s, u"Q"_s } }, {}));
    }

    // Message DB names a cause by global position, or by stream and position counted from 0 (native versions count
    // from 1, so position 0 is version 1).
    void messageDbPositions_data() { eventscope::test::addBackendRows(); }
    void messageDbPositions()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        open(location);
        const auto mdb = [](const QString& correlation, std::initializer_list<QPair<QString, QJsonValue>> cause) {
            QJsonObject metadata { { u"correlationStreamName"_s, correlation } };
            for (const auto& [key, value] : cause)
                metadata[key] = value;
            return metadata;
        };
        FLOW_CHECK(appendAll({
            { u"m1"_s, u"account-9"_s, u"Opened"_s, 700, mdb(u"corr-mdb"_s, {}) },
            { u"m2"_s, u"account-9"_s, u"Funded"_s, 701, mdb(u"corr-mdb"_s, {}) },
            { u"y1"_s, u"ledger-9"_s, u"Booked"_s, 702, mdb(u"corr-mdb-other"_s, {}) },
        }));
        const qint64 m1 = positionOf(u"m1"_s), y1 = positionOf(u"y1"_s);
        QVERIFY(m1 > 0 && y1 > 0);
        const QString global = u"causationMessageGlobalPosition"_s, stream = u"causationMessageStreamName"_s,
                      position = u"causationMessagePosition"_s;
        FLOW_CHECK(appendAll({
            { u"m3"_s, u"audit-9"_s, u"Checked"_s, 710, mdb(u"corr-mdb"_s, { { global, m1 } }) },
            { u"m4"_s, u"notify-9"_s, u"Notified"_s, 711,
                mdb(u"corr-mdb"_s, { { stream, u"account-9"_s }, { position, 1 } }) },
            { u"m5"_s, u"notify-9"_s, u"Welcomed"_s, 712,
                mdb(u"corr-mdb"_s, { { stream, u"account-9"_s }, { position, 0 } }) },
            { u"m6"_s, u"audit-9"_s, u"Unmatched"_s, 713, mdb(u"corr-mdb"_s, { { global, 999999999 } }) },
            { u"m7"_s, u"notify-9"_s, u"Lost"_s, 714,
                mdb(u"corr-mdb"_s, { { stream, u"account-9"_s }, { position, 50 } }) },
            { u"m8"_s, u"notify-9"_s, u"FromLedger"_s, 715,
                mdb(u"corr-mdb"_s, { { stream, u"ledger-9"_s }, { position, 0 } }) },
            { u"m9"_s, u"audit-9"_s, u"LedgerChecked"_s, 716, mdb(u"corr-mdb"_s, { { global, y1 } }) },
        }));
        FLOW_CHECK(checkFlow(
            u"corr-mdb"_s, { { u"m1"_s, u"m3"_s }, { u"m2"_s, u"m4"_s }, { u"m1"_s, u"m5"_s } }, { u"m6"_s, u"m7"_s }));
        FLOW_CHECK(checkFlow(u"corr-mdb-other"_s, {}, {}));
    }

    // A UUID is the same in capitals or braces (RFC 4122; the stores' eventById say so too): the cause is in the flow.
    void causeSpelledOtherwise_data() { eventscope::test::addBackendRows(); }
    void causeSpelledOtherwise()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        open(location);
        FLOW_CHECK(appendAll({
            { u"k1"_s, u"key-11"_s, u"KeyIssued"_s, 900, meta(u"camel"_s, u"corr-caps"_s) },
            { u"k2"_s, u"key-11"_s, u"KeyUsed"_s, 901,
                { { u"correlationId"_s, u"corr-caps"_s }, { u"causationId"_s, id(u"k1"_s).toUpper() } } },
            { u"k3"_s, u"key-11"_s, u"KeyRevoked"_s, 902,
                { { u"correlationId"_s, u"corr-caps"_s },
                    { u"causationId"_s, QString(u"{"_s + id(u"k2"_s) + u"}"_s) } } },
        }));
        FLOW_CHECK(checkFlow(u"corr-caps"_s, { { u"k1"_s, u"k2"_s }, { u"k2"_s, u"k3"_s } }, {}));
    }

    void conventionsFile_data() { eventscope::test::addBackendRows(); }
    void conventionsFile()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        open(location);
        const QString trace = u"trace-77"_s, quoted = u"tr\"ace 8"_s;
        const auto traced = [this](const QString& correlation, const QString& parent = {}) {
            QJsonObject metadata { { u"traceId"_s, correlation } };
            if (!parent.isEmpty())
                metadata[u"parentId"_s] = id(parent);
            return metadata;
        };
        QJsonObject retried = traced(trace);
        retried[u"causationId"_s] = id(u"t4"_s); // a default key: ignored under the file's conventions
        FLOW_CHECK(appendAll({
            { u"n1"_s, u"web-10"_s, u"Decoy"_s, 800, meta(u"camel"_s, trace) },
            { u"t1"_s, u"api-10"_s, u"RequestReceived"_s, 801, traced(trace) },
            { u"t2"_s, u"db-10"_s, u"RowWritten"_s, 802, traced(trace, u"t1"_s) },
            { u"t3"_s, u"cache-10"_s, u"CacheEvicted"_s, 803, traced(trace, u"t2"_s) },
            { u"t4"_s, u"queue-10"_s, u"Published"_s, 804, traced(trace, u"never"_s) },
            { u"t5"_s, u"queue-10"_s, u"Retried"_s, 805, retried },
            // A correlation ID with a quote, which JSON text spells differently.
            { u"q1"_s, u"api-10"_s, u"RequestReceived"_s, 806, traced(quoted) },
            { u"q2"_s, u"db-10"_s, u"RowWritten"_s, 807, traced(quoted, u"q1"_s) },
        }));
        // The defaults know nothing of traceId: only the decoy, which carries correlationId.
        FLOW_CHECK(checkFlow(trace, {}, {}));
        FLOW_CHECK(checkFlow(quoted, {}, {}));
        const QStringList conventions { u"--conventions"_s,
            write(m_dir, u"conventions.json"_s, "{\"correlation\":[\"traceId\"],\"causation\":[\"parentId\"]}") };
        FLOW_CHECK(checkFlow(
            trace, { { u"t1"_s, u"t2"_s }, { u"t2"_s, u"t3"_s } }, { u"t4"_s }, { u"traceId"_s }, conventions));
        FLOW_CHECK(checkFlow(quoted, { { u"q1"_s, u"q2"_s } }, {}, { u"traceId"_s }, conventions));
    }

    void unknownCorrelation_data() { eventscope::test::addBackendRows(); }
    void unknownCorrelation()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        open(location);
        FLOW_CHECK(appendAll({ { u"a"_s, u"order-1"_s, u"OrderPlaced"_s, 0, meta(u"camel"_s, u"corr-known"_s) } }));
        QVERIFY(ok({ u"flow"_s, m_store, u"--correlation"_s, u"corr-unknown"_s }));
        const QJsonObject empty { { u"correlation"_s, u"corr-unknown"_s }, { u"events"_s, QJsonArray() },
            { u"edges"_s, QJsonArray() }, { u"orphans"_s, QJsonArray() } };
        QCOMPARE(QJsonDocument::fromJson(m_last.out).object(), empty);
        QVERIFY(ok({ u"flow"_s, m_store, u"--correlation"_s, u"corr-unknown"_s, u"--format"_s, u"mermaid"_s }));
        for (const QByteArray& line : m_last.lines().mid(1))
            QVERIFY2(kMermaidComment.match(QString::fromUtf8(line)).hasMatch(), line.constData());
    }

    void formats_data() { eventscope::test::addBackendRows(); }
    void formats()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        open(location);
        QJsonObject first = meta(u"camel"_s, u"corr-fmt"_s);
        first[u"causationId"_s] = u"corr-fmt"_s;
        FLOW_CHECK(appendAll({
            { u"a"_s, u"a;b-1"_s, u"Paid#1"_s, 0, first },
            { u"b"_s, u"c#d-2"_s, u"Ship;2"_s, 1, meta(u"camel"_s, u"corr-fmt"_s, u"a"_s) },
            { u"c"_s, u"plain-3"_s, u"Done"_s, 2, meta(u"camel"_s, u"corr-fmt"_s, u"b"_s) },
            { u"d"_s, u"a;b-1"_s, u"Noted"_s, 3, meta(u"camel"_s, u"corr-fmt"_s, u"a"_s) },
            { u"e"_s, u"plain-3"_s, u"Lost"_s, 4, meta(u"camel"_s, u"corr-fmt"_s, u"never"_s) },
            { u"f"_s, u"plain-3"_s, u"Later"_s, 5, meta(u"camel"_s, u"corr-fmt"_s) },
        }));
        const QStringList base { u"flow"_s, m_store, u"--correlation"_s, u"corr-fmt"_s };
        FLOW_CHECK(
            checkFlow(u"corr-fmt"_s, { { u"a"_s, u"b"_s }, { u"b"_s, u"c"_s }, { u"a"_s, u"d"_s } }, { u"e"_s }));
        const QJsonObject flow = m_last.json();
        const QJsonArray events = flow[u"events"_s].toArray();
        QHash<QString, int> indexOf; // event ID -> place in time order
        for (int i = 0; i < events.size(); ++i)
            indexOf.insert(events[i][u"id"_s].toString(), i);
        QHash<int, int> causeOf;
        for (const QJsonValue& edge : flow[u"edges"_s].toArray())
            causeOf.insert(indexOf.value(edge[u"to"_s].toString()), indexOf.value(edge[u"from"_s].toString()));
        QByteArray printed;

        // Mermaid: one message (from the cause's stream) or note per event, in time order, every alias declared.
        QVERIFY(ok(base + QStringList { u"--format"_s, u"mermaid"_s }));
        printed = m_last.out;
        const QList<QByteArray> lines = m_last.lines();
        QCOMPARE(lines.value(0), QByteArray("sequenceDiagram"));
        QHash<QString, QString> streamOf; // alias -> the stream as escaped
        int event = 0;
        for (const QByteArray& raw : lines.mid(1)) {
            const QString line = QString::fromUtf8(raw);
            if (kMermaidComment.match(line).hasMatch())
                continue;
            if (const auto p = kMermaidParticipant.match(line); p.hasMatch()) {
                QVERIFY2(!streamOf.contains(p.captured(1)), raw.constData());
                streamOf.insert(p.captured(1), p.captured(2));
                continue;
            }
            const auto message = kMermaidMessage.match(line);
            const auto note = kMermaidNote.match(line);
            QVERIFY2(message.hasMatch() || note.hasMatch(), raw.constData());
            QVERIFY2(event < events.size(), raw.constData());
            const QJsonObject shown = events[event].toObject();
            const QString to = message.hasMatch() ? message.captured(3) : note.captured(1);
            QCOMPARE(streamOf.value(to), mermaidEscaped(shown[u"stream"_s].toString()));
            QCOMPARE(message.hasMatch(), causeOf.contains(event));
            if (message.hasMatch()) {
                QVERIFY2(streamOf.contains(message.captured(1)), raw.constData());
                QCOMPARE(streamOf.value(message.captured(1)),
                    mermaidEscaped(events[causeOf.value(event)][u"stream"_s].toString()));
            }
            const QString text = message.hasMatch() ? message.captured(4) : note.captured(2);
            QVERIFY2(text.startsWith(mermaidEscaped(shown[u"type"_s].toString())), raw.constData());
            ++event;
        }
        QCOMPARE(event, events.size());
        QVERIFY(streamOf.values().contains(u"a#59;b-1"_s));
        QVERIFY(streamOf.values().contains(u"c#35;d-2"_s));
        FLOW_CHECK(checkOut(base, u"mermaid"_s, printed));

        // DOT: one node per event, one edge line per causation edge, matching the JSON's.
        QVERIFY(ok(base + QStringList { u"--format"_s, u"dot"_s }));
        printed = m_last.out;
        QVERIFY2(printed.startsWith("digraph flow {\n") && printed.endsWith("}\n"), printed.constData());
        const QRegularExpression node(u"^\\s*e(\\d+) \\[(.*)$"_s), arrow(u"^\\s*e(\\d+) -> e(\\d+) "_s);
        QList<int> nodes;
        QList<QPair<int, int>> arrows, expectedArrows;
        int arrowLines = 0;
        for (const QByteArray& raw : m_last.lines()) {
            const QString line = QString::fromUtf8(raw);
            arrowLines += line.contains(u"->"_s) ? 1 : 0;
            if (const auto n = node.match(line); n.hasMatch()) {
                nodes << n.captured(1).toInt();
                QVERIFY2(n.captured(2).contains(events[nodes.constLast()][u"type"_s].toString()), raw.constData());
            } else if (const auto a = arrow.match(line); a.hasMatch()) {
                arrows.append({ a.captured(1).toInt(), a.captured(2).toInt() });
            }
        }
        QCOMPARE(nodes, QList<int>({ 0, 1, 2, 3, 4, 5 }));
        for (auto it = causeOf.cbegin(); it != causeOf.cend(); ++it)
            expectedArrows.append({ it.value(), it.key() });
        std::sort(arrows.begin(), arrows.end());
        std::sort(expectedArrows.begin(), expectedArrows.end());
        QCOMPARE(arrows, expectedArrows);
        QCOMPARE(arrowLines, expectedArrows.size());
        FLOW_CHECK(checkOut(base, u"dot"_s, printed));

        // SVG: well-formed XML, an <svg> root, every event type in its text.
        QVERIFY(ok(base + QStringList { u"--format"_s, u"svg"_s }));
        printed = m_last.out;
        QXmlStreamReader xml(printed);
        QString root, text;
        while (!xml.atEnd()) {
            xml.readNext();
            if (xml.isStartElement() && root.isEmpty())
                root = xml.name().toString();
            if (xml.isCharacters())
                text += xml.text();
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QCOMPARE(root, u"svg"_s);
        for (const QJsonValue& shown : events)
            QVERIFY2(text.contains(shown[u"type"_s].toString()), qPrintable(shown[u"type"_s].toString()));
        FLOW_CHECK(checkOut(base, u"svg"_s, printed));

        QVERIFY(ok(base + QStringList { u"--format"_s, u"png"_s }));
        printed = m_last.out;
        QVERIFY(printed.startsWith(QByteArray("\x89PNG\r\n\x1a\n", 8)));
        QVERIFY(printed.size() > 100);
        FLOW_CHECK(checkOut(base, u"png"_s, printed));

        QVERIFY(ok(base));
        printed = m_last.out;
        FLOW_CHECK(checkOut(base, u"json"_s, printed));
    }

    // Bad input: its exit code, nothing on stdout, one sentence on stderr, and no output file (nor a temporary one).
    void badInput_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("needle");
        QTest::addColumn<QByteArray>("conventions"); // written to {conventions} when not empty
        const QString out = u"{dir}/out/flow.json"_s;
        const auto flow = [&out](const QStringList& more) {
            return QStringList { u"flow"_s, u"{store}"_s } + more + QStringList { u"--out"_s, out };
        };
        const QStringList corr { u"--correlation"_s, u"c"_s };
        QTest::addRow("no correlation") << flow({}) << 1 << u"--correlation"_s << QByteArray();
        QTest::addRow("empty correlation")
            << flow({ u"--correlation"_s, QString() }) << 1 << u"correlation"_s << QByteArray();
        QTest::addRow("blank correlation")
            << flow({ u"--correlation"_s, u"  "_s }) << 1 << u"correlation"_s << QByteArray();
        QTest::addRow("unknown format") << flow(corr + QStringList { u"--format"_s, u"jpeg"_s }) << 1 << u"jpeg"_s
                                        << QByteArray();
        QTest::addRow("extra positional") << flow(QStringList { u"extra"_s } + corr) << 1 << u"extra"_s << QByteArray();
        QTest::addRow("no sqlite store") << (QStringList { u"flow"_s, u"{dir}/missing.db"_s } + corr
            + QStringList { u"--out"_s, out })
                                         << 2 << u"missing.db"_s << QByteArray();
        QTest::addRow("no postgresql store")
            << (QStringList { u"flow"_s, u"{pg}"_s } + corr + QStringList { u"--out"_s, out }) << 2 << u"schema"_s
            << QByteArray();
        QTest::addRow("out in a missing folder")
            << (QStringList { u"flow"_s, u"{store}"_s } + corr + QStringList { u"--out"_s, u"{dir}/nodir/f.json"_s })
            << 1 << u"nodir"_s << QByteArray();
        QTest::addRow("out is a folder") << (QStringList { u"flow"_s, u"{store}"_s } + corr
            + QStringList { u"--out"_s, u"{dir}/out"_s })
                                         << 1 << u"out"_s << QByteArray();
        const QStringList conv = corr + QStringList { u"--conventions"_s, u"{conventions}"_s };
        QTest::addRow("conventions not JSON") << flow(conv) << 1 << u"conventions"_s << QByteArray("{traceId");
        QTest::addRow("conventions unknown member")
            << flow(conv) << 1 << u"trace"_s << QByteArray("{\"trace\":[\"traceId\"]}");
        QTest::addRow("conventions empty array")
            << flow(conv) << 1 << u"correlation"_s << QByteArray("{\"correlation\":[]}");
        QTest::addRow("conventions missing") << flow(corr + QStringList { u"--conventions"_s, u"{dir}/none.json"_s })
                                             << 1 << u"none.json"_s << QByteArray();
    }
    void badInput()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, code);
        QFETCH(QString, needle);
        QFETCH(QByteArray, conventions);
        EVENTSCOPE_STORE_OR_SKIP(location, u"sqlite"_s);
        open(location);
        FLOW_CHECK(appendAll({ { u"a"_s, u"order-1"_s, u"OrderPlaced"_s, 0, meta(u"camel"_s, u"c"_s) } }));
        QVERIFY(QDir(m_dir).mkdir(u"out"_s));
        const QString conventionsPath = write(m_dir, u"conventions.json"_s, conventions);
        QString pg;
        if (arguments.contains(u"{pg}"_s)) {
            EVENTSCOPE_STORE_OR_SKIP(pgLocation, u"postgresql"_s);
            pg = QString::fromStdString(pgLocation.uri()); // a schema nobody created
        }
        for (QString& argument : arguments)
            argument.replace(u"{store}"_s, m_store)
                .replace(u"{dir}"_s, m_dir)
                .replace(u"{conventions}"_s, conventionsPath)
                .replace(u"{pg}"_s, pg);
        QVERIFY(fails(arguments, code, { needle }));
        QCOMPARE(
            QDir(m_dir + u"/out"_s).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden), QStringList());
        QVERIFY(!QFileInfo::exists(m_dir + u"/nodir"_s));
        QVERIFY(!QFileInfo::exists(m_dir + u"/missing.db"_s)); // a missing store is not created
        // Nothing beside the store and the test's own files: no temporary file of a half-written output either.
        const QStringList ours { u"store.db"_s, u"store.db-wal"_s, u"store.db-shm"_s, u"events-0.ndjson"_s,
            u"conventions.json"_s, u"out"_s };
        for (const QString& name : QDir(m_dir).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden))
            QVERIFY2(ours.contains(name), qPrintable(name));
    }

private:
    // --out FILE writes what stdout would have shown, and stdout stays empty.
    void checkOut(const QStringList& base, const QString& format, const QByteArray& printed)
    {
        const QString path = QDir(m_dir).filePath(u"flow."_s + format);
        QVERIFY(ok(base + QStringList { u"--format"_s, format, u"--out"_s, path }));
        QCOMPARE(m_last.out, QByteArray());
        QCOMPARE(clitest::readFile(path), printed);
    }
};

QTEST_GUILESS_MAIN(TestCliFlow)
#include "tst_cli_flow.moc"
