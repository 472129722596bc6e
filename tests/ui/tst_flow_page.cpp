// The Flow tab driven as a person would (DESIGN §6, §9): a correlation typed in and shown as swimlanes, graph
// and table; clicking an event in any of them selects it everywhere and reports it for the inspector; the
// broken flows of the store found and opened at their orphan; exports written whole; and a connection's own
// conventions, kept for it.

#include "model/broken_flows_model.h"
#include "model/connection_conventions.h"
#include "model/flow_job.h"
#include "model/flow_table_model.h"
#include "storage/event_store.h"
#include "tests/ui/widget_test_support.h"
#include "ui/broken_flows_panel.h"
#include "ui/flow_graph_view.h"
#include "ui/flow_lanes_view.h"
#include "ui/flow_page.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>

#include <nlohmann/json.hpp>

using namespace eventscope;
using namespace Qt::Literals::StringLiterals;

namespace {

constexpr Micros start = 1'705'327'200'000'000; // 2024-01-15T14:00:00Z
constexpr Micros second = 1'000'000;

std::string idNumber(int n)
{
    char text[40];
    std::snprintf(text, sizeof text, "00000000-0000-4000-8000-%012d", n);
    return text;
}

void add(
    EventStore& store, const std::string& stream, int id, const std::string& type, Micros time, nlohmann::json metadata)
{
    NewEvent event;
    event.id = idNumber(id);
    event.type = type;
    event.time = time;
    event.metadata = metadata.dump();
    store.append(stream, { event });
}

nlohmann::json causedBy(const std::string& correlation, const std::string& causation)
{
    return { { "correlationId", correlation }, { "causationId", causation } };
}

// Where a person clicks to hit an event's box in a drawing.
void clickEvent(FlowSceneView* view, int index)
{
    const QRectF box = view->eventRect(index);
    QVERIFY2(!box.isNull(), "the event is drawn");
    view->centerOn(box.center());
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->mapFromScene(box.center()));
}

int indexOf(const FlowPage& page, int id)
{
    const auto& events = page.result()->graph.events;
    for (std::size_t i = 0; i < events.size(); ++i)
        if (events[i].id == idNumber(id))
            return static_cast<int>(i);
    return -1;
}

} // namespace

