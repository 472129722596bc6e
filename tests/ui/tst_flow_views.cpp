// The Flow tab's two drawings as a person uses them: lanes per stream or per category in the order things
// happened, time running left to right with no box over another, a gap of hours cut short; the causation graph
// where Graphviz put it; every arrow labelled with its gap; a click on a box reports that event, a selection made
// by the program reports nothing; the wheel zooms around the cursor, a drag pans, "fit" shows everything; an
// empty flow says so; a new flow replaces the old drawing. Bad input (no layout, a broken curve, clocks that
// disagree, events at one instant) neither crashes nor piles boxes up. A big flow is a few scene items, every box
// still answers a click, and zoomed far out its critical path and orphans still show.
// Set EVENTSCOPE_SCREENSHOTS to a folder to keep the rendered pictures.

#include "model/flow_exports.h"
#include "model/flow_job.h"
#include "model/flow_layout.h"
#include "ui/flow_graph_view.h"
#include "ui/flow_lanes_view.h"
#include "ui/flow_layer_item.h"
#include "ui/flow_spatial_index.h"

#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QToolTip>
#include <QWheelEvent>

#include <memory>

using namespace eventscope;
using namespace Qt::Literals::StringLiterals;

namespace {

constexpr qint64 kMs = 1000;
constexpr qint64 kStart = 1'705'327'200'000'000; // 2024-01-15T14:00:00Z

Event made(const char* id, const char* stream, qint64 version, const char* type, qint64 at, const char* cause = "")
{
    Event e;
    e.id = id;
    e.stream = stream;
    e.version = version;
    e.type = type;
    e.time = kStart + at;
    e.correlation = "c-1";
    e.causation = cause;
    return e;
}

// A fan-out, a chain, two streams of one category, an orphan, a cause in another flow and a gap of hours.
std::vector<Event> shopEvents()
{
    return {
        made("e1", "order-1", 1, "OrderPlaced", 0),
        made("e2", "payment-1", 1, "PaymentRequested", 5 * kMs, "e1"),
        made("e3", "order-1", 2, "OrderConfirmed", 6 * kMs, "e1"),
        made("e4", "payment-1", 2, "PaymentCaptured", 1200 * kMs, "e2"),
        made("e5", "order-1", 3, "OrderPaid", 1210 * kMs, "e4"),
        made("e6", "order-2", 1, "BackorderPlaced", 1250 * kMs, "e4"),
        made("e7", "order-1", 4, "OrderNoteAdded", 1300 * kMs, "no-such-event"),
        made("e8", "payment-1", 3, "RefundRequested", 1400 * kMs, "event-of-another-flow"),
        made("e9", "order-2", 2, "BackorderShipped", 3 * 3600 * 1000 * kMs, "e6"),
    };
}

std::shared_ptr<const FlowResult> resultOf(std::vector<Event> events)
{
    FlowOptions options;
    options.causeExistsElsewhere = [](const CauseReference& cause) { return cause.id == "event-of-another-flow"; };
    auto result = std::make_shared<FlowResult>();
    result->graph = buildFlowGraph("c-1", std::move(events), options);
    result->layout = layoutFlow(result->graph);
    return result;
}

// A busier flow for the pictures: requests fanning out to services, each answering in a few milliseconds.
std::vector<Event> busyEvents(int count, int streams)
{
    std::vector<Event> events;
    quint32 seed = 7;
    const auto next = [&seed](quint32 below) {
        seed = seed * 1664525u + 1013904223u;
        return (seed >> 8) % below;
    };
    static const char* const categories[] = { "order", "payment", "shipment", "inventory", "email" };
    static const char* const types[] = { "Requested", "Reserved", "Confirmed", "Captured", "Sent", "Updated" };
    std::vector<std::string> names, ids;
    std::vector<qint64> versions(size_t(streams), 0);
    for (int s = 0; s < streams; ++s)
        names.push_back(std::string(categories[s % 5]) + '-' + std::to_string(100 + s));
    qint64 at = 0;
    for (int i = 0; i < count; ++i) {
        at += qint64(next(40) + 1) * kMs / 4 + (next(25) == 0 ? 2'000 * kMs : 0);
        const size_t stream = i == 0 ? 0 : next(quint32(streams));
        ids.push_back("b" + std::to_string(i));
        const std::string type = std::string(categories[stream % 5]) + types[next(6)];
        const std::string cause = i == 0 ? std::string() : ids[size_t(i - 1 - int(next(quint32(std::min(i, 4)))))];
        Event e = made("", names[stream].c_str(), ++versions[stream], type.c_str(), at, cause.c_str());
        e.id = ids.back();
        e.position = i + 1;
        events.push_back(std::move(e));
    }
    return events;
}

int indexOfId(const FlowGraph& graph, const std::string& id)
{
    for (size_t i = 0; i < graph.events.size(); ++i)
        if (graph.events[i].id == id)
            return int(i);
    return -1;
}

// Every text the drawing shows: boxes' and labels' in full, and a message.
QStringList sceneTexts(const QGraphicsView& view)
{
    QStringList texts;
    for (QGraphicsItem* item : view.scene()->items()) {
        if (auto* text = qgraphicsitem_cast<QGraphicsSimpleTextItem*>(item))
            texts << text->text();
        else if (auto* layer = qgraphicsitem_cast<FlowLayerItem*>(item))
            texts << layer->texts();
    }
    return texts;
}

void wheel(QWidget* viewport, QPointF at, int angle, Qt::KeyboardModifiers modifiers = {})
{
    QWheelEvent event(
        at, viewport->mapToGlobal(at), QPoint(), QPoint(0, angle), Qt::NoButton, modifiers, Qt::NoScrollPhase, false);
    QCoreApplication::sendEvent(viewport, &event);
}

void mouse(QWidget* viewport, QEvent::Type type, QPointF at, Qt::MouseButtons buttons)
{
    const Qt::MouseButton button = type == QEvent::MouseMove ? Qt::NoButton : Qt::LeftButton;
    QMouseEvent event(type, at, viewport->mapToGlobal(at), button, buttons, Qt::NoModifier);
    QCoreApplication::sendEvent(viewport, &event);
}

// The part of the scene the viewport shows.
QRectF visibleScene(const QGraphicsView& view)
{
    return view.mapToScene(view.viewport()->rect()).boundingRect();
}

// A view of either kind, shown at the size of a real tab.
struct Views
{
    FlowLanesView lanes;
    FlowGraphView graph;
    Views()
    {
        for (QWidget* view : { static_cast<QWidget*>(&lanes), static_cast<QWidget*>(&graph) }) {
            view->resize(1200, 700);
            view->show();
        }
    }
    FlowSceneView& pick(const QString& name)
    {
        return name == u"lanes"_s ? static_cast<FlowSceneView&>(lanes) : static_cast<FlowSceneView&>(graph);
    }
    void setFlow(const std::shared_ptr<const FlowResult>& flow)
    {
        lanes.setFlow(flow);
        graph.setFlow(flow);
    }
};

void addViewRows()
{
    QTest::addColumn<QString>("view");
    QTest::addRow("lanes") << u"lanes"_s;
    QTest::addRow("graph") << u"graph"_s;
}

} // namespace

class TestFlowViews : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void lanesFollowTheGrouping_data();
    void lanesFollowTheGrouping();
    void aGapOfHoursIsCutShort();
    void graphBoxesSitWhereGraphvizPutThem();
    void everyArrowSaysItsGap_data() { addViewRows(); }
    void everyArrowSaysItsGap();
    void clickingABoxReportsItsEvent_data() { addViewRows(); }
    void clickingABoxReportsItsEvent();
    void selectingFromTheProgramReportsNothing_data() { addViewRows(); }
    void selectingFromTheProgramReportsNothing();
    void wheelZoomsAroundTheCursorAndDragPans_data() { addViewRows(); }
    void wheelZoomsAroundTheCursorAndDragPans();
    void zoomButtonsAndFitAll_data() { addViewRows(); }
    void zoomButtonsAndFitAll();
    void anEmptyFlowSaysSo_data() { addViewRows(); }
    void anEmptyFlowSaysSo();
    void aNewFlowReplacesTheDrawing_data() { addViewRows(); }
    void aNewFlowReplacesTheDrawing();
    void badInputDoesNotPileBoxesUp();
    void graphWithoutUsableLayout();
    void spatialIndexFindsWhatLookingAtEveryBoxFinds();
    void aBigFlowIsAFewItemsAndEveryBoxAnswers_data() { addViewRows(); }
    void aBigFlowIsAFewItemsAndEveryBoxAnswers();
    void farOutTheCriticalPathAndOrphansStillShow_data() { addViewRows(); }
    void farOutTheCriticalPathAndOrphansStillShow();
    void pictures();
};

