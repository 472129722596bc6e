// A flow's exports (DESIGN §6): the gap as people read it, the Mermaid sequenceDiagram checked line by line
// against its grammar, DOT read back by counting its statements, the Graphviz layout (every event placed, causes
// left of their effects, arrows that start at the cause and end at the effect) and SVG parsed as XML.

#include "model/flow_exports.h"
#include "model/flow_layout.h"

#include <QRegularExpression>
#include <QSet>
#include <QTest>
#include <QXmlStreamReader>

using namespace eventscope;
using namespace Qt::Literals::StringLiterals;

namespace {

Event ev(const std::string& id, std::int64_t position, Micros time, const std::string& causation,
    const std::string& stream, const std::string& type = "Happened")
{
    Event event;
    event.id = id;
    event.position = position;
    event.version = position;
    event.time = time;
    event.causation = causation;
    event.stream = stream;
    event.type = type;
    event.data = "{}";
    event.metadata = "{}";
    event.correlation = "corr";
    return event;
}

// A root with a fan-out of three across streams, a chain under one branch, and an orphan.
FlowGraph sampleFlow()
{
    return buildFlowGraph("corr",
        { ev("a", 1, 0, {}, "order-1", "OrderPlaced"), ev("b", 2, 1500, "a", "payment-1", "PaymentRequested"),
            ev("c", 3, 2000, "a", "inventory-7", "StockReserved"), ev("d", 4, 2500, "a", "order-1", "Noted"),
            ev("e", 5, 3'000'000, "b", "payment-1", "PaymentAuthorized"),
            ev("f", 6, 4'000'000, "lost", "shipment-1", "ShipmentCreated") });
}

} // namespace

