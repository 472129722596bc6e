// The correlation flow graph (DESIGN §6): causation joined by ID and by Message DB positions, orphans, roots,
// loops broken without hanging, the critical path, and the JSON of `eventscope flow --format json` (§8).
// Every expected graph is drawn by hand here.

#include "model/flow_graph.h"

#include <QTest>

using namespace eventscope;
using namespace Qt::Literals::StringLiterals;

namespace {

Event ev(const std::string& id, std::int64_t position, Micros time, const std::string& causation = {},
    const std::string& metadata = "{}", const std::string& stream = "order-1", std::int64_t version = 0)
{
    Event event;
    event.id = id;
    event.position = position;
    event.time = time;
    event.causation = causation;
    event.metadata = metadata;
    event.stream = stream;
    event.version = version == 0 ? position : version;
    event.type = "Happened";
    event.data = "{}";
    event.correlation = "corr";
    return event;
}

QStringList ids(const FlowGraph& flow, const std::vector<std::size_t>& indexes)
{
    QStringList out;
    for (const std::size_t index : indexes)
        out << QString::fromStdString(flow.events.at(index).id);
    return out;
}

QStringList allIds(const FlowGraph& flow)
{
    QStringList out;
    for (const Event& event : flow.events)
        out << QString::fromStdString(event.id);
    return out;
}

// "cause>effect:gap" for each edge, in the graph's order.
QStringList edges(const FlowGraph& flow)
{
    QStringList out;
    for (const FlowEdge& edge : flow.edges)
        out << QString::fromStdString(flow.events.at(edge.fromIndex).id) + u'>'
                + QString::fromStdString(flow.events.at(edge.toIndex).id) + u':' + QString::number(edge.gapMicros);
    return out;
}

} // namespace

class TestFlowGraph : public QObject
{
    Q_OBJECT

private slots:
    void requestThatBeganTheFlowIsARoot()
    {
        // Causation = the correlation ID names the request that began the flow: no event, so a root, no orphan.
        const FlowGraph flow
            = buildFlowGraph("corr", { ev("a", 1, 0, "corr"), ev("b", 2, 1, "a"), ev("c", 3, 2, "gone") });
        QCOMPARE(ids(flow, flow.roots), QStringList { u"a"_s });
        QCOMPARE(ids(flow, flow.orphans), QStringList { u"c"_s });
        // Unless an event has that ID: then it is an ordinary cause.
        const FlowGraph named = buildFlowGraph("corr", { ev("corr", 1, 0), ev("b", 2, 5, "corr") });
        QCOMPARE(edges(named), QStringList { u"corr>b:5"_s });
    }

    void uuidCausesMatchInAnySpelling()
    {
        const std::string id = "0190a5c4-1b2c-7d3e-8f40-5a6b7c8d9e0f";
        std::string upper = id;
        for (char& c : upper)
            c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        const FlowGraph flow = buildFlowGraph("corr", { ev(id, 1, 0), ev("b", 2, 3, upper) });
        QCOMPARE(flow.edges.size(), std::size_t(1));
        QVERIFY(flow.orphans.empty());
    }

    void chain()
    {
        // Given out of order, with b and c at the same time: the tie goes by position.
        const FlowGraph flow = buildFlowGraph("corr", { ev("c", 3, 250, "b"), ev("a", 1, 100), ev("b", 2, 250, "a") });
        QCOMPARE(flow.correlation, "corr");
        QCOMPARE(allIds(flow), (QStringList { u"a"_s, u"b"_s, u"c"_s }));
        QCOMPARE(edges(flow), (QStringList { u"a>b:150"_s, u"b>c:0"_s }));
        QCOMPARE(ids(flow, flow.roots), QStringList { u"a"_s });
        QCOMPARE(ids(flow, flow.criticalPath), (QStringList { u"a"_s, u"b"_s, u"c"_s }));
        QVERIFY(flow.orphans.empty());
        QVERIFY(flow.cycles.empty());
    }