void TestFlowViews::lanesFollowTheGrouping_data()
{
    QTest::addColumn<FlowLanesView::Grouping>("grouping");
    QTest::addRow("stream") << FlowLanesView::Grouping::Stream;
    QTest::addRow("category") << FlowLanesView::Grouping::Category;
}

void TestFlowViews::lanesFollowTheGrouping()
{
    QFETCH(FlowLanesView::Grouping, grouping);
    const auto flow = resultOf(shopEvents());
    const auto& events = flow->graph.events;
    FlowLanesView view;
    view.resize(1200, 700);
    view.show();
    view.setGrouping(grouping);
    view.setFlow(flow);

    // The oracle: each event's lane key, lanes in order of their first event.
    const auto keyOf = [&](size_t i) {
        const QString stream = QString::fromStdString(events[i].stream);
        return grouping == FlowLanesView::Grouping::Stream ? stream : stream.section(QLatin1Char('-'), 0, 0);
    };
    QStringList expected;
    for (size_t i = 0; i < events.size(); ++i)
        if (!expected.contains(keyOf(i)))
            expected << keyOf(i);
    QCOMPARE(expected,
        grouping == FlowLanesView::Grouping::Stream ? QStringList({ u"order-1"_s, u"payment-1"_s, u"order-2"_s })
                                                    : QStringList({ u"order"_s, u"payment"_s }));
    QCOMPARE(view.laneCount(), expected.size());
    QCOMPARE(view.laneNames(), expected);
    QCOMPARE(view.eventCount(), int(events.size()));

    std::vector<qreal> laneY(size_t(expected.size()), -1);
    for (size_t i = 0; i < events.size(); ++i) {
        const QRectF box = view.eventRect(int(i));
        QVERIFY2(!box.isNull(), qPrintable(QString::number(i)));
        qreal& y = laneY[size_t(expected.indexOf(keyOf(i)))];
        if (y < 0)
            y = box.center().y();
        QCOMPARE(box.center().y(), y); // one lane, one band
        // Later is further right; at one instant, lined up across lanes and pushed right within one.
        for (size_t j = 0; j < i; ++j) {
            const QRectF earlier = view.eventRect(int(j));
            const QByteArray pair = QByteArray::fromStdString(events[i].id + " against " + events[j].id);
            if (events[i].time > events[j].time)
                QVERIFY2(box.left() > earlier.left(), pair.constData());
            else if (earlier.center().y() == box.center().y())
                QVERIFY2(box.left() > earlier.left(), pair.constData());
        }
        for (size_t j = 0; j < i; ++j)
            QVERIFY2(!box.intersects(view.eventRect(int(j))),
                qPrintable(QString::fromStdString(events[i].id + " over " + events[j].id)));
    }
    for (size_t lane = 1; lane < laneY.size(); ++lane)
        QVERIFY(laneY[lane] >= laneY[lane - 1] + view.eventRect(0).height()); // bands top to bottom, apart

    // Regrouping keeps every event.
    view.setGrouping(grouping == FlowLanesView::Grouping::Stream ? FlowLanesView::Grouping::Category
                                                                 : FlowLanesView::Grouping::Stream);
    QCOMPARE(view.eventCount(), int(events.size()));
    QVERIFY(view.laneCount() != expected.size());
}

