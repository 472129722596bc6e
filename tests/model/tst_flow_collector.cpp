// Collecting a correlation's events from a real store (DESIGN §6) on both backends: through the correlation
// index with the store's conventions, through a metadata search with a connection's own, with causes looked up
// in the store when they lie outside the flow, and with its limits (cancel, size, an empty ID).

#include "model/flow_collector.h"
#include "storage/error.h"
#include "storage/event_store.h"
#include "tests/test_stores.h"

#include <QTest>

using namespace eventscope;
using namespace Qt::Literals::StringLiterals;

namespace {

NewEvent newEvent(const std::string& id, const std::string& type, const nlohmann::json& metadata)
{
    NewEvent event;
    event.id = id;
    event.type = type;
    event.metadata = metadata.dump();
    return event;
}

std::string uuidNumber(int n)
{
    char text[40];
    std::snprintf(text, sizeof text, "00000000-0000-4000-8000-%012d", n);
    return text;
}

QStringList idsOf(const FlowGraph& flow, const std::vector<std::size_t>& indexes)
{
    QStringList ids;
    for (const std::size_t i : indexes)
        ids << QString::fromStdString(flow.events[i].id);
    return ids;
}

QStringList edgesOf(const FlowGraph& flow)
{
    QStringList edges;
    for (const FlowEdge& edge : flow.edges)
        edges << QString::fromStdString(
            flow.events[edge.fromIndex].id.substr(24) + ">" + flow.events[edge.toIndex].id.substr(24));
    return edges;
}

} // namespace

class TestFlowCollector : public QObject
{
    Q_OBJECT

private slots:
    void byStoreConventions_data() { test::addBackendRows(); }
    void byStoreConventions()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        auto store = openStore(location.uri(), true);
        const auto meta = [](const std::string& correlation, const std::string& causation) {
            nlohmann::json m { { "correlationId", correlation } };
            if (!causation.empty())
                m["causationId"] = causation;
            return m;
        };
        // Another correlation's event, which one of ours names as its cause.
        store->append("other-1", { newEvent(uuidNumber(90), "Elsewhere", meta("other", {})) });
        store->append("order-1", { newEvent(uuidNumber(1), "OrderPlaced", meta("c1", "c1")) });
        store->append("payment-1", { newEvent(uuidNumber(2), "PaymentRequested", meta("c1", uuidNumber(1))) });
        store->append("order-1", { newEvent(uuidNumber(3), "Audited", meta("c1", uuidNumber(90))) });
        store->append("order-1", { newEvent(uuidNumber(4), "Lost", meta("c1", uuidNumber(77))) });
        store->append("$system", { newEvent(uuidNumber(5), "Emitted", meta("c1", uuidNumber(2))) });
        std::vector<FlowScanProgress> reports;
        FlowCollectOptions options;
        options.progress = [&](const FlowScanProgress& p) { reports.push_back(p); };
        const FlowGraph flow = collectFlow(*store, "c1", options);
        QCOMPARE(flow.events.size(), std::size_t(5)); // system streams belong to a flow too
        QCOMPARE(edgesOf(flow), (QStringList { u"000000000001>000000000002"_s, u"000000000002>000000000005"_s }));
        QCOMPARE(idsOf(flow, flow.orphans), QStringList { QString::fromStdString(uuidNumber(4)) });
        QCOMPARE(idsOf(flow, flow.externalCauses), QStringList { QString::fromStdString(uuidNumber(3)) });
        QCOMPARE(idsOf(flow, flow.roots),
            (QStringList { QString::fromStdString(uuidNumber(1)), QString::fromStdString(uuidNumber(3)) }));
        QVERIFY(!reports.empty());
        QCOMPARE(reports.back().eventsFound, std::size_t(5));
        QCOMPARE(reports.back().position, reports.back().lastPosition);