    void fanOut()
    {
        const FlowGraph flow = buildFlowGraph("corr",
            { ev("a", 1, 0), ev("b", 2, 30, "a"), ev("c", 3, 90, "a"), ev("d", 4, 60, "a"), ev("e", 5, 70, "b") });
        QCOMPARE(allIds(flow), (QStringList { u"a"_s, u"b"_s, u"d"_s, u"e"_s, u"c"_s }));
        QCOMPARE(edges(flow), (QStringList { u"a>b:30"_s, u"a>d:60"_s, u"b>e:40"_s, u"a>c:90"_s }));
        QCOMPARE(ids(flow, flow.roots), QStringList { u"a"_s });
        // The longest-lasting branch, not the one with most events (a,b,e lasts 70).
        QCOMPARE(ids(flow, flow.criticalPath), (QStringList { u"a"_s, u"c"_s }));
    }

    void criticalPath_data()
    {
        QTest::addColumn<QList<QByteArray>>("spec"); // "id position time cause" each
        QTest::addColumn<QStringList>("expected");
        // Two chains converging in time: the one spanning more time from its root wins, even with fewer events.
        QTest::addRow("longer span, fewer events") << QList<QByteArray> { "r1 1 0 -", "x 2 1 r1", "y 3 2 x", "z 4 3 y",
            "r2 5 10 -", "w 6 1000 r2" } << QStringList { u"r2"_s, u"w"_s };
        // The span counts from the chain's root, not from the first event of the flow.
        QTest::addRow("span from own root") << QList<QByteArray> { "r1 1 0 -", "x 2 500 r1", "r2 3 400 -",
            "y 4 800 r2" } << QStringList { u"r1"_s, u"x"_s };
        // Equal spans: more events win.
        QTest::addRow("tie by more events") << QList<QByteArray> { "r1 1 0 -", "x 2 100 r1", "r2 3 0 -", "y 4 50 r2",
            "z 5 100 y" } << QStringList { u"r2"_s, u"y"_s, u"z"_s };
        // Lone events only: a single root is the whole path.
        QTest::addRow("no edges") << QList<QByteArray> { "a 1 0 -", "b 2 5 -" } << QStringList { u"a"_s };
        // A chain under an orphan does not start at a root and is not the critical path.
        QTest::addRow("orphan chain ignored") << QList<QByteArray> { "o 1 0 gone", "p 2 9000 o", "r 3 10 -",
            "s 4 20 r" } << QStringList { u"r"_s, u"s"_s };
    }

    void criticalPath()
    {
        QFETCH(QList<QByteArray>, spec);
        QFETCH(QStringList, expected);
        std::vector<Event> events;
        for (const QByteArray& line : spec) {
            const QList<QByteArray> f = line.split(' ');
            events.push_back(ev(f[0].toStdString(), f[1].toLongLong(), f[2].toLongLong(),
                f[3] == "-" ? std::string() : f[3].toStdString()));
        }
        const FlowGraph flow = buildFlowGraph("corr", events);
        QCOMPARE(ids(flow, flow.criticalPath), expected);
    }

    void orphan()
    {
        const FlowGraph flow = buildFlowGraph("corr",
            { ev("a", 1, 0), ev("b", 2, 10, "missing"), ev("c", 3, 20, "b"),
                ev("d", 4, 30, {}, "{\"causationMessageGlobalPosition\": 99}") });
        QCOMPARE(ids(flow, flow.orphans), (QStringList { u"b"_s, u"d"_s }));
        QCOMPARE(edges(flow), QStringList { u"b>c:10"_s });
        QCOMPARE(ids(flow, flow.roots), QStringList { u"a"_s });
        QCOMPARE(ids(flow, flow.criticalPath), QStringList { u"a"_s });
        const auto json = flowToJson(flow);
        QCOMPARE(json["orphans"].dump(), "[\"b\",\"d\"]");
        QCOMPARE(json["edges"].dump(), "[{\"from\":\"b\",\"to\":\"c\"}]");
    }

    void selfCausationIsRoot()
    {
        const FlowGraph flow = buildFlowGraph("corr", { ev("a", 1, 0, "a"), ev("b", 2, 5, "a") });
        QCOMPARE(ids(flow, flow.roots), QStringList { u"a"_s });
        QCOMPARE(edges(flow), QStringList { u"a>b:5"_s });
        QVERIFY(flow.cycles.empty());
        QVERIFY(flow.orphans.empty());
    }

