#include "ui/flow_graph_view.h"

#include "model/flow_exports.h"
#include "model/flow_job.h"

#include <QHash>

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>

using namespace Qt::Literals::StringLiterals;

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

// "14:00:01.200000", UTC: what timeText() ends with, without a calendar for each of thousands of boxes.
QString timeOfDay(qint64 micros)
{
    constexpr qint64 day = 86'400'000'000;
    const qint64 of = ((micros % day) + day) % day;
    const auto two = [](qint64 value) { return QString::number(value).rightJustified(2, QLatin1Char('0')); };
    return two(of / 3'600'000'000) + QLatin1Char(':') + two(of / 60'000'000 % 60) + QLatin1Char(':')
        + two(of / 1'000'000 % 60) + QLatin1Char('.')
        + QString::number(of % 1'000'000).rightJustified(6, QLatin1Char('0'));
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
    if (!m_flow) {
        showMessage(tr("Enter a correlation ID to see its flow"));
        return;
    }
    if (m_flow->graph.events.empty()) {
        showMessage(tr("No events carry this correlation ID"));
        return;
    }
    if (m_flow->layout.nodes.size() != m_flow->graph.events.size()) {
        // The flow job delivers the events first and Graphviz's layout a moment later.
        if (!m_flow->layoutError.isEmpty())
            showMessage(tr("The causation graph could not be laid out: %1").arg(m_flow->layoutError));
        else if (m_flow->laidOut)
            showMessage(tr("This flow has not been laid out"));
        else
            showMessage(tr("Laying out the causation graph…"));
        return;
    }
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
    beginDrawing(FlowDrawing::TextLayout::Centred, typeFont, detailFont);

    QHash<QString, int> toneOf; // by category, in order of first appearance
    std::unordered_map<std::string, QString> types; // flows repeat a few types thousands of times: one copy each
    const QString missing = tr("cause missing");
    for (size_t i = 0; i < graph.events.size(); ++i) {
        const Event& event = graph.events[i];
        const QRectF rect = boxOf(layout.nodes[i]);
        if (rect.isEmpty())
            continue;
        const QString category = QString::fromStdString(categoryOf(event.stream));
        const int ordinal = toneOf.contains(category) ? toneOf.value(category) : int(toneOf.size());
        toneOf.insert(category, ordinal);
        auto type = types.find(event.type);
        if (type == types.end())
            type = types.emplace(event.type, QString::fromStdString(event.type)).first;
        const FlowDrawing::Mark mark = orphan[i] ? FlowDrawing::Mark::Orphan
            : critical[i]                        ? FlowDrawing::Mark::Critical
                                                 : FlowDrawing::Mark::None;
        addEventBox(int(i), rect, ordinal, mark, type->second,
            QString::fromStdString(event.stream) + u" v"_s + QString::number(event.version), timeOfDay(event.time));
        if (orphan[i])
            drawing().addTag(missing, QPointF(rect.right() - 40, rect.top() - 1), FlowDrawing::TagKind::Warning);
        if (external[i])
            addExternalStub(QPointF(rect.left(), rect.center().y()), kStubLength);
    }
}

void FlowGraphView::drawEdges()
{
    const FlowGraph& graph = m_flow->graph;
    const FlowLayout& layout = m_flow->layout;
    std::vector<long> criticalNext(graph.events.size(), -1);
    for (size_t k = 0; k + 1 < graph.criticalPath.size(); ++k)
        criticalNext[graph.criticalPath[k]] = long(graph.criticalPath[k + 1]);
    std::vector<QPointF> curve;
    for (size_t k = 0; k < graph.edges.size() && k < layout.edges.size(); ++k) {
        const FlowEdge& edge = graph.edges[k];
        const std::vector<FlowPoint>& points = layout.edges[k].bezier;
        if (points.size() < 2 || edge.fromIndex >= graph.events.size())
            continue;
        curve.clear();
        for (const FlowPoint& point : points)
            curve.push_back(toScene(point));
        // Graphviz ends the curve short of the box and leaves room for the head up to the tip.
        const std::optional<FlowPoint>& tip = layout.edges[k].arrowTip;
        const QPointF head = tip ? toScene(*tip) : curve.back();
        const QPointF from = tip ? curve.back() : curve[curve.size() - 2];
        const bool onPath = criticalNext[edge.fromIndex] == long(edge.toIndex);
        drawing().addCurve(
            curve, from, head, tip.has_value(), onPath ? FlowDrawing::Line::Critical : FlowDrawing::Line::Plain);
        drawing().addTag(QString::fromStdString(formatFlowGap(edge.gapMicros)), toScene(layout.edges[k].labelAt),
            onPath ? FlowDrawing::TagKind::Critical : FlowDrawing::TagKind::Plain);
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