class TestFlowPage : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_uri;
    QString m_key = u"stores/flow-page-test"_s;

    void showAndWait(FlowPage& page, const QString& correlation)
    {
        QSignalSpy shown(&page, &FlowPage::flowShown);
        QSignalSpy laidOut(&page, &FlowPage::graphLaidOut);
        page.correlationEdit()->setText(correlation);
        QTest::keyClick(page.correlationEdit(), Qt::Key_Return);
        QTRY_COMPARE(shown.count(), 1);
        // The events show first; the Graphviz layout follows.
        QTRY_COMPARE(laidOut.count(), 1);
        QVERIFY(page.result()->laidOut);
        QCOMPARE(page.result()->layout.nodes.size(), page.result()->graph.events.size());
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_uri = m_dir.filePath(u"flows.db"_s);
        auto store = openStore(m_uri.toStdString(), true);
        // c1: an order whose payment and stock reservation fan out from it, and the payment's outcome.
        add(*store, "order-1", 1, "OrderPlaced", start, causedBy("c1", "c1"));
        add(*store, "inventory-1", 2, "StockReserved", start + 1 * second, causedBy("c1", idNumber(1)));
        add(*store, "payment-1", 3, "PaymentRequested", start + 2 * second, causedBy("c1", idNumber(1)));
        add(*store, "order-1", 4, "OrderPaid", start + 7 * second, causedBy("c1", idNumber(3)));
        // c2: somebody else's order at the same time.
        add(*store, "order-2", 5, "OrderPlaced", start + 3 * second, causedBy("c2", "c2"));
        // c3: a shipment whose cause was never stored.
        add(*store, "shipment-9", 6, "ShipmentCreated", start + 4 * second, causedBy("c3", "c3"));
        add(*store, "shipment-9", 7, "ShipmentDispatched", start + 9 * second, causedBy("c3", idNumber(99)));
        // t1: correlated by keys only a configured connection reads.
        add(*store, "trace-1", 8, "Started", start + 5 * second, { { "traceId", "t1" } });
        add(*store, "trace-2", 9, "Continued", start + 6 * second,
            { { "traceId", "t1" }, { "parentId", idNumber(8) } });
    }

    void init() { saveConventions(m_key, Conventions::defaults()); }

    void showsAFlowAndAClickSelectsTheEventEverywhere()
    {
        FlowPage page;
        page.resize(1400, 800);
        page.setStore(m_uri, m_key);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QAbstractItemModelTester tester(
            page.tableView()->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy selected(&page, &FlowPage::eventSelected);

        showAndWait(page, u"c1"_s);
        QVERIFY(page.result());
        QCOMPARE(page.result()->graph.events.size(), std::size_t(4));
        QVERIFY2(page.summaryText().startsWith(u"4 events · 3 streams · 0 orphans"_s), qPrintable(page.summaryText()));
        QVERIFY2(
            page.summaryText().contains(u"critical path: 3 events over +7.00 s"_s), qPrintable(page.summaryText()));
        QCOMPARE(page.lanesView()->laneNames(), (QStringList { u"order-1"_s, u"inventory-1"_s, u"payment-1"_s }));
        QCOMPARE(page.tableView()->model()->rowCount(), 4);
        QVERIFY(selected.isEmpty());

        // A click on the payment in the swimlanes.
        const int payment = indexOf(page, 3);
        clickEvent(page.lanesView(), payment);
        QTRY_COMPARE(selected.count(), 1);
        QCOMPARE(selected.at(0).at(0).value<Event>().id, idNumber(3));
        QCOMPARE(page.selectedEvent(), payment);
        QCOMPARE(page.graphView()->selectedEvent(), payment);
        QCOMPARE(page.tableView()->currentIndex().data(FlowTableModel::EventIdRole).toString(),
            QString::fromStdString(idNumber(3)));

        // The same in the causation graph, on another event.
        page.views()->setCurrentWidget(page.graphView());
        const int paid = indexOf(page, 4);
        clickEvent(page.graphView(), paid);
        QTRY_COMPARE(selected.count(), 2);
        QCOMPARE(selected.at(1).at(0).value<Event>().type, std::string("OrderPaid"));
        QCOMPARE(page.lanesView()->selectedEvent(), paid);

        // And in the table: the first row is the first event in time.
        page.views()->setCurrentWidget(page.tableView());
        page.tableView()->setFocus();
        const QModelIndex first = page.tableView()->model()->index(0, 0);
        QTest::mouseClick(
            page.tableView()->viewport(), Qt::LeftButton, {}, page.tableView()->visualRect(first).center());
        QTRY_COMPARE(selected.count(), 3);
        QCOMPARE(selected.at(2).at(0).value<Event>().id, idNumber(1));
        QCOMPARE(page.graphView()->selectedEvent(), indexOf(page, 1));

        // Lanes per category: order, inventory, payment, in the order their first events happened.
        page.groupingBox()->setCurrentIndex(1);
        QCOMPARE(page.lanesView()->laneNames(), (QStringList { u"order"_s, u"inventory"_s, u"payment"_s }));
    }

    void unknownCorrelationIsAnEmptyFlow()
    {
        FlowPage page;
        page.setStore(m_uri, m_key);
        showAndWait(page, u"nobody"_s);
        QVERIFY(page.result());
        QVERIFY(page.result()->graph.events.empty());
        QCOMPARE(page.summaryText(), u"No event carries the correlation ID nobody."_s);
        QCOMPARE(page.tableView()->model()->rowCount(), 0);
        QCOMPARE(page.lanesView()->laneCount(), 0);
        QSignalSpy exported(&page, &FlowPage::exportFinished);
        QTemporaryDir dir;
        page.exportTo(dir.filePath(u"empty.json"_s), FlowFormat::Json);
        QTRY_COMPARE(exported.count(), 1);
        QVERIFY(exported.at(0).at(1).toString().isEmpty());
    }

    void brokenFlowsOpenAtTheirOrphan()
    {
        FlowPage page;
        page.resize(1400, 800);
        page.setStore(m_uri, m_key);
        BrokenFlowsPanel* panel = page.brokenFlows();
        QAbstractItemModelTester tester(panel->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy searched(panel, &BrokenFlowsPanel::searchFinished);
        QTest::mouseClick(panel->searchButton(), Qt::LeftButton);
        QTRY_COMPARE(searched.count(), 1);
        QCOMPARE(panel->model()->rowCount(), 1);
        QCOMPARE(panel->model()->correlationAt(0), u"c3"_s);
        QCOMPARE(panel->statusText(), u"1 broken flow."_s);

        // A range that ends before the orphan finds nothing.
        panel->setRange(start, start + 8 * second);
        QTest::mouseClick(panel->searchButton(), Qt::LeftButton);
        QTRY_COMPARE(searched.count(), 2);
        QCOMPARE(panel->model()->rowCount(), 0);
        panel->setRange(start + 9 * second, start + 9 * second);
        QTest::mouseClick(panel->searchButton(), Qt::LeftButton);
        QTRY_COMPARE(searched.count(), 3);
        QCOMPARE(panel->model()->rowCount(), 1);

        QSignalSpy shown(&page, &FlowPage::flowShown);
        QSignalSpy selected(&page, &FlowPage::eventSelected);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QTest::mouseClick(panel->view()->viewport(), Qt::LeftButton, {},
            panel->view()->visualRect(panel->model()->index(0, 0)).center());
        QTRY_VERIFY(shown.count() >= 1);
        QCOMPARE(page.correlationEdit()->text(), u"c3"_s);
        QCOMPARE(page.result()->graph.orphans.size(), std::size_t(1));
        QTRY_VERIFY(!selected.isEmpty());
        QCOMPARE(selected.last().at(0).value<Event>().id, idNumber(7));
        QVERIFY(page.summaryText().contains(u"1 orphan"_s));
    }

    void exports_data()
    {
        QTest::addColumn<int>("format");
        QTest::addColumn<QByteArray>("begins");
        QTest::addRow("json") << int(FlowFormat::Json) << QByteArray("{");
        QTest::addRow("mermaid") << int(FlowFormat::Mermaid) << QByteArray("sequenceDiagram\n");
        QTest::addRow("dot") << int(FlowFormat::Dot) << QByteArray("digraph flow {");
        QTest::addRow("svg") << int(FlowFormat::Svg) << QByteArray("<?xml");
        QTest::addRow("png") << int(FlowFormat::Png) << QByteArray("\x89PNG");
    }
    void exports()
    {
        QFETCH(int, format);
        QFETCH(QByteArray, begins);
        FlowPage page;
        page.setStore(m_uri, m_key);
        showAndWait(page, u"c1"_s);
        QTemporaryDir dir;
        const QString path = dir.filePath(u"flow"_s + QString::fromLatin1(flowFormatSuffix(FlowFormat(format))));
        QSignalSpy exported(&page, &FlowPage::exportFinished);
        page.exportTo(path, FlowFormat(format));
        QTRY_COMPARE(exported.count(), 1);
        QCOMPARE(exported.at(0).at(1).toString(), QString());
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        QVERIFY(bytes.startsWith(begins));
        if (FlowFormat(format) == FlowFormat::Json) {
            const QJsonObject json = QJsonDocument::fromJson(bytes).object();
            QCOMPARE(json.value(u"correlation"_s).toString(), u"c1"_s);
            QCOMPARE(json.value(u"events"_s).toArray().size(), 4);
            QCOMPARE(json.value(u"edges"_s).toArray().size(), 3);
        }
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 1); // no temporary file left beside it

        // A folder that does not exist: a sentence, and no file.
        const QString nowhere = dir.filePath(u"missing/flow.json"_s);
        page.exportTo(nowhere, FlowFormat(format));
        QTRY_COMPARE(exported.count(), 2);
        QVERIFY(exported.at(1).at(1).toString().startsWith(u"Cannot write "_s));
        QVERIFY(!QFile::exists(nowhere));
    }

    void connectionConventionsAreKept()
    {
        {
            FlowPage page;
            page.setStore(m_uri, m_key);
            showAndWait(page, u"t1"_s);
            QVERIFY(page.result()->graph.events.empty()); // the defaults know nothing of traceId
            page.setConventions(Conventions::fromJson("{\"correlation\":[\"traceId\"],\"causation\":[\"parentId\"]}"));
        }
        FlowPage reopened;
        reopened.setStore(m_uri, m_key);
        QCOMPARE(reopened.conventions().correlation, std::vector<std::string> { "traceId" });
        showAndWait(reopened, u"t1"_s);
        QCOMPARE(reopened.result()->graph.events.size(), std::size_t(2));
        QCOMPARE(reopened.result()->graph.edges.size(), std::size_t(1));
        // Another connection keeps the defaults.
        FlowPage other;
        other.setStore(m_uri, u"stores/another"_s);
        QVERIFY(other.conventions() == Conventions::defaults());
    }
};

EVENTSCOPE_TEST_MAIN_WITHOUT_KEYCHAIN(TestFlowPage, "tst_flow_page")
#include "tst_flow_page.moc"