    void twoCycle()
    {
        const FlowGraph flow = buildFlowGraph("corr", { ev("b", 2, 20, "a"), ev("a", 1, 10, "b") });
        // The loop is broken at its earliest event: the edge b>a closes it and is left out.
        QCOMPARE(edges(flow), QStringList { u"a>b:10"_s });
        QCOMPARE(ids(flow, flow.cycles), QStringList { u"a"_s });
        QCOMPARE(ids(flow, flow.roots), QStringList { u"a"_s });
        QCOMPARE(ids(flow, flow.criticalPath), (QStringList { u"a"_s, u"b"_s }));
        QVERIFY(flow.orphans.empty());
    }

    void cycleWithTailAndTwoLoops()
    {
        // x>y>z>x with a tail t hanging off z, and a separate loop p>q>p, plus a clean chain.
        const FlowGraph flow = buildFlowGraph("corr",
            { ev("x", 1, 10, "z"), ev("y", 2, 20, "x"), ev("z", 3, 30, "y"), ev("t", 4, 40, "z"), ev("p", 5, 50, "q"),
                ev("q", 6, 60, "p"), ev("m", 7, 0), ev("n", 8, 5, "m") });
        QCOMPARE(allIds(flow), (QStringList { u"m"_s, u"n"_s, u"x"_s, u"y"_s, u"z"_s, u"t"_s, u"p"_s, u"q"_s }));
        QCOMPARE(ids(flow, flow.cycles), (QStringList { u"x"_s, u"p"_s }));
        QCOMPARE(edges(flow), (QStringList { u"m>n:5"_s, u"x>y:10"_s, u"y>z:10"_s, u"z>t:10"_s, u"p>q:10"_s }));
        QCOMPARE(ids(flow, flow.roots), (QStringList { u"m"_s, u"x"_s, u"p"_s }));
        QCOMPARE(ids(flow, flow.criticalPath), (QStringList { u"x"_s, u"y"_s, u"z"_s, u"t"_s }));
    }

    void messageDbGlobalPosition()
    {
        const FlowGraph flow = buildFlowGraph("corr",
            { ev("a", 10, 0, {}, "{}", "account-1", 1),
                ev("b", 11, 7, {}, "{\"causationMessageGlobalPosition\": 10}", "withdrawal-9", 1) });
        QCOMPARE(edges(flow), QStringList { u"a>b:7"_s });
        QVERIFY(flow.orphans.empty());
    }

    void messageDbStreamPosition_data()
    {
        QTest::addColumn<bool>("fromZero");
        QTest::addColumn<int>("messagePosition");
        QTest::addColumn<QString>("cause"); // empty: orphan
        // account-1 holds v1 (p1), v2 (p2), v3 (p3) as the store numbers them.
        QTest::addRow("from one, position 0 is version 1") << false << 0 << u"v1"_s;
        QTest::addRow("from one, position 1 is version 2") << false << 1 << u"v2"_s;
        QTest::addRow("from one, position 3 is missing") << false << 3 << QString();
        QTest::addRow("from zero, position 1 is version 1") << true << 1 << u"v1"_s;
        QTest::addRow("from zero, position 3 is version 3") << true << 3 << u"v3"_s;
        QTest::addRow("from zero, position 0 is missing") << true << 0 << QString();
    }

    void messageDbStreamPosition()
    {
        QFETCH(bool, fromZero);
        QFETCH(int, messagePosition);
        QFETCH(QString, cause);
        const std::string metadata = "{\"causationMessageStreamName\": \"account-1\", \"causationMessagePosition\": "
            + std::to_string(messagePosition) + "}";
        // A same-numbered version in another stream must not be taken for it.
        const FlowGraph flow = buildFlowGraph("corr",
            { ev("v1", 1, 0, {}, "{}", "account-1", 1), ev("v2", 2, 1, {}, "{}", "account-1", 2),
                ev("v3", 3, 2, {}, "{}", "account-1", 3), ev("o1", 4, 3, {}, "{}", "account-2", 1),
                ev("o2", 5, 3, {}, "{}", "account-2", 2), ev("e", 6, 100, {}, metadata, "order-5", 1) },
            FlowOptions { fromZero, {} });
        if (cause.isEmpty()) {
            QVERIFY(flow.edges.empty());
            QCOMPARE(ids(flow, flow.orphans), QStringList { u"e"_s });
        } else {
            const int gap = 100 - (cause == u"v1"_s ? 0 : cause == u"v2"_s ? 1 : 2);
            QCOMPARE(edges(flow), QStringList { cause + u">e:"_s + QString::number(gap) });
            QVERIFY(flow.orphans.empty());
        }
    }