void TestFlowViews::aGapOfHoursIsCutShort()
{
    const auto flow = resultOf(shopEvents());
    FlowLanesView view;
    view.resize(1200, 700);
    view.show();
    view.setFlow(flow);
    const int shipped = indexOfId(flow->graph, "e9"), backorder = indexOfId(flow->graph, "e6");
    const int placed = indexOfId(flow->graph, "e1"), captured = indexOfId(flow->graph, "e4");
    // Drawn to scale, three hours would put the last box a thousand screens away; cut short, it is nearby, yet
    // still the last and still apart from the one before it.
    const qreal hours = view.eventRect(shipped).left() - view.eventRect(backorder).left();
    const qreal seconds = view.eventRect(captured).left() - view.eventRect(placed).left();
    QVERIFY2(hours < 600, qPrintable(QString::number(hours)));
    QVERIFY(hours > view.eventRect(shipped).width());
    QVERIFY(seconds > 0);
    QVERIFY(view.sceneRect().width() < 3000);

    view.fitAll();
    const QStringList labels = view.axisLabels();
    QVERIFY2(labels.size() >= 2, qPrintable(labels.join(u" | "_s)));
    QCOMPARE(labels.first(), u"0"_s);
}

void TestFlowViews::graphBoxesSitWhereGraphvizPutThem()
{
    const auto flow = resultOf(shopEvents());
    FlowGraphView view;
    view.resize(1200, 700);
    view.show();
    view.setFlow(flow);
    QCOMPARE(view.eventCount(), int(flow->graph.events.size()));
    for (size_t i = 0; i < flow->layout.nodes.size(); ++i) {
        const FlowNodeBox& node = flow->layout.nodes[i];
        const QRectF box = view.eventRect(int(i));
        QCOMPARE(box.center(), QPointF(node.center.x, node.center.y));
        QCOMPARE(box.size(), QSizeF(node.width, node.height));
        for (size_t j = 0; j < i; ++j)
            QVERIFY(!box.intersects(view.eventRect(int(j))));
    }
    // Left to right: every effect lies right of its cause.
    for (const FlowEdge& edge : flow->graph.edges)
        QVERIFY(view.eventRect(int(edge.toIndex)).left() > view.eventRect(int(edge.fromIndex)).right());
}

void TestFlowViews::everyArrowSaysItsGap()
{
    QFETCH(QString, view);
    Views views;
    FlowSceneView& shown = views.pick(view);
    const auto flow = resultOf(shopEvents());
    views.setFlow(flow);
    const QStringList texts = sceneTexts(shown);
    QCOMPARE(flow->graph.edges.size(), size_t(6));
    for (const FlowEdge& edge : flow->graph.edges)
        QVERIFY2(texts.contains(QString::fromStdString(formatFlowGap(edge.gapMicros))),
            qPrintable(QString::fromStdString(formatFlowGap(edge.gapMicros))));
    QVERIFY(texts.contains(u"+1.20 s"_s)); // e2 → e4, by hand
    QCOMPARE(texts.count(u"cause missing"_s), 1); // the orphan, and only it
    QVERIFY(texts.contains(u"PaymentCaptured"_s));
}

