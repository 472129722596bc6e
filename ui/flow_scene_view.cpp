#include "ui/flow_scene_view.h"

#include "model/flow_graph.h"
#include "ui/flow_layer_item.h"

#include <QApplication>
#include <QDateTime>
#include <QGraphicsPathItem>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainterPath>
#include <QScrollBar>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace eventscope {
namespace {

constexpr double kMinZoom = 0.02;
constexpr double kMaxZoom = 8.0;
constexpr double kButtonStep = 1.25;
constexpr qreal kMargin = 24; // around the drawing, so that nothing touches the view's edge

QColor mix(const QColor& a, const QColor& b, double t)
{
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * t),
        float(a.greenF() + (b.greenF() - a.greenF()) * t), float(a.blueF() + (b.blueF() - a.blueF()) * t));
}

} // namespace

FlowSceneView::FlowSceneView(QWidget* parent)
    : QGraphicsView(parent)
    , m_canvas(new QGraphicsScene(this))
{
    // A few large items: a BSP tree over them would cost more than it finds.
    m_canvas->setItemIndexMethod(QGraphicsScene::NoIndex);
    setScene(m_canvas);
    setDragMode(QGraphicsView::ScrollHandDrag);
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    setTransformationAnchor(QGraphicsView::NoAnchor);
    setResizeAnchor(QGraphicsView::NoAnchor);
    setFocusPolicy(Qt::StrongFocus);
    m_drawingAlignment = alignment();
}

double FlowSceneView::zoomFactor() const
{
    return transform().m11();
}

QRectF FlowSceneView::eventRect(int index) const
{
    if (index < 0 || index >= eventCount())
        return {};
    return m_eventRects[size_t(index)];
}

void FlowSceneView::selectEvent(int index)
{
    m_selected = eventRect(index).isNull() ? -1 : index;
    if (m_selected >= 0)
        centerOn(eventRect(m_selected).center());
    placeSelectionMark();
    viewChanged();
}

void FlowSceneView::zoomIn()
{
    zoomBy(kButtonStep, QRectF(viewport()->rect()).center());
}

void FlowSceneView::zoomOut()
{
    zoomBy(1 / kButtonStep, QRectF(viewport()->rect()).center());
}

void FlowSceneView::fitAll()
{
    fitInView(sceneRect(), Qt::KeepAspectRatio);
    viewChanged();
}

FlowSceneView::Colours FlowSceneView::colours() const
{
    const QPalette& p = palette();
    Colours c;
    c.text = p.color(QPalette::Text);
    c.base = p.color(QPalette::Base);
    c.window = p.color(QPalette::Window);
    c.dark = c.base.lightness() < 128;
    c.mutedText = mix(c.text, c.base, 0.4);
    c.stripe = mix(c.base, c.text, c.dark ? 0.06 : 0.035);
    c.grid = mix(c.base, c.text, 0.12);
    c.arrow = mix(c.text, c.base, 0.5);
    c.critical = c.dark ? QColor(0xff, 0x92, 0x2b) : QColor(0xe8, 0x59, 0x0c);
    c.orphan = c.dark ? QColor(0xff, 0x6b, 0x6b) : QColor(0xe0, 0x31, 0x31);
    c.selection = p.color(QPalette::Highlight);
    return c;
}

QColor FlowSceneView::Colours::category(int ordinal) const
{
    // No red and no orange: they mark orphans and the critical path.
    static const QColor tones[] = { QColor(0x19, 0x71, 0xc2), QColor(0x2f, 0x9e, 0x44), QColor(0x70, 0x48, 0xe8),
        QColor(0x0c, 0x85, 0x99), QColor(0x9c, 0x36, 0xb5), QColor(0x5c, 0x94, 0x0d), QColor(0x3b, 0x5b, 0xdb),
        QColor(0x08, 0x7f, 0x5b), QColor(0x86, 0x5e, 0x3c), QColor(0x49, 0x50, 0x57) };
    const QColor tone = tones[size_t(std::max(ordinal, 0)) % std::size(tones)];
    return dark ? tone.lighter(150) : tone;
}

QColor FlowSceneView::Colours::tint(const QColor& strong) const
{
    return mix(base, strong, dark ? 0.3 : 0.11);
}