class TestFlowExports : public QObject
{
    Q_OBJECT

private slots:
    void gap_data()
    {
        QTest::addColumn<qint64>("micros");
        QTest::addColumn<QString>("text");
        QTest::addRow("zero") << qint64(0) << u"+0 µs"_s;
        QTest::addRow("micros") << qint64(850) << u"+850 µs"_s;
        QTest::addRow("small ms") << qint64(3250) << u"+3.25 ms"_s;
        QTest::addRow("ms") << qint64(12'400) << u"+12.4 ms"_s;
        QTest::addRow("big ms") << qint64(340'000) << u"+340 ms"_s;
        QTest::addRow("seconds") << qint64(3'200'000) << u"+3.20 s"_s;
        QTest::addRow("tens of seconds") << qint64(42'500'000) << u"+42.5 s"_s;
        QTest::addRow("minutes") << qint64(125'000'000) << u"+2 min 5 s"_s;
        QTest::addRow("hours") << qint64(3'780'000'000) << u"+1 h 3 min"_s;
        QTest::addRow("days") << qint64(2LL * 86400'000'000 + 4LL * 3600'000'000) << u"+2 d 4 h"_s;
        QTest::addRow("clock behind") << qint64(-4000) << u"-4.00 ms"_s;
        QTest::addRow("lowest") << std::numeric_limits<qint64>::min() << u"-106751991 d 4 h"_s;
    }
    void gap()
    {
        QFETCH(qint64, micros);
        QFETCH(QString, text);
        QCOMPARE(QString::fromStdString(formatFlowGap(micros)), text);
    }

    void formats_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("known");
        for (const char* name : { "json", "mermaid", "dot", "svg", "png" })
            QTest::addRow("%s", name) << QString::fromLatin1(name) << true;
        QTest::addRow("upper case") << u"JSON"_s << false;
        QTest::addRow("empty") << QString() << false;
        QTest::addRow("other") << u"pdf"_s << false;
    }
    void formats()
    {
        QFETCH(QString, name);
        QFETCH(bool, known);
        const auto format = parseFlowFormat(name.toStdString());
        QCOMPARE(format.has_value(), known);
        if (format)
            QCOMPARE(QString::fromLatin1(flowFormatName(*format)), name);
    }

    void mermaidFollowsItsGrammar()
    {
        FlowGraph flow = sampleFlow();
        // Text Mermaid would cut short: ';' and '#' end a message, so they must arrive as entity codes.
        flow.events[3].type = "Noted; #5";
        const QString text = QString::fromStdString(flowToMermaid(flow));
        const QStringList lines = text.split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.first(), u"sequenceDiagram"_s);
        // Mermaid turns entity codes (#59;) into placeholders before it parses, so they may stand in any text.
        const QString bodyText = u"((?:[^;#\\n]|#\\w+;)+)"_s;
        const QRegularExpression comment(u"^    %% [^\\n]*$"_s);
        const QRegularExpression participant(u"^    participant (s\\d+) as "_s + bodyText + u'$');
        const QRegularExpression message(u"^    (s\\d+)(->>|-->>)(s\\d+): "_s + bodyText + u'$');
        const QRegularExpression note(u"^    Note over (s\\d+): "_s + bodyText + u'$');
        QSet<QString> declared;
        QStringList streams;
        QStringList bodies;
        int solid = 0;
        for (const QString& line : lines.mid(1)) {
            if (comment.match(line).hasMatch())
                continue;
            const auto asParticipant = participant.match(line);
            const auto asMessage = message.match(line);
            const auto asNote = note.match(line);
            if (asParticipant.hasMatch()) {
                QVERIFY2(bodies.isEmpty(), "participants come before the messages");
                declared.insert(asParticipant.captured(1));
                streams << asParticipant.captured(2);
            } else if (asMessage.hasMatch()) {
                QVERIFY2(declared.contains(asMessage.captured(1)) && declared.contains(asMessage.captured(3)),
                    qPrintable(line));
                solid += asMessage.captured(2) == u"->>"_s;
                bodies << asMessage.captured(4);
            } else if (asNote.hasMatch()) {
                QVERIFY2(declared.contains(asNote.captured(1)), qPrintable(line));
                bodies << asNote.captured(2);
            } else {
                QFAIL(qPrintable(u"a line outside the grammar: "_s + line));
            }
        }
        QCOMPARE(streams, (QStringList { u"order-1"_s, u"payment-1"_s, u"inventory-7"_s, u"shipment-1"_s }));
        QCOMPARE(bodies.size(), 6); // one message or note per event
        // The critical path a -> b -> e (the longest time from a root) is solid, the other edges dotted.
        QCOMPARE(solid, 2);
        QVERIFY(bodies.contains(u"PaymentAuthorized v5 +3.00 s"_s));
        QVERIFY(bodies.contains(u"Noted#59; #35;5 v4 +2.50 ms"_s));
        QVERIFY(bodies.contains(u"ShipmentCreated v6 - cause missing: event lost"_s));
        QVERIFY(bodies.first().startsWith(u"OrderPlaced v1 - start "_s));
    }

    void dotHasANodePerEventAndAnEdgePerCause()
    {
        FlowGraph flow = sampleFlow();
        flow.events[0].type = "Quote\"and\\backslash";
        const QString dot = QString::fromStdString(flowToDot(flow));
        QVERIFY(dot.startsWith(u"digraph flow {\n"_s));
        QVERIFY(dot.endsWith(u"}\n"_s));
        QCOMPARE(dot.count(QRegularExpression(u"^  e\\d+ \\["_s, QRegularExpression::MultilineOption)), 6);
        QCOMPARE(dot.count(QRegularExpression(u"^  e\\d+ -> e\\d+ \\["_s, QRegularExpression::MultilineOption)), 4);
        QVERIFY(dot.contains(u"label=\"Quote\\\"and\\\\backslash\\norder-1 v1\\n"_s));
        // Orphans are drawn dashed, the critical path in its colour.
        QVERIFY(dot.contains(u"e5 [label=\"ShipmentCreated"_s));
        QVERIFY(QRegularExpression(u"e5 \\[[^\\n]*dashed"_s).match(dot).hasMatch());
    }

    void layoutPlacesEveryEventCausesFirst()
    {
        const FlowGraph flow = sampleFlow();
        const FlowLayout layout = layoutFlow(flow);
        QCOMPARE(layout.nodes.size(), flow.events.size());
        QCOMPARE(layout.edges.size(), flow.edges.size());
        QVERIFY(layout.width > 0 && layout.height > 0);
        for (const FlowNodeBox& node : layout.nodes) {
            QVERIFY(node.width > 10 && node.height > 10);
            QVERIFY(node.center.x - node.width / 2 >= -0.5 && node.center.x + node.width / 2 <= layout.width + 0.5);
            QVERIFY(node.center.y - node.height / 2 >= -0.5 && node.center.y + node.height / 2 <= layout.height + 0.5);
        }
        for (std::size_t i = 0; i < flow.edges.size(); ++i) {
            const FlowEdge& edge = flow.edges[i];
            const FlowNodeBox& from = layout.nodes[edge.fromIndex];
            const FlowNodeBox& to = layout.nodes[edge.toIndex];
            QVERIFY2(from.center.x < to.center.x, "left to right: the cause stands left of its effect");
            const FlowEdgePath& path = layout.edges[i];
            QVERIFY(path.bezier.size() >= 4 && (path.bezier.size() - 1) % 3 == 0);
            QVERIFY(path.arrowTip.has_value());
            // The curve leaves the cause's box and its arrow ends at the effect's box.
            QVERIFY(std::abs(path.bezier.front().x - (from.center.x + from.width / 2)) < 4);
            QVERIFY(std::abs(path.arrowTip->x - (to.center.x - to.width / 2)) < 4);
            QVERIFY(path.labelAt.x > from.center.x && path.labelAt.x < to.center.x);
        }
    }

    void emptyFlow()
    {
        const FlowGraph flow = buildFlowGraph("nobody", {});
        const FlowLayout layout = layoutFlow(flow);
        QVERIFY(layout.nodes.empty() && layout.edges.empty());
        QCOMPARE(QString::fromStdString(flowToMermaid(flow)).split(u'\n', Qt::SkipEmptyParts).size(), 2);
        QCOMPARE(QString::fromStdString(exportFlow(flow, FlowFormat::Json)),
            u"{\n  \"correlation\": \"nobody\",\n  \"events\": [],\n  \"edges\": [],\n  \"orphans\": []\n}\n"_s);
        QVERIFY(QByteArray::fromStdString(renderFlowImage(flow, FlowImageFormat::Svg)).contains("<svg"));
    }

    void svgIsXmlWithEveryEvent()
    {
        FlowGraph flow = sampleFlow();
        flow.events[2].type = "Stock<Reserved>&Co";
        const QByteArray svg = QByteArray::fromStdString(exportFlow(flow, FlowFormat::Svg));
        QXmlStreamReader xml(svg);
        QString root;
        QStringList texts;
        while (!xml.atEnd()) {
            if (xml.readNext() == QXmlStreamReader::StartElement) {
                if (root.isEmpty())
                    root = xml.name().toString();
                if (xml.name() == u"text")
                    texts << xml.readElementText(QXmlStreamReader::IncludeChildElements);
            }
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QCOMPARE(root, u"svg"_s);
        for (const Event& event : flow.events)
            QVERIFY2(texts.contains(QString::fromStdString(event.type)), event.type.c_str());
        QVERIFY(texts.contains(u"+3.00 s"_s));
    }

    void pngHasItsSignature()
    {
        const std::string png = exportFlow(sampleFlow(), FlowFormat::Png);
        QVERIFY(png.size() > 1000);
        QCOMPARE(QByteArray::fromStdString(png.substr(0, 8)), QByteArray("\x89PNG\r\n\x1a\n", 8));
    }
};

QTEST_GUILESS_MAIN(TestFlowExports)
#include "tst_flow_exports.moc"