void TestFlowViews::clickingABoxReportsItsEvent()
{
    QFETCH(QString, view);
    Views views;
    FlowSceneView& shown = views.pick(view);
    const auto flow = resultOf(shopEvents());
    views.setFlow(flow);
    shown.fitAll();
    QSignalSpy clicked(&shown, &FlowSceneView::eventClicked);
    for (const char* id : { "e4", "e1", "e9", "e7", "e6" }) {
        const int index = indexOfId(flow->graph, id);
        const QPoint at = shown.mapFromScene(shown.eventRect(index).center());
        QVERIFY(shown.viewport()->rect().contains(at));
        QTest::mouseClick(shown.viewport(), Qt::LeftButton, {}, at);
        QCOMPARE(clicked.size(), 1);
        QCOMPARE(clicked.takeFirst().at(0).toInt(), index);
        QCOMPARE(shown.selectedEvent(), index);
    }
    // Resting the mouse on a box says what the event is, and for the orphan what its cause names.
    for (const char* id : { "e4", "e7" }) {
        const int index = indexOfId(flow->graph, id);
        const QPoint at = shown.mapFromScene(shown.eventRect(index).center());
        QHelpEvent help(QEvent::ToolTip, at, shown.viewport()->mapToGlobal(at));
        QCoreApplication::sendEvent(shown.viewport(), &help);
        QTRY_VERIFY(QToolTip::isVisible());
        const Event& e = flow->graph.events[size_t(index)];
        QVERIFY2(QToolTip::text().contains(QString::fromStdString(e.type)), qPrintable(QToolTip::text()));
        QVERIFY(QToolTip::text().contains(QString::fromStdString(e.stream) + QStringLiteral(" v%1").arg(e.version)));
        QCOMPARE(QToolTip::text().contains(u"no-such-event"_s), e.id == "e7");
    }

    // Between boxes nothing is clicked, and the selection stays.
    const QRectF first = shown.eventRect(indexOfId(flow->graph, "e1"));
    QTest::mouseClick(shown.viewport(), Qt::LeftButton, {}, shown.mapFromScene(first.bottomLeft() + QPointF(-20, 40)));
    QCOMPARE(clicked.size(), 0);
    QCOMPARE(shown.selectedEvent(), indexOfId(flow->graph, "e6"));
}

void TestFlowViews::selectingFromTheProgramReportsNothing()
{
    QFETCH(QString, view);
    Views views;
    FlowSceneView& shown = views.pick(view);
    const auto flow = resultOf(shopEvents());
    views.setFlow(flow);
    QSignalSpy clicked(&shown, &FlowSceneView::eventClicked);
    shown.zoomIn();
    shown.zoomIn();
    shown.zoomIn();
    shown.zoomIn();
    for (const char* id : { "e9", "e1", "e5" }) {
        const int index = indexOfId(flow->graph, id);
        shown.selectEvent(index);
        QCOMPARE(shown.selectedEvent(), index);
        // Scrolled into view, as far as the scroll bars let it be centred.
        QVERIFY2(visibleScene(shown).contains(shown.eventRect(index)), id);
    }
    shown.selectEvent(-1);
    QCOMPARE(shown.selectedEvent(), -1);
    shown.selectEvent(int(flow->graph.events.size())); // no such event
    QCOMPARE(shown.selectedEvent(), -1);
    QCOMPARE(clicked.size(), 0);
}

void TestFlowViews::wheelZoomsAroundTheCursorAndDragPans()
{
    QFETCH(QString, view);
    Views views;
    FlowSceneView& shown = views.pick(view);
    const auto flow = resultOf(shopEvents());
    views.setFlow(flow);
    QSignalSpy clicked(&shown, &FlowSceneView::eventClicked);
    QWidget* viewport = shown.viewport();
    const QPointF at(viewport->width() * 0.3, viewport->height() * 0.4);
    // Larger than the view both ways: where it is smaller, the view centres it and no point can stay put.
    while (shown.mapFromScene(shown.sceneRect()).boundingRect().height() < viewport->height() * 1.5)
        shown.zoomIn();

    for (const Qt::KeyboardModifiers modifiers :
        { Qt::KeyboardModifiers(), Qt::KeyboardModifiers(Qt::ControlModifier) }) {
        const double before = shown.zoomFactor();
        const QPointF under = shown.mapToScene(at.toPoint());
        wheel(viewport, at, 120, modifiers);
        QVERIFY(shown.zoomFactor() > before * 1.1);
        // The point under the cursor stays under it.
        const QPointF now = shown.mapFromScene(under);
        QVERIFY2(std::abs(now.x() - at.x()) <= 2 && std::abs(now.y() - at.y()) <= 2,
            qPrintable(QStringLiteral("%1,%2").arg(now.x()).arg(now.y())));
    }
    const double zoomed = shown.zoomFactor();
    wheel(viewport, at, -120);
    QVERIFY(shown.zoomFactor() < zoomed);
    const double shifted = shown.zoomFactor();
    wheel(viewport, at, -120, Qt::ShiftModifier); // scrolls
    QCOMPARE(shown.zoomFactor(), shifted);

    // A drag from a box pans and does not click it.
    wheel(viewport, at, 480);
    const int box = indexOfId(flow->graph, "e4");
    shown.centerOn(shown.eventRect(box).center());
    const QPointF from = shown.mapFromScene(shown.eventRect(box).center());
    const QPointF sceneBefore = shown.mapToScene(from.toPoint());
    mouse(viewport, QEvent::MouseButtonPress, from, Qt::LeftButton);
    for (int step = 1; step <= 10; ++step)
        mouse(viewport, QEvent::MouseMove, from + QPointF(-12 * step, -4 * step), Qt::LeftButton);
    mouse(viewport, QEvent::MouseButtonRelease, from + QPointF(-120, -40), Qt::NoButton);
    QCOMPARE(clicked.size(), 0);
    const QPointF sceneAfter = shown.mapToScene(from.toPoint());
    // The drawing followed the mouse: what was under the press is now where the mouse let go.
    const QPointF moved = (sceneAfter - sceneBefore) * shown.zoomFactor();
    QVERIFY2(std::abs(moved.x() - 120) <= 2 && std::abs(moved.y() - 40) <= 2,
        qPrintable(QStringLiteral("%1,%2").arg(moved.x()).arg(moved.y())));
}