QString FlowSceneView::timeText(qint64 micros)
{
    const qint64 seconds = micros >= 0 ? micros / 1'000'000 : -((-micros + 999'999) / 1'000'000);
    const qint64 fraction = micros - seconds * 1'000'000;
    return QDateTime::fromSecsSinceEpoch(seconds, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
        + QLatin1Char('.') + QStringLiteral("%1").arg(fraction, 6, 10, QLatin1Char('0'));
}

QString FlowSceneView::eventToolTip(const Event& event, bool orphan, bool external)
{
    QString tip = QStringLiteral("<b>%1</b><br/>%2 v%3 · position %4<br/>%5 UTC<br/>%6")
                      .arg(QString::fromStdString(event.type).toHtmlEscaped(),
                          QString::fromStdString(event.stream).toHtmlEscaped(), QString::number(event.version),
                          QString::number(event.position), timeText(event.time),
                          QString::fromStdString(event.id).toHtmlEscaped());
    if (orphan) {
        const auto cause = causeReferenceOf(event);
        const QString named = QString::fromStdString(cause ? cause->describe() : event.causation);
        tip += QStringLiteral("<br/>")
            + tr("Cause missing: it names %1, which is not in the store").arg(named.toHtmlEscaped());
    }
    if (external)
        tip += QStringLiteral("<br/>") + tr("Caused by an event of another correlation");
    return tip;
}

void FlowSceneView::dropDrawing()
{
    setScene(nullptr);
    m_canvas->clear();
    m_selectionMark = nullptr;
    m_drawing.reset();
    m_tones.clear();
    m_eventRects.clear();
    m_eventIndex.clear();
    m_selected = -1;
    if (m_showingMessage)
        setAlignment(m_drawingAlignment);
    m_showingMessage = false;
}

void FlowSceneView::beginDrawing(FlowDrawing::TextLayout layout, const QFont& titleFont, const QFont& detailFont)
{
    dropDrawing();
    const Colours c = colours();
    FlowDrawing::Style style;
    style.text = c.text;
    style.mutedText = c.mutedText;
    style.base = c.base;
    style.arrow = c.arrow;
    style.critical = c.critical;
    style.orphan = c.orphan;
    style.titleFont = titleFont;
    style.detailFont = detailFont;
    style.tagFont = font();
    style.tagFont.setPixelSize(10);
    style.tagBoldFont = style.tagFont;
    style.tagBoldFont.setBold(true);
    style.layout = layout;
    m_drawing = std::make_shared<FlowDrawing>(std::move(style));
}

void FlowSceneView::addEventBox(
    int index, const QRectF& rect, int category, FlowDrawing::Mark mark, QString title, QString detail, QString note)
{
    if (index < 0 || !m_drawing)
        return;
    if (size_t(index) >= m_eventRects.size())
        m_eventRects.resize(size_t(index) + 1);
    m_eventRects[size_t(index)] = rect;
    category = std::max(category, 0);
    if (size_t(category) >= m_tones.size())
        m_tones.resize(size_t(category) + 1, -1);
    if (m_tones[size_t(category)] < 0) {
        const Colours c = colours();
        const QColor tone = c.category(category);
        m_tones[size_t(category)] = m_drawing->addTone(tone, c.tint(tone), mix(c.base, tone, 0.5));
    }
    m_drawing->addBox(rect, m_tones[size_t(category)], mark, std::move(title), std::move(detail), std::move(note));
}

void FlowSceneView::addExternalStub(const QPointF& end, qreal length)
{
    if (!m_drawing)
        return;
    const QPointF start = end - QPointF(length, 0);
    m_drawing->addCurve({ start, end - QPointF(6, 0) }, start, end, false, FlowDrawing::Line::Stub);
}

void FlowSceneView::endDrawing(const QRectF& extent)
{
    if (m_drawing) {
        m_drawing->finish();
        for (const auto layer : { FlowDrawing::Layer::Curves, FlowDrawing::Layer::Boxes, FlowDrawing::Layer::Tags })
            m_canvas->addItem(new FlowLayerItem(m_drawing, layer));
    }
    m_eventIndex.build(m_eventRects);
    m_selectionMark = m_canvas->addPath(QPainterPath(), QPen(colours().selection, 3), Qt::NoBrush);
    m_selectionMark->setZValue(10);
    m_selectionMark->hide();
    setScene(m_canvas);
    setSceneRect(extent.adjusted(-kMargin, -kMargin, kMargin, kMargin));
    placeFreshDrawing();
}

void FlowSceneView::showMessage(const QString& text)
{
    dropDrawing();
    m_drawingAlignment = alignment();
    m_showingMessage = true;
    setAlignment(Qt::AlignCenter);
    QFont big = font();
    big.setPointSizeF(big.pointSizeF() * 1.25);
    QGraphicsSimpleTextItem* message = m_canvas->addSimpleText(text, big);
    message->setBrush(colours().mutedText);
    const QRectF bounds = message->boundingRect();
    message->setPos(-bounds.width() / 2, -bounds.height() / 2);
    setScene(m_canvas);
    resetTransform();
    setSceneRect(message->sceneBoundingRect().adjusted(-kMargin, -kMargin, kMargin, kMargin));
    m_placementPending = false;
    viewChanged();
}

void FlowSceneView::zoomBy(double factor, const QPointF& viewportAnchor)
{
    const double current = zoomFactor();
    const double target = std::clamp(current * factor, kMinZoom, kMaxZoom);
    if (current <= 0 || std::abs(target - current) < 1e-9)
        return;
    const QPointF sceneAnchor = viewportTransform().inverted().map(viewportAnchor);
    scale(target / current, target / current);
    // Put the point that was under the anchor back under it.
    const QPointF drift = viewportTransform().map(sceneAnchor) - viewportAnchor;
    horizontalScrollBar()->setValue(horizontalScrollBar()->value() + qRound(drift.x()));
    verticalScrollBar()->setValue(verticalScrollBar()->value() + qRound(drift.y()));
    viewChanged();
}

void FlowSceneView::placeFreshDrawing()
{
    if (!isVisible()) {
        m_placementPending = true;
        return;
    }
    m_placementPending = false;
    resetTransform();
    const QRectF extent = sceneRect();
    const QSizeF room = viewport()->size();
    const double fit = extent.isEmpty() ? 1 : std::min(room.width() / extent.width(), room.height() / extent.height());
    if (fit < 1 && fit >= minimumReadableZoom()) {
        fitAll();
        return;
    }
    horizontalScrollBar()->setValue(horizontalScrollBar()->minimum());
    verticalScrollBar()->setValue(verticalScrollBar()->minimum());
    // From the start of the flow: a big graph's first event may be far below its top left corner.
    const QRectF first = eventRect(0);
    if (!first.isNull() && !mapToScene(viewport()->rect()).boundingRect().contains(first))
        centerOn(mapToScene(viewport()->rect().center()).x(), first.center().y());
    viewChanged();
}

void FlowSceneView::placeSelectionMark()
{
    if (!m_selectionMark)
        return;
    const QRectF rect = eventRect(m_selected);
    if (rect.isNull()) {
        m_selectionMark->hide();
        return;
    }
    QPainterPath ring;
    ring.addRoundedRect(rect.adjusted(-4, -4, 4, 4), 8, 8);
    m_selectionMark->setPath(ring);
    m_selectionMark->show();
}

int FlowSceneView::eventAt(const QPointF& scenePos) const
{
    return m_eventIndex.topmostAt(scenePos);
}

bool FlowSceneView::viewportEvent(QEvent* event)
{
    if (event->type() != QEvent::ToolTip)
        return QGraphicsView::viewportEvent(event);
    const auto* help = static_cast<QHelpEvent*>(event);
    const int index = eventAt(mapToScene(help->pos()));
    if (index >= 0)
        QToolTip::showText(help->globalPos(), toolTipFor(index), viewport());
    else
        QToolTip::hideText();
    return true;
}

void FlowSceneView::wheelEvent(QWheelEvent* event)
{
    // Shift+wheel scrolls, as in most drawing tools; the plain and Ctrl wheels zoom around the cursor.
    if (event->modifiers() & Qt::ShiftModifier) {
        QGraphicsView::wheelEvent(event);
        return;
    }
    const QPoint delta = event->angleDelta();
    const int steps = delta.y() != 0 ? delta.y() : delta.x();
    if (steps == 0) {
        event->ignore();
        return;
    }
    zoomBy(std::pow(1.0015, steps), event->position());
    event->accept();
}

void FlowSceneView::mousePressEvent(QMouseEvent* event)
{
    if (event->button() == Qt::LeftButton) {
        m_pressAt = event->position().toPoint();
        m_pressed = true;
    }
    QGraphicsView::mousePressEvent(event);
}

void FlowSceneView::mouseMoveEvent(QMouseEvent* event)
{
    QGraphicsView::mouseMoveEvent(event);
    // The hand says "drag to pan"; over a box, the pointer says "click".
    if (event->buttons() == Qt::NoButton)
        viewport()->setCursor(
            eventAt(mapToScene(event->position().toPoint())) >= 0 ? Qt::PointingHandCursor : Qt::OpenHandCursor);
}

void FlowSceneView::mouseReleaseEvent(QMouseEvent* event)
{
    QGraphicsView::mouseReleaseEvent(event);
    if (event->button() != Qt::LeftButton || !m_pressed)
        return;
    m_pressed = false;
    // A press that moved is a pan, not a click.
    if ((event->position().toPoint() - m_pressAt).manhattanLength() >= QApplication::startDragDistance())
        return;
    const int index = eventAt(mapToScene(event->position().toPoint()));
    if (index < 0)
        return;
    m_selected = index;
    placeSelectionMark();
    Q_EMIT eventClicked(index);
}

void FlowSceneView::keyPressEvent(QKeyEvent* event)
{
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomIn();
        return;
    case Qt::Key_Minus:
        zoomOut();
        return;
    case Qt::Key_0:
        fitAll();
        return;
    default:
        QGraphicsView::keyPressEvent(event);
    }
}

void FlowSceneView::resizeEvent(QResizeEvent* event)
{
    QGraphicsView::resizeEvent(event);
    if (m_placementPending && isVisible())
        placeFreshDrawing();
    viewChanged();
}

void FlowSceneView::showEvent(QShowEvent* event)
{
    QGraphicsView::showEvent(event);
    if (m_placementPending)
        placeFreshDrawing();
}

void FlowSceneView::scrollContentsBy(int dx, int dy)
{
    QGraphicsView::scrollContentsBy(dx, dy);
    viewChanged();
}

} // namespace eventscope