        const FlowGraph unknown = collectFlow(*store, "nobody");
        QVERIFY(unknown.events.empty() && unknown.edges.empty() && unknown.orphans.empty());
        QCOMPARE(unknown.correlation, std::string("nobody"));
    }

    void byConnectionConventions_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::addColumn<QString>("correlation");
        for (const QString& backend : { u"sqlite"_s, u"postgresql"_s }) {
            QTest::addRow("%s plain", qPrintable(backend)) << backend << u"trace-7"_s;
            // Escaped inside JSON text, so that no byte search can find it: read by a full scan instead.
            QTest::addRow("%s quoted", qPrintable(backend)) << backend << u"say \"hi\"\\now"_s;
            QTest::addRow("%s unicode", qPrintable(backend)) << backend << u"trace-é-7"_s;
        }
    }
    void byConnectionConventions()
    {
        QFETCH(QString, backend);
        QFETCH(QString, correlation);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        const std::string id = correlation.toStdString();
        auto store = openStore(location.uri(), true);
        store->append("a-1", { newEvent(uuidNumber(1), "Start", { { "traceId", id } }) });
        store->append("b-1", { newEvent(uuidNumber(2), "Next", { { "traceId", id }, { "parentId", uuidNumber(1) } }) });
        // The same ID under a key the connection does not read, and a near miss.
        store->append("c-1", { newEvent(uuidNumber(3), "Decoy", { { "note", id } }) });
        store->append("d-1", { newEvent(uuidNumber(4), "Near", { { "traceId", id + "x" } }) });
        store->append("e-1", { newEvent(uuidNumber(5), "Default", { { "correlationId", id } }) });

        FlowCollectOptions options;
        options.conventions = Conventions::fromJson(R"({"correlation":["traceId"],"causation":["parentId"]})");
        const FlowGraph flow = collectFlow(*store, id, options);
        QCOMPARE(flow.events.size(), std::size_t(2));
        QCOMPARE(edgesOf(flow), QStringList { u"000000000001>000000000002"_s });
        QVERIFY(flow.orphans.empty());
        // The defaults read the store's own column, which knows nothing of traceId.
        const FlowGraph byDefaults = collectFlow(*store, id);
        QCOMPARE(byDefaults.events.size(), std::size_t(1));
        QCOMPARE(byDefaults.events[0].type, std::string("Default"));
    }

    void storeHasCause_data() { test::addBackendRows(); }
    void storeHasCause()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        auto store = openStore(location.uri(), true);
        store->append("order-1",
            { newEvent(uuidNumber(1), "A", nlohmann::json::object()),
                newEvent(uuidNumber(2), "B", nlohmann::json::object()) });
        const auto id = [](const std::string& value) {
            return CauseReference { CauseReference::Kind::Id, value, 0, {} };
        };
        const auto at = [](std::int64_t position) {
            return CauseReference { CauseReference::Kind::GlobalPosition, {}, position, {} };
        };
        const auto inStream = [](const std::string& stream, std::int64_t version) {
            return CauseReference { CauseReference::Kind::StreamPosition, {}, version, stream };
        };
        QVERIFY(eventscope::storeHasCause(*store, id(uuidNumber(2))));
        QVERIFY(!eventscope::storeHasCause(*store, id(uuidNumber(3))));
        const std::int64_t head = store->headPosition();
        QVERIFY(eventscope::storeHasCause(*store, at(head)));
        QVERIFY(!eventscope::storeHasCause(*store, at(head + 1)));
        QVERIFY(eventscope::storeHasCause(*store, inStream("order-1", 2)));
        QVERIFY(!eventscope::storeHasCause(*store, inStream("order-1", 3)));
        QVERIFY(!eventscope::storeHasCause(*store, inStream("order-2", 1)));
    }

    void limits_data() { test::addBackendRows(); }
    void limits()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        auto store = openStore(location.uri(), true);
        std::vector<NewEvent> events;
        for (int i = 1; i <= 2500; ++i)
            events.push_back(newEvent(uuidNumber(i), "Tick", { { "correlationId", "big" } }));
        store->append("tick-1", std::move(events));

        FlowCollectOptions small;
        small.maxEvents = 2000;
        try {
            collectFlow(*store, "big", small);
            QFAIL("a flow past the limit was collected");
        } catch (const Error& error) {
            QCOMPARE(error.kind, ErrorKind::BadInput);
            QVERIFY2(std::string(error.what()).find("more than 2000 events") != std::string::npos, error.what());
        }

        std::atomic<bool> cancel = false;
        FlowCollectOptions cancelling;
        cancelling.cancel = &cancel;
        int pages = 0;
        cancelling.progress = [&](const FlowScanProgress&) { cancel = ++pages == 1; };
        try {
            collectFlow(*store, "big", cancelling);
            QFAIL("a cancelled collection finished");
        } catch (const Error& error) {
            QCOMPARE(error.kind, ErrorKind::Cancelled);
        }
        QCOMPARE(pages, 1);

        try {
            collectFlow(*store, "");
            QFAIL("an empty correlation was collected");
        } catch (const Error& error) {
            QCOMPARE(error.kind, ErrorKind::BadInput);
        }
        QCOMPARE(collectFlow(*store, "big").events.size(), std::size_t(2500));
    }
};

QTEST_GUILESS_MAIN(TestFlowCollector)
#include "tst_flow_collector.moc"
