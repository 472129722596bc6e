#include "ui/flow_lanes_view.h"

#include "model/flow_exports.h"
#include "model/flow_job.h"

#include <QCoreApplication>
#include <QFontMetricsF>
#include <QHash>
#include <QHelpEvent>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>

using namespace Qt::Literals::StringLiterals;

namespace eventscope {
namespace {

constexpr qreal kLaneHeight = 64;
constexpr qreal kBoxTop = 22; // room above a box for the arcs between boxes of one lane and their labels
constexpr qreal kBoxHeight = 34;
constexpr qreal kBoxWidth = 160;
constexpr qreal kBoxGap = 26; // between neighbouring boxes of one lane
constexpr qreal kStubLength = 40; // the arrow from an event of another flow
constexpr int kAxisHeight = 36;
constexpr qreal kTickSpacing = 110; // viewport pixels between ticks, roughly

QString gapText(qint64 micros)
{
    return QString::fromStdString(formatFlowGap(micros));
}

struct Arrow
{
    QPointF start, c1, c2, tip; // a cubic curve; the arrowhead points from c2 to the tip
    QPointF labelAt;

    QPointF at(qreal t) const
    {
        const qreal u = 1 - t;
        return u * u * u * start + 3 * u * u * t * c1 + 3 * u * t * t * c2 + t * t * t * tip;
    }
    // Where the curve, falling or rising steadily, crosses the height y.
    QPointF crossing(qreal y) const
    {
        qreal low = 0, high = 1;
        const bool falling = tip.y() > start.y();
        for (int i = 0; i < 24; ++i) {
            const qreal middle = (low + high) / 2;
            ((at(middle).y() < y) == falling ? low : high) = middle;
        }
        return at((low + high) / 2);
    }
};

Arrow arrowBetween(const QRectF& cause, const QRectF& effect, bool sameLane)
{
    Arrow a;
    if (sameLane) {
        // Over the top: the boxes between them are in the way of anything straight.
        const bool forward = effect.left() >= cause.left();
        a.start = QPointF(forward ? cause.right() - 18 : cause.left() + 18, cause.top());
        a.tip = QPointF(forward ? effect.left() + 18 : effect.right() - 18, effect.top());
        const qreal lift = 16 + std::min<qreal>(10, std::abs(a.tip.x() - a.start.x()) / 80);
        a.c1 = a.start - QPointF(0, lift);
        a.c2 = a.tip - QPointF(0, lift);
        a.labelAt = a.at(0.5);
        return a;
    }
    const bool down = effect.center().y() > cause.center().y();
    if (effect.left() >= cause.right() + 12 || effect.right() + 12 <= cause.left()) {
        // Side to side; backwards when the effect's clock is behind.
        const bool forward = effect.left() >= cause.right();
        a.start = QPointF(forward ? cause.right() : cause.left(), cause.center().y());
        a.tip = QPointF(forward ? effect.left() : effect.right(), effect.center().y());
        const qreal pull = std::max<qreal>(16, std::abs(a.tip.x() - a.start.x()) / 2) * (forward ? 1 : -1);
        a.c1 = a.start + QPointF(pull, 0);
        a.c2 = a.tip - QPointF(pull, 0);
    } else if (effect.left() >= cause.left() + 36) {
        // The effect starts under the cause: down (or up) out of it, then into the effect's side, through the
        // room that separates the effect from the box before it in its lane.
        a.start = QPointF(effect.left() - 18, down ? cause.bottom() : cause.top());
        a.tip = QPointF(effect.left(), effect.center().y());
        a.c1 = a.c2 = QPointF(a.start.x(), a.tip.y());
    } else {
        const qreal x = std::max(cause.left(), effect.left()) + 18;
        a.start = QPointF(x, down ? cause.bottom() : cause.top());
        a.tip = QPointF(x, down ? effect.top() : effect.bottom());
        a.c1 = a.start + (a.tip - a.start) / 3;
        a.c2 = a.tip - (a.tip - a.start) / 3;
    }
    // The label goes in the free band between the effect's row of boxes and the next, where the arrow crosses it:
    // each event has one cause, so no two labels are put in one place.
    a.labelAt = a.crossing(down ? effect.top() - 15 : effect.bottom() + 15);
    return a;
}

} // namespace

FlowLanesView::FlowLanesView(QWidget* parent)
    : FlowSceneView(parent)
    , m_laneColumn(new QWidget(this))
    , m_timeAxis(new QWidget(this))
{
    setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_laneColumn->setObjectName(u"flowLaneColumn"_s);
    m_timeAxis->setObjectName(u"flowTimeAxis"_s);
    for (QWidget* pinned : { m_laneColumn, m_timeAxis }) {
        pinned->installEventFilter(this);
        pinned->hide();
    }
    rebuild();
}

void FlowLanesView::setFlow(std::shared_ptr<const FlowResult> flow)
{
    m_flow = std::move(flow);
    rebuild();
}

void FlowLanesView::setGrouping(Grouping grouping)
{
    if (grouping == m_grouping)
        return;
    m_grouping = grouping;
    rebuild();
}

QStringList FlowLanesView::laneNames() const
{
    QStringList names;
    for (const Lane& lane : m_lanes)
        names << lane.name;
    return names;
}

QStringList FlowLanesView::axisLabels() const
{
    QStringList labels;
    for (const Tick& tick : ticks())
        labels << tick.label;
    return labels;
}

void FlowLanesView::rebuild()
{
    m_lanes.clear();
    if (!m_flow || m_flow->graph.events.empty()) {
        m_laneColumn->hide();
        m_timeAxis->hide();
        setViewportMargins(0, 0, 0, 0);
        showMessage(m_flow ? tr("No events carry this correlation ID") : tr("Enter a correlation ID to see its flow"));
        return;
    }
    const std::vector<Event>& events = m_flow->graph.events;
    QHash<QString, int> laneIndex;
    QHash<QString, int> toneOf; // by category
    std::vector<int> laneOf(events.size());
    for (size_t i = 0; i < events.size(); ++i) {
        const QString stream = QString::fromStdString(events[i].stream);
        const QString category = QString::fromStdString(categoryOf(events[i].stream));
        const int tone = toneOf.contains(category) ? toneOf.value(category) : int(toneOf.size());
        toneOf.insert(category, tone);
        const QString key = m_grouping == Grouping::Stream ? stream : category;
        auto found = laneIndex.constFind(key);
        if (found == laneIndex.constEnd()) {
            found = laneIndex.insert(key, int(m_lanes.size()));
            m_lanes.push_back({ key, 0, tone });
        }
        laneOf[i] = *found;
        ++m_lanes[size_t(*found)].events;
    }

    m_axis.place(events, laneOf, m_lanes.size(), kBoxWidth, kBoxGap);

    QFont typeFont = font();
    typeFont.setPixelSize(12);
    typeFont.setWeight(QFont::DemiBold);
    QFont detailFont = font();
    detailFont.setPixelSize(11);
    beginDrawing(FlowDrawing::TextLayout::Corners, typeFont, detailFont);
    drawEvents(laneOf);
    drawArrows(laneOf);

    QFont nameFont = font();
    nameFont.setBold(true);
    qreal widest = 0;
    const QFontMetricsF nameMetrics(nameFont);
    for (const Lane& lane : m_lanes)
        widest = std::max(widest, nameMetrics.horizontalAdvance(lane.name));
    m_columnWidth = int(std::clamp<qreal>(widest + 34, 130, 240));
    setViewportMargins(m_columnWidth, kAxisHeight, 0, 0);
    m_laneColumn->show();
    m_timeAxis->show();
    endDrawing(QRectF(-kStubLength - 8, 0, m_axis.right() + kStubLength + 8, kLaneHeight * qreal(m_lanes.size())));
    placePinnedParts();
}

void FlowLanesView::drawEvents(const std::vector<int>& laneOf)
{
    const std::vector<qreal>& left = m_axis.left();
    const FlowGraph& graph = m_flow->graph;
    std::vector<bool> critical(graph.events.size(), false), orphan(critical), external(critical);
    for (const size_t i : graph.criticalPath)
        critical[i] = true;
    for (const size_t i : graph.orphans)
        orphan[i] = true;
    for (const size_t i : graph.externalCauses)
        external[i] = true;

    std::unordered_map<std::string, QString> types; // flows repeat a few types thousands of times: one copy each
    const QString missing = tr("cause missing");
    for (size_t i = 0; i < graph.events.size(); ++i) {
        const Event& event = graph.events[i];
        const Lane& lane = m_lanes[size_t(laneOf[i])];
        const QRectF rect(left[i], kLaneHeight * laneOf[i] + kBoxTop, kBoxWidth, kBoxHeight);
        auto type = types.find(event.type);
        if (type == types.end())
            type = types.emplace(event.type, QString::fromStdString(event.type)).first;
        const QString version = u"v"_s + QString::number(event.version);
        const QString detail = m_grouping == Grouping::Stream
            ? version
            : QString::fromStdString(event.stream) + QLatin1Char(' ') + version;
        const QString offset = event.time == m_axis.startTime() ? u"0"_s : gapText(event.time - m_axis.startTime());
        const FlowDrawing::Mark mark = orphan[i] ? FlowDrawing::Mark::Orphan
            : critical[i]                        ? FlowDrawing::Mark::Critical
                                                 : FlowDrawing::Mark::None;
        addEventBox(int(i), rect, lane.tone, mark, type->second, detail, offset);
        if (orphan[i])
            drawing().addTag(missing, QPointF(rect.right() - 40, rect.top() - 1), FlowDrawing::TagKind::Warning);
        if (external[i])
            addExternalStub(QPointF(rect.left(), rect.center().y()), kStubLength);
    }
}

void FlowLanesView::drawArrows(const std::vector<int>& laneOf)
{
    const FlowGraph& graph = m_flow->graph;
    std::vector<long> criticalNext(graph.events.size(), -1);
    for (size_t k = 0; k + 1 < graph.criticalPath.size(); ++k)
        criticalNext[graph.criticalPath[k]] = long(graph.criticalPath[k + 1]);
    for (const FlowEdge& edge : graph.edges) {
        if (edge.fromIndex >= graph.events.size() || edge.toIndex >= graph.events.size())
            continue;
        const bool onPath = criticalNext[edge.fromIndex] == long(edge.toIndex);
        const Arrow arrow = arrowBetween(eventRect(int(edge.fromIndex)), eventRect(int(edge.toIndex)),
            laneOf[edge.fromIndex] == laneOf[edge.toIndex]);
        drawing().addCurve({ arrow.start, arrow.c1, arrow.c2, arrow.tip }, arrow.c2, arrow.tip, false,
            onPath ? FlowDrawing::Line::Critical : FlowDrawing::Line::Plain);
        drawing().addTag(gapText(edge.gapMicros), arrow.labelAt,
            onPath ? FlowDrawing::TagKind::Critical : FlowDrawing::TagKind::Plain);
    }
}

QRectF FlowLanesView::breakBand(const FlowTimeAxis::Break& cut) const
{
    return QRectF(QPointF(cut.left, 0), QPointF(cut.right, kLaneHeight * qreal(m_lanes.size())));
}

std::vector<FlowLanesView::Tick> FlowLanesView::ticks() const
{
    std::vector<Tick> out;
    if (m_lanes.empty())
        return out;
    const QTransform toView = viewportTransform();
    const QTransform toScene = toView.inverted();
    const qreal from = toScene.map(QPointF(0, 0)).x();
    const qreal to = toScene.map(QPointF(viewport()->width(), 0)).x();
    const QFontMetricsF metrics(m_timeAxis->font());
    qreal clearFrom = -1e300; // where the last label ends
    for (FlowTimeAxis::Tick& tick : m_axis.ticks(from, to, kTickSpacing / zoomFactor())) {
        const qreal viewX = toView.map(QPointF(tick.x, 0)).x();
        if (viewX < clearFrom)
            continue;
        clearFrom = viewX + metrics.horizontalAdvance(tick.label) + 14;
        out.push_back({ tick.x, viewX, std::move(tick.label) });
    }
    return out;
}

void FlowLanesView::drawBackground(QPainter* painter, const QRectF& rect)
{
    const Colours c = colours();
    painter->fillRect(rect, c.base);
    if (m_lanes.empty())
        return;
    const qreal lanesBottom = kLaneHeight * qreal(m_lanes.size());
    for (size_t lane = 1; lane < m_lanes.size(); lane += 2) {
        const QRectF band(rect.left(), kLaneHeight * qreal(lane), rect.width(), kLaneHeight);
        painter->fillRect(band.intersected(rect), c.stripe);
    }
    QPen grid(c.grid, 1);
    grid.setCosmetic(true);
    painter->setPen(grid);
    for (const Tick& tick : ticks())
        painter->drawLine(QLineF(tick.sceneX, std::max(rect.top(), 0.0), tick.sceneX, lanesBottom));
    // A gap cut short: a band across all lanes with jagged edges, the cut in a torn-paper style.
    QColor bandColour = c.grid;
    bandColour.setAlpha(70);
    for (const FlowTimeAxis::Break& cut : m_axis.breaks()) {
        const QRectF band = breakBand(cut);
        if (!band.intersects(rect))
            continue;
        painter->fillRect(band, bandColour);
        for (const qreal x : { band.left(), band.right() }) {
            QPolygonF zigzag;
            for (qreal y = 0; y <= lanesBottom; y += 8)
                zigzag << QPointF(x + (int(y / 8) % 2 ? 3 : -3), y);
            painter->drawPolyline(zigzag);
        }
    }
}

void FlowLanesView::viewChanged()
{
    placePinnedParts();
}

void FlowLanesView::placePinnedParts()
{
    if (!m_laneColumn || m_laneColumn->isHidden())
        return;
    const QRect view = viewport()->geometry();
    m_laneColumn->setGeometry(view.x() - m_columnWidth, view.y(), m_columnWidth, view.height());
    m_timeAxis->setGeometry(
        view.x() - m_columnWidth, view.y() - kAxisHeight, m_columnWidth + view.width(), kAxisHeight);
    m_laneColumn->update();
    m_timeAxis->update();
}

bool FlowLanesView::eventFilter(QObject* watched, QEvent* event)
{
    if (watched != m_laneColumn && watched != m_timeAxis)
        return FlowSceneView::eventFilter(watched, event);
    switch (event->type()) {
    case QEvent::Paint: {
        QPainter painter(static_cast<QWidget*>(watched));
        painter.setRenderHint(QPainter::Antialiasing);
        if (watched == m_laneColumn)
            paintLaneColumn(painter);
        else
            paintTimeAxis(painter);
        return true;
    }
    case QEvent::Wheel:
        // Over the lane names the wheel scrolls the lanes, as over a list.
        if (watched == m_laneColumn)
            QCoreApplication::sendEvent(verticalScrollBar(), event);
        return true;
    case QEvent::ToolTip: {
        const auto* help = static_cast<QHelpEvent*>(event);
        if (watched == m_laneColumn) {
            const qreal sceneY = viewportTransform().inverted().map(QPointF(0, help->pos().y())).y();
            const int lane = int(std::floor(sceneY / kLaneHeight));
            if (lane >= 0 && lane < laneCount()) {
                QToolTip::showText(help->globalPos(),
                    tr("%1: %n event(s)", nullptr, m_lanes[size_t(lane)].events).arg(m_lanes[size_t(lane)].name),
                    m_laneColumn);
                return true;
            }
        }
        QToolTip::hideText();
        return true;
    }
    default:
        return FlowSceneView::eventFilter(watched, event);
    }
}

void FlowLanesView::paintLaneColumn(QPainter& painter) const
{
    const Colours c = colours();
    const QRectF area = m_laneColumn->rect();
    painter.fillRect(area, c.base);
    const QTransform toView = viewportTransform();
    QFont nameFont = font();
    nameFont.setBold(true);
    QFont countFont = font();
    countFont.setPixelSize(10);
    const QFontMetricsF nameMetrics(nameFont), countMetrics(countFont);
    for (size_t lane = 0; lane < m_lanes.size(); ++lane) {
        const qreal top = toView.map(QPointF(0, kLaneHeight * qreal(lane))).y();
        const qreal bottom = toView.map(QPointF(0, kLaneHeight * qreal(lane + 1))).y();
        if (bottom < 0 || top > area.height())
            continue;
        const QRectF band(0, top, area.width(), bottom - top);
        if (lane % 2)
            painter.fillRect(band, c.stripe);
        const qreal height = band.height();
        const QColor tone = c.category(m_lanes[lane].tone);
        painter.setPen(Qt::NoPen);
        painter.setBrush(tone);
        const qreal chip = std::min<qreal>(height * 0.55, 30);
        painter.drawRoundedRect(QRectF(8, band.center().y() - chip / 2, 4, chip), 2, 2);
        if (height < 12)
            continue;
        const qreal textLeft = 20, textWidth = area.width() - textLeft - 8;
        const QString name = nameMetrics.elidedText(m_lanes[lane].name, Qt::ElideMiddle, textWidth);
        painter.setPen(c.text);
        painter.setFont(nameFont);
        if (height < 40) {
            painter.drawText(QRectF(textLeft, top, textWidth, height), Qt::AlignVCenter | Qt::AlignLeft, name);
            continue;
        }
        const qreal block = nameMetrics.height() + countMetrics.height();
        const qreal y = band.center().y() - block / 2;
        painter.drawText(QRectF(textLeft, y, textWidth, nameMetrics.height()), Qt::AlignLeft, name);
        painter.setPen(c.mutedText);
        painter.setFont(countFont);
        painter.drawText(QRectF(textLeft, y + nameMetrics.height(), textWidth, countMetrics.height()), Qt::AlignLeft,
            tr("%n event(s)", nullptr, m_lanes[lane].events));
    }
    painter.setPen(QPen(c.grid, 1));
    painter.drawLine(QLineF(area.width() - 0.5, 0, area.width() - 0.5, area.height()));
}

void FlowLanesView::paintTimeAxis(QPainter& painter) const
{
    const Colours c = colours();
    const QRectF area = m_timeAxis->rect();
    painter.fillRect(area, c.window);
    painter.setPen(QPen(c.grid, 1));
    painter.drawLine(QLineF(0, area.height() - 0.5, area.width(), area.height() - 0.5));
    painter.drawLine(QLineF(m_columnWidth - 0.5, 0, m_columnWidth - 0.5, area.height()));

    QFont small = font();
    small.setPixelSize(10);
    painter.setFont(small);
    const QFontMetricsF metrics(small);
    // The corner: where the axis' zero is, in absolute time.
    const QString start = timeText(m_axis.startTime());
    const QRectF firstLine(8, 3, m_columnWidth - 12, metrics.height());
    painter.setPen(c.mutedText);
    painter.drawText(firstLine, Qt::AlignLeft, tr("start %1").arg(start.left(10)));
    painter.setPen(c.text);
    painter.drawText(firstLine.translated(0, metrics.height() + 1), Qt::AlignLeft,
        metrics.elidedText(start.mid(11) + u" UTC"_s, Qt::ElideRight, firstLine.width()));

    painter.setClipRect(QRectF(m_columnWidth, 0, area.width() - m_columnWidth, area.height()));
    const qreal offset = m_columnWidth;
    for (const Tick& tick : ticks()) {
        const qreal x = offset + tick.viewX;
        painter.setPen(QPen(c.mutedText, 1));
        painter.drawLine(QLineF(x, area.height() - 8, x, area.height()));
        painter.setPen(c.text);
        painter.drawText(QPointF(x + 3, area.height() - 10), tick.label);
    }
    const QTransform toView = viewportTransform();
    for (const FlowTimeAxis::Break& cut : m_axis.breaks()) {
        const QRectF band = breakBand(cut);
        const qreal left = offset + toView.map(band.topLeft()).x();
        const qreal right = offset + toView.map(band.topRight()).x();
        if (right < m_columnWidth || left > area.width())
            continue;
        const qreal middle = (left + right) / 2;
        painter.setPen(QPen(c.mutedText, 1.2));
        for (const qreal dx : { -3.0, 3.0 })
            painter.drawLine(QLineF(middle + dx - 3, area.height() - 2, middle + dx + 3, area.height() - 12));
        const QString skipped = tr("%1 later").arg(gapText(cut.skipped).mid(1));
        painter.drawText(QRectF(middle - 70, 2, 140, metrics.height() + 2), Qt::AlignCenter, skipped);
    }
}

QString FlowLanesView::toolTipFor(int index) const
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