void TestFlowViews::zoomButtonsAndFitAll()
{
    QFETCH(QString, view);
    Views views;
    FlowSceneView& shown = views.pick(view);
    views.setFlow(resultOf(busyEvents(300, 24)));
    const double start = shown.zoomFactor();
    shown.zoomIn();
    QVERIFY(shown.zoomFactor() > start * 1.1);
    shown.zoomOut();
    QVERIFY(std::abs(shown.zoomFactor() - start) < 1e-6);
    for (int i = 0; i < 6; ++i)
        shown.zoomIn();
    QVERIFY(!visibleScene(shown).contains(shown.sceneRect()));
    shown.fitAll();
    const qreal pixel = 1 / shown.zoomFactor(); // the view places the drawing to the nearest pixel
    const QRectF visible = visibleScene(shown).adjusted(-pixel, -pixel, pixel, pixel);
    QVERIFY2(visible.contains(shown.sceneRect()),
        qPrintable(QStringLiteral("%1 x %2 in %3 x %4")
                       .arg(shown.sceneRect().width())
                       .arg(shown.sceneRect().height())
                       .arg(visible.width())
                       .arg(visible.height())));
    for (int i = 0; i < shown.eventCount(); ++i)
        QVERIFY(visible.contains(shown.eventRect(i)));
}

void TestFlowViews::anEmptyFlowSaysSo()
{
    QFETCH(QString, view);
    Views views;
    FlowSceneView& shown = views.pick(view);
    QSignalSpy clicked(&shown, &FlowSceneView::eventClicked);
    views.setFlow(resultOf(shopEvents()));
    for (int i = 0; i < 6; ++i)
        shown.zoomIn(); // scroll bars up, which the message must not keep
    QTRY_VERIFY(shown.horizontalScrollBar()->isVisible());
    // Nothing loaded yet asks for a correlation; a loaded flow without events says that none was found.
    const std::pair<std::shared_ptr<const FlowResult>, QString> cases[] = {
        { nullptr, u"Enter a correlation ID to see its flow"_s },
        { std::make_shared<const FlowResult>(), u"No events carry this correlation ID"_s },
        { nullptr, u"Enter a correlation ID to see its flow"_s },
    };
    for (const auto& [empty, expected] : cases) {
        views.setFlow(empty);
        QCOMPARE(shown.eventCount(), 0);
        QVERIFY(shown.eventRect(0).isNull());
        QCOMPARE(views.lanes.laneCount(), 0);
        QVERIFY(views.lanes.laneNames().isEmpty());
        QGraphicsSimpleTextItem* message = nullptr;
        for (QGraphicsItem* item : shown.scene()->items())
            if (auto* text = qgraphicsitem_cast<QGraphicsSimpleTextItem*>(item))
                message = text;
        QVERIFY(message);
        QCOMPARE(message->text(), expected);
        QCOMPARE(shown.scene()->items().size(), 1);
        QTRY_VERIFY2(!shown.horizontalScrollBar()->isVisible() && !shown.verticalScrollBar()->isVisible(),
            "nothing to scroll to");
        const QPointF centre = shown.mapFromScene(message->sceneBoundingRect().center());
        const QPointF middle = QRectF(shown.viewport()->rect()).center();
        QVERIFY2((centre - middle).manhattanLength() < 4,
            qPrintable(
                QStringLiteral("%1,%2 vs %3,%4").arg(centre.x()).arg(centre.y()).arg(middle.x()).arg(middle.y())));
        QTest::mouseClick(shown.viewport(), Qt::LeftButton, {}, centre.toPoint());
        shown.selectEvent(0);
        shown.zoomIn();
        shown.fitAll();
        QCOMPARE(shown.selectedEvent(), -1);
    }
    QCOMPARE(clicked.size(), 0);
    QVERIFY(views.lanes.axisLabels().isEmpty());
}

