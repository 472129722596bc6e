#include "ui/flow_graph_view.h"

#include "model/flow_exports.h"
#include "model/flow_job.h"

#include <QFontMetricsF>
#include <QGraphicsPathItem>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QHash>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace eventscope {
namespace {

constexpr qreal kStubLength = 30; // the arrow from an event of another flow

QPointF toScene(const FlowPoint& point)
{
    return { point.x, point.y };
}

QRectF boxOf(const FlowNodeBox& node)
{
    return { node.center.x - node.width / 2, node.center.y - node.height / 2, node.width, node.height };
}

} // namespace

FlowGraphView::FlowGraphView(QWidget* parent)
    : FlowSceneView(parent)
{
    setAlignment(Qt::AlignCenter);
    rebuild();
}

void FlowGraphView::setFlow(std::shared_ptr<const FlowResult> flow)
{
    m_flow = std::move(flow);
    rebuild();
}

void FlowGraphView::rebuild()
{
    if (!m_flow || m_flow->graph.events.empty()) {
        showMessage(tr("No events carry this correlation ID"));
        return;
    }
    if (m_flow->layout.nodes.size() != m_flow->graph.events.size()) {
        showMessage(tr("This flow has not been laid out"));
        return;
    }
    beginDrawing();
    drawNodes();
    drawEdges();
    QRectF extent(0, 0, m_flow->layout.width, m_flow->layout.height);
    for (const FlowNodeBox& node : m_flow->layout.nodes)
        extent |= boxOf(node);
    if (!m_flow->graph.externalCauses.empty())
        extent.setLeft(extent.left() - kStubLength);
    endDrawing(extent);
}

void FlowGraphView::drawNodes()
{
    const FlowGraph& graph = m_flow->graph;
    const FlowLayout& layout = m_flow->layout;
    const Colours c = colours();
    std::vector<bool> critical(graph.events.size(), false), orphan(critical), external(critical);
    for (const size_t i : graph.criticalPath)
        critical[i] = true;
    for (const size_t i : graph.orphans)
        orphan[i] = true;
    for (const size_t i : graph.externalCauses)
        external[i] = true;

    // One text size for every box, fitted to the smallest: Graphviz sized them for three lines of its font.
    qreal lowest = 1e9;
    for (const FlowNodeBox& node : layout.nodes)
        lowest = std::min(lowest, node.height);
    const int pixels = int(std::clamp<qreal>(std::floor((lowest - 4) / 3.4), 6, 12));
    QFont typeFont = font();
    typeFont.setPixelSize(pixels);
    typeFont.setWeight(QFont::DemiBold);
    QFont detailFont = font();
    detailFont.setPixelSize(std::max(6, pixels - 1));
    const QFontMetricsF typeMetrics(typeFont), detailMetrics(detailFont);
    QHash<QString, int> toneOf; // by category, in order of first appearance
    QHash<QString, QString> elidedTypes;
    QPen stubPen(c.arrow, 1.2, Qt::DashLine);

    for (size_t i = 0; i < graph.events.size(); ++i) {
        const Event& event = graph.events[i];
        const QRectF rect = boxOf(layout.nodes[i]);
        if (rect.isEmpty())
            continue;
        const QString category = QString::fromStdString(categoryOf(event.stream));
        const int tone = toneOf.contains(category) ? toneOf.value(category) : int(toneOf.size());
        toneOf.insert(category, tone);
        QGraphicsPathItem* box = addBoxShape(rect, c.category(tone), critical[i], orphan[i]);
        addEventBox(int(i), rect);

        const qreal textWidth = rect.width() - 12; // the tone strip on the left, a margin on the right
        const QString type = QString::fromStdString(event.type);
        auto elided = elidedTypes.constFind(type);
        if (elided == elidedTypes.constEnd())
            elided = elidedTypes.insert(type, typeMetrics.elidedText(type, Qt::ElideRight, textWidth));
        const QString lines[] = { *elided,
            detailMetrics.elidedText(QString::fromStdString(event.stream) + QStringLiteral(" v%1").arg(event.version),
                Qt::ElideMiddle, textWidth),
            timeText(event.time).mid(11) };
        const qreal block = typeMetrics.height() + 2 * detailMetrics.height();
        qreal y = rect.center().y() - block / 2;
        for (int line = 0; line < 3; ++line) {
            const QFontMetricsF& metrics = line == 0 ? typeMetrics : detailMetrics;
            auto* text = new QGraphicsSimpleTextItem(lines[line], box);
            text->setFont(line == 0 ? typeFont : detailFont);
            text->setBrush(line == 0 ? c.text : c.mutedText);
            text->setPos(rect.center().x() + 3 - metrics.horizontalAdvance(lines[line]) / 2, y);
            y += metrics.height();
        }
        if (orphan[i])
            addTag(tr("cause missing"), QPointF(rect.right() - 40, rect.top() - 1), c.orphan, true, 4);
        if (external[i]) {
            const QPointF end(rect.left(), rect.center().y());
            canvas()->addLine(QLineF(end - QPointF(kStubLength, 0), end - QPointF(6, 0)), stubPen)->setZValue(1);
            addArrowHead(end - QPointF(kStubLength, 0), end, stubPen, 1);
        }
    }
}