    void badCausationMetadata_data()
    {
        QTest::addColumn<QByteArray>("metadata");
        QTest::addRow("not JSON") << QByteArray("{causationMessageGlobalPosition: 1");
        QTest::addRow("not an object") << QByteArray("[1]");
        QTest::addRow("empty") << QByteArray();
        QTest::addRow("position as text") << QByteArray("{\"causationMessageGlobalPosition\": \"1\"}");
        QTest::addRow("position fractional") << QByteArray("{\"causationMessageGlobalPosition\": 1.5}");
        QTest::addRow("stream without position") << QByteArray("{\"causationMessageStreamName\": \"order-1\"}");
        QTest::addRow("position without stream") << QByteArray("{\"causationMessagePosition\": 0}");
        QTest::addRow("stream not text") << QByteArray(
            "{\"causationMessageStreamName\": 5, \"causationMessagePosition\": 0}");
    }

    void badCausationMetadata()
    {
        // Unusable causation metadata means no causation: a root, neither an edge nor an orphan.
        QFETCH(QByteArray, metadata);
        const FlowGraph flow = buildFlowGraph("corr", { ev("a", 1, 0), ev("b", 2, 5, {}, metadata.toStdString()) });
        QVERIFY(flow.edges.empty());
        QVERIFY(flow.orphans.empty());
        QCOMPARE(ids(flow, flow.roots), (QStringList { u"a"_s, u"b"_s }));
    }

    void causationIdWinsOverPositions()
    {
        const FlowGraph flow = buildFlowGraph(
            "corr", { ev("a", 1, 0), ev("b", 2, 1), ev("c", 3, 2, "a", "{\"causationMessageGlobalPosition\": 2}") });
        QCOMPARE(edges(flow), QStringList { u"a>c:2"_s });
    }

    void empty()
    {
        const FlowGraph flow = buildFlowGraph("nothing", {});
        QVERIFY(flow.events.empty());
        QVERIFY(flow.edges.empty());
        QVERIFY(flow.roots.empty());
        QVERIFY(flow.criticalPath.empty());
        QCOMPARE(flowToJson(flow).dump(), "{\"correlation\":\"nothing\",\"events\":[],\"edges\":[],\"orphans\":[]}");
    }

    void jsonShape()
    {
        Event a = ev("a", 7, 1705327200000000, {}, "{\"correlationId\":\"corr\"}", "order-1", 1);
        a.data = "{\"amount\": 5, \"z\": 1, \"b\": [true, null]}";
        a.type = "OrderPlaced";
        Event b = ev("b", 8, 1705327200000001, "a", "not json", "payment-2", 3);
        b.data = "\x01raw";
        b.type = "PaymentTaken";
        const auto json = flowToJson(buildFlowGraph("corr", { b, a }));
        // Keys in the documented order; data and metadata as JSON values in their own key order, or as text.
        const std::string expected
            = "{\"correlation\":\"corr\",\"events\":["
              "{\"position\":7,\"stream\":\"order-1\",\"version\":1,\"id\":\"a\",\"type\":\"OrderPlaced\","
              "\"time\":\"2024-01-15T14:00:00.000000Z\",\"data\":{\"amount\":5,\"z\":1,\"b\":[true,null]},"
              "\"metadata\":{\"correlationId\":\"corr\"}},"
              "{\"position\":8,\"stream\":\"payment-2\",\"version\":3,\"id\":\"b\",\"type\":\"PaymentTaken\","
              "\"time\":\"2024-01-15T14:00:00.000001Z\",\"data\":\"\\u0001raw\",\"metadata\":\"not json\"}],"
              "\"edges\":[{\"from\":\"a\",\"to\":\"b\"}],\"orphans\":[]}";
        QCOMPARE(json.dump(), expected);
    }
};

QTEST_GUILESS_MAIN(TestFlowGraph)
#include "tst_flow_graph.moc"