void TestFlowViews::aNewFlowReplacesTheDrawing()
{
    QFETCH(QString, view);
    const auto big = resultOf(busyEvents(120, 10));
    const auto small = resultOf(shopEvents());
    Views fresh;
    fresh.setFlow(small);
    Views reused;
    reused.setFlow(big);
    reused.pick(view).selectEvent(100);
    reused.setFlow(small);
    FlowSceneView& once = fresh.pick(view);
    FlowSceneView& twice = reused.pick(view);
    QCOMPARE(twice.scene()->items().size(), once.scene()->items().size());
    QCOMPARE(twice.eventCount(), int(small->graph.events.size()));
    QCOMPARE(twice.selectedEvent(), -1);
    QCOMPARE(twice.sceneRect(), once.sceneRect());
    QCOMPARE(reused.lanes.laneNames(), fresh.lanes.laneNames());
    QVERIFY(!sceneTexts(twice).contains(u"b100"_s));
}

void TestFlowViews::badInputDoesNotPileBoxesUp()
{
    // Clocks that disagree: the payment says it happened before the order that caused it.
    std::vector<Event> skewed = {
        made("a", "order-1", 1, "OrderPlaced", 10 * kMs),
        made("b", "payment-1", 1, "PaymentRequested", 6 * kMs, "a"),
        made("c", "order-1", 2, "OrderPaid", 12 * kMs, "b"),
    };
    // Four events at one instant in one stream, and one more elsewhere.
    for (int i = 0; i < 4; ++i)
        skewed.push_back(made(("s" + std::to_string(i)).c_str(), "batch-1", i + 1, "Imported", 20 * kMs));
    skewed.push_back(made("t", "audit-1", 1, "Logged", 20 * kMs));
    const auto flow = resultOf(skewed);
    Views views;
    views.setFlow(flow);
    FlowLanesView& lanes = views.lanes;
    QCOMPARE(lanes.eventCount(), int(flow->graph.events.size()));
    const auto& events = flow->graph.events;
    for (int i = 0; i < lanes.eventCount(); ++i) {
        for (int j = 0; j < i; ++j) {
            if (events[size_t(i)].time > events[size_t(j)].time)
                QVERIFY(lanes.eventRect(i).left() > lanes.eventRect(j).left());
            QVERIFY(!lanes.eventRect(i).intersects(lanes.eventRect(j)));
        }
    }
    // Simultaneous events of other lanes line up.
    QCOMPARE(lanes.eventRect(indexOfId(flow->graph, "t")).left(), lanes.eventRect(indexOfId(flow->graph, "s0")).left());
    const QString negative = QString::fromStdString(formatFlowGap(-4 * kMs));
    QVERIFY(negative.startsWith(QLatin1Char('-')));
    QVERIFY(sceneTexts(lanes).contains(negative));
    QVERIFY(sceneTexts(views.graph).contains(negative));

    // A flow of one event.
    views.setFlow(resultOf({ made("only", "order-9", 1, "OrderPlaced", 0) }));
    QCOMPARE(lanes.laneNames(), QStringList { u"order-9"_s });
    QCOMPARE(views.graph.eventCount(), 1);
    QCOMPARE(lanes.axisLabels(), QStringList { u"0"_s });
}

void TestFlowViews::graphWithoutUsableLayout()
{
    FlowGraphView view;
    view.resize(800, 500);
    view.show();
    FlowLanesView lanes;
    lanes.resize(800, 500);
    lanes.show();
    const auto whole = resultOf(shopEvents());

    // The flow job delivers the events before Graphviz has laid them out: the graph says it is coming, the lanes
    // need no layout and show the flow at once.
    auto events = std::make_shared<FlowResult>(*whole);
    events->layout = {};
    events->laidOut = false;
    view.setFlow(events);
    lanes.setFlow(events);
    QCOMPARE(view.eventCount(), 0);
    QCOMPARE(sceneTexts(view), QStringList { u"Laying out the causation graph…"_s });
    QCOMPARE(lanes.eventCount(), int(whole->graph.events.size()));
    QVERIFY(!lanes.eventRect(0).isNull());

    // Laid out, the same flow is drawn in place of the message.
    auto laidOut = std::make_shared<FlowResult>(*whole);
    laidOut->laidOut = true;
    view.setFlow(laidOut);
    QCOMPARE(view.eventCount(), int(whole->graph.events.size()));
    QVERIFY(!sceneTexts(view).contains(u"Laying out the causation graph…"_s));

    // Graphviz failed: the graph says why instead of waiting forever.
    auto failed = std::make_shared<FlowResult>(*events);
    failed->laidOut = true;
    failed->layoutError = u"syntax error in line 1"_s;
    view.setFlow(failed);
    QCOMPARE(view.eventCount(), 0);
    QCOMPARE(sceneTexts(view), QStringList { u"The causation graph could not be laid out: syntax error in line 1"_s });

    // A layout that does not match the events (one box short) is not drawn half.
    auto flow = std::make_shared<FlowResult>(*whole);
    flow->laidOut = true;
    flow->layout.nodes.pop_back();
    view.setFlow(flow);
    QCOMPARE(view.eventCount(), 0);
    QCOMPARE(sceneTexts(view), QStringList { u"This flow has not been laid out"_s });

    // Curves Graphviz would never give: none at all, one point, two points, a segment and a half.
    auto odd = std::make_shared<FlowResult>(*resultOf(shopEvents()));
    QVERIFY(odd->layout.edges.size() >= 4);
    odd->layout.edges[0].bezier.clear();
    odd->layout.edges[1].bezier.resize(1);
    odd->layout.edges[2].bezier.resize(2);
    odd->layout.edges[2].arrowTip.reset();
    odd->layout.edges[3].bezier.resize(std::min<size_t>(odd->layout.edges[3].bezier.size(), 6));
    odd->layout.edges.pop_back(); // and one edge missing
    view.setFlow(odd);
    QCOMPARE(view.eventCount(), int(odd->graph.events.size()));
    QSignalSpy clicked(&view, &FlowSceneView::eventClicked);
    view.fitAll();
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, view.mapFromScene(view.eventRect(2).center()));
    QCOMPARE(clicked.size(), 1);
}