void FlowGraphView::drawEdges()
{
    const FlowGraph& graph = m_flow->graph;
    const FlowLayout& layout = m_flow->layout;
    const Colours c = colours();
    std::vector<long> criticalNext(graph.events.size(), -1);
    for (size_t k = 0; k + 1 < graph.criticalPath.size(); ++k)
        criticalNext[graph.criticalPath[k]] = long(graph.criticalPath[k + 1]);
    const QPen plain(c.arrow, 1.3);
    const QPen strong(c.critical, 2.5);
    for (size_t k = 0; k < graph.edges.size() && k < layout.edges.size(); ++k) {
        const FlowEdge& edge = graph.edges[k];
        const std::vector<FlowPoint>& points = layout.edges[k].bezier;
        if (points.size() < 2 || edge.fromIndex >= graph.events.size())
            continue;
        QPainterPath path(toScene(points.front()));
        size_t next = 1;
        for (; next + 2 < points.size(); next += 3)
            path.cubicTo(toScene(points[next]), toScene(points[next + 1]), toScene(points[next + 2]));
        for (; next < points.size(); ++next) // not a whole segment: Graphviz never does this, but be safe
            path.lineTo(toScene(points[next]));
        // Graphviz ends the curve short of the box and leaves room for the head up to the tip.
        const std::optional<FlowPoint>& tip = layout.edges[k].arrowTip;
        const QPointF head = tip ? toScene(*tip) : toScene(points.back());
        const QPointF from = tip ? toScene(points.back()) : toScene(points[points.size() - 2]);
        if (tip)
            path.lineTo(head);
        const bool onPath = criticalNext[edge.fromIndex] == long(edge.toIndex);
        const QPen& pen = onPath ? strong : plain;
        const qreal z = onPath ? 1.5 : 1;
        canvas()->addPath(path, pen)->setZValue(z);
        addArrowHead(from, head, pen, z);
        addTag(QString::fromStdString(formatFlowGap(edge.gapMicros)), toScene(layout.edges[k].labelAt),
            onPath ? c.critical : c.mutedText, onPath, z + 2);
    }
}

QString FlowGraphView::toolTipFor(int index) const
{
    if (!m_flow || index < 0 || size_t(index) >= m_flow->graph.events.size())
        return {};
    const FlowGraph& graph = m_flow->graph;
    const auto listed = [index](const std::vector<size_t>& list) {
        return std::binary_search(list.begin(), list.end(), size_t(index));
    };
    return eventToolTip(graph.events[size_t(index)], listed(graph.orphans), listed(graph.externalCauses));
}

} // namespace eventscope