void TestFlowViews::spatialIndexFindsWhatLookingAtEveryBoxFinds()
{
    // Boxes of every shape: overlapping, nested, far apart, zero wide (a vertical line's bounds), and left out.
    quint32 seed = 11;
    const auto next = [&seed](int below) {
        seed = seed * 1664525u + 1013904223u;
        return int((seed >> 8) % quint32(below));
    };
    std::vector<QRectF> rects;
    for (int i = 0; i < 400; ++i) {
        const qreal x = next(5000) - 500, y = next(3000) - 300;
        const qreal w = i % 17 == 0 ? 0 : next(i % 5 == 0 ? 2000 : 200), h = next(i % 7 == 0 ? 900 : 60) + 1;
        rects.push_back(i % 23 == 0 ? QRectF() : QRectF(x, y, w, h));
    }
    rects.push_back(QRectF(-20000, -20000, 10, 10)); // far from the rest
    const auto meet = [](const QRectF& a, const QRectF& b) {
        return a.left() <= b.right() && b.left() <= a.right() && a.top() <= b.bottom() && b.top() <= a.bottom();
    };
    FlowSpatialIndex index;
    index.build(rects);
    for (int query = 0; query < 300; ++query) {
        const QRectF area(next(7000) - 1500, next(5000) - 1000, next(query % 3 ? 400 : 6000), next(300));
        std::vector<int> expected;
        for (size_t i = 0; i < rects.size(); ++i)
            if (!rects[i].isNull() && meet(rects[i], area))
                expected.push_back(int(i));
        QCOMPARE(index.intersecting(area), expected);

        const QPointF point(next(6000) - 1000, next(4000) - 600);
        int topmost = -1;
        for (size_t i = 0; i < rects.size(); ++i)
            if (!rects[i].isNull() && rects[i].contains(point))
                topmost = int(i);
        QCOMPARE(index.topmostAt(point), topmost);
    }
    QCOMPARE(index.intersecting(QRectF(-20005, -20005, 6, 6)), std::vector<int> { int(rects.size()) - 1 });
    QCOMPARE(index.topmostAt(QPointF(1e7, 1e7)), -1);
    // Nothing in it, and a list of null rectangles, find nothing.
    FlowSpatialIndex empty;
    QVERIFY(empty.intersecting(QRectF(0, 0, 100, 100)).empty());
    QCOMPARE(empty.topmostAt(QPointF(0, 0)), -1);
    empty.build({ QRectF(), QRectF() });
    QVERIFY(empty.intersecting(QRectF(-1e6, -1e6, 2e6, 2e6)).empty());
}

void TestFlowViews::aBigFlowIsAFewItemsAndEveryBoxAnswers()
{
    QFETCH(QString, view);
    Views views;
    FlowSceneView& shown = views.pick(view);
    const auto flow = resultOf(busyEvents(2000, 60));
    views.setFlow(flow);
    const int count = int(flow->graph.events.size());
    QCOMPARE(shown.eventCount(), count);
    // A scene item per event made a big flow take seconds to show; a few layers paint what is in view instead.
    QVERIFY2(shown.scene()->items().size() <= 5, qPrintable(QString::number(shown.scene()->items().size())));
    // Every arrow's gap and every event's type are still there to be read.
    const QStringList texts = sceneTexts(shown);
    for (int i = 0; i < count; i += 37) {
        QVERIFY(texts.contains(QString::fromStdString(flow->graph.events[size_t(i)].type)));
        QVERIFY(texts.contains(
            QString::fromStdString(formatFlowGap(flow->graph.edges[size_t(i) % flow->graph.edges.size()].gapMicros))));
    }

    QSignalSpy clicked(&shown, &FlowSceneView::eventClicked);
    for (int i = 0; i < count; i += 97) {
        const QRectF box = shown.eventRect(i);
        QVERIFY(!box.isNull());
        shown.selectEvent(i);
        // The oracle: the box under the point is the last one drawn there, looking at every box.
        const QPoint at = shown.mapFromScene(box.center() + QPointF(box.width() / 4, 0));
        const QPointF scenePoint = shown.mapToScene(at);
        int expected = -1;
        for (int j = 0; j < count; ++j)
            if (shown.eventRect(j).contains(scenePoint))
                expected = j;
        QCOMPARE(expected, i);
        QTest::mouseClick(shown.viewport(), Qt::LeftButton, {}, at);
        QCOMPARE(clicked.size(), 1);
        QCOMPARE(clicked.takeFirst().at(0).toInt(), i);
    }
    const int last = count - 1;
    shown.selectEvent(last);
    const QPoint at = shown.mapFromScene(shown.eventRect(last).center());
    QHelpEvent help(QEvent::ToolTip, at, shown.viewport()->mapToGlobal(at));
    QCoreApplication::sendEvent(shown.viewport(), &help);
    QTRY_VERIFY(QToolTip::isVisible());
    QVERIFY(QToolTip::text().contains(QString::fromStdString(flow->graph.events[size_t(last)].id)));
}

void TestFlowViews::farOutTheCriticalPathAndOrphansStillShow()
{
    QFETCH(QString, view);
    std::vector<Event> events = busyEvents(1500, 40);
    events[700].causation = "no-such-event"; // an orphan in the middle
    const auto flow = resultOf(std::move(events));
    QCOMPARE(flow->graph.orphans.size(), size_t(1));
    QVERIFY(flow->graph.criticalPath.size() > 20);
    Views views;
    FlowSceneView& shown = views.pick(view);
    views.setFlow(flow);
    shown.fitAll();
    QVERIFY2(shown.zoomFactor() < 0.1, qPrintable(QString::number(shown.zoomFactor())));
    QCoreApplication::processEvents();
    const QImage image = shown.viewport()->grab().toImage().convertToFormat(QImage::Format_RGB32);
    // Boxes a pixel high and lines a fraction of one: drawn to scale, both marks would fade into the background.
    const bool dark = shown.palette().color(QPalette::Base).lightness() < 128;
    const QColor critical = dark ? QColor(0xff, 0x92, 0x2b) : QColor(0xe8, 0x59, 0x0c);
    const QColor orphan = dark ? QColor(0xff, 0x6b, 0x6b) : QColor(0xe0, 0x31, 0x31);
    const auto near = [](QRgb pixel, const QColor& colour) {
        return std::abs(qRed(pixel) - colour.red()) + std::abs(qGreen(pixel) - colour.green())
            + std::abs(qBlue(pixel) - colour.blue())
            < 90;
    };
    int criticalPixels = 0, orphanPixels = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) {
            criticalPixels += near(image.pixel(x, y), critical);
            orphanPixels += near(image.pixel(x, y), orphan);
        }
    QVERIFY2(criticalPixels > image.width() / 4, qPrintable(QString::number(criticalPixels)));
    QVERIFY2(orphanPixels >= 1, qPrintable(QString::number(orphanPixels)));
}

void TestFlowViews::pictures()
{
    QTemporaryDir temporary;
    const QString folder = qEnvironmentVariableIsSet("EVENTSCOPE_SCREENSHOTS")
        ? qEnvironmentVariable("EVENTSCOPE_SCREENSHOTS")
        : temporary.path();
    const auto save = [&](QWidget& widget, const QString& name) {
        QCoreApplication::processEvents(); // the scroll bars follow the drawing's size a moment later
        const QImage image = widget.grab().toImage();
        QCOMPARE(image.size(), QSize(1200, 700));
        QVERIFY(image.save(folder + QLatin1Char('/') + name));
    };
    Views views;
    const auto shop = resultOf(shopEvents());
    views.setFlow(shop);
    views.lanes.selectEvent(indexOfId(shop->graph, "e4"));
    save(views.lanes, u"flow-lanes-streams.png"_s);
    views.lanes.setGrouping(FlowLanesView::Grouping::Category);
    save(views.lanes, u"flow-lanes-categories.png"_s);
    save(views.graph, u"flow-graph.png"_s);
    views.setFlow(resultOf(busyEvents(60, 8)));
    views.lanes.setGrouping(FlowLanesView::Grouping::Stream);
    save(views.lanes, u"flow-lanes-busy.png"_s);
    save(views.graph, u"flow-graph-busy.png"_s);
    views.setFlow(resultOf(busyEvents(300, 24)));
    save(views.lanes, u"flow-lanes-300.png"_s);
    save(views.graph, u"flow-graph-300.png"_s);
    views.lanes.fitAll();
    views.graph.fitAll();
    save(views.lanes, u"flow-lanes-300-fitted.png"_s);
    save(views.graph, u"flow-graph-300-fitted.png"_s);
    views.setFlow(nullptr);
    save(views.lanes, u"flow-lanes-empty.png"_s);
}

QTEST_MAIN(TestFlowViews)
#include "tst_flow_views.moc"
