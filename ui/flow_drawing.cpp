#include "ui/flow_drawing.h"

#include <QFontMetricsF>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace eventscope {
namespace {

constexpr qreal kRadius = 5; // of a box's corners
constexpr qreal kStripWidth = 5; // the tone strip on a box's left
constexpr qreal kCornersLeft = 10, kCornersRight = 6; // text margins of a box in lanes
constexpr qreal kCentredMargin = 12; // the strip on the left, a margin on the right
// Text whose lines are this many pixels high or more is drawn; smaller, down to kGreekPixels, it is a faint bar where
// the text goes, as a map shows a street too small to name; smaller still, nothing.
constexpr qreal kLegiblePixels = 5; // a line's height, in pixels
constexpr qreal kGreekPixels = 0.8;
constexpr qreal kOverviewPixels = 1.5; // a box lower than this is drawn as a plain mark

QRectF boundsOf(const QPointF* points, int count)
{
    qreal left = points[0].x(), right = left, top = points[0].y(), bottom = top;
    for (int k = 1; k < count; ++k) {
        left = std::min(left, points[k].x());
        right = std::max(right, points[k].x());
        top = std::min(top, points[k].y());
        bottom = std::max(bottom, points[k].y());
    }
    return QRectF(QPointF(left, top), QPointF(right, bottom));
}

QColor faded(QColor colour, int alpha)
{
    colour.setAlpha(alpha);
    return colour;
}

} // namespace

FlowDrawing::FlowDrawing(Style style)
    : m_style(std::move(style))
    , m_titleMetrics(m_style.titleFont)
    , m_detailMetrics(m_style.detailFont)
    , m_tagMetrics(m_style.tagFont)
    , m_tagHeight(m_tagMetrics.height())
{
}

int FlowDrawing::addTone(const QColor& strong, const QColor& fill, const QColor& outline)
{
    m_tones.push_back({ strong, fill, outline });
    return int(m_tones.size()) - 1;
}

void FlowDrawing::addBox(const QRectF& rect, int tone, Mark mark, QString title, QString detail, QString note)
{
    Box box;
    box.rect = rect;
    box.tone = std::clamp(tone, 0, std::max(0, int(m_tones.size()) - 1));
    box.mark = mark;
    box.title = std::move(title);
    box.detail = std::move(detail);
    box.note = std::move(note);
    m_boxes.push_back(std::move(box));
}

void FlowDrawing::addCurve(
    const std::vector<QPointF>& points, const QPointF& headFrom, const QPointF& tip, bool lineToTip, Line line)
{
    if (points.empty())
        return;
    Curve curve;
    curve.first = int(m_points.size());
    curve.count = int(points.size());
    curve.headFrom = headFrom;
    curve.tip = tip;
    curve.lineToTip = lineToTip;
    curve.line = line;
    m_points.insert(m_points.end(), points.begin(), points.end());
    // A Bézier curve stays inside its control points; the pen and the head reach a little past them.
    const qreal reach = penWidth(line) + 6 + penWidth(line) * 1.5;
    QRectF bounds = boundsOf(points.data(), curve.count);
    for (const QPointF& point : { tip, headFrom }) {
        bounds.setLeft(std::min(bounds.left(), point.x()));
        bounds.setRight(std::max(bounds.right(), point.x()));
        bounds.setTop(std::min(bounds.top(), point.y()));
        bounds.setBottom(std::max(bounds.bottom(), point.y()));
    }
    curve.bounds = bounds.adjusted(-reach, -reach, reach, reach);
    m_curves.push_back(curve);
}

void FlowDrawing::addTag(const QString& text, const QPointF& at, TagKind kind)
{
    const int bold = kind == TagKind::Plain ? 0 : 1;
    auto width = m_tagWidths[bold].constFind(text);
    if (width == m_tagWidths[bold].constEnd())
        width = m_tagWidths[bold].insert(
            text, (bold ? QFontMetricsF(m_style.tagBoldFont) : m_tagMetrics).horizontalAdvance(text));
    const QRectF textRect(0, 0, *width, m_tagHeight);
    m_tags.push_back({ text, textRect.translated(at - textRect.center()).adjusted(-3, -1, 3, 1), kind });
}

void FlowDrawing::finish()
{
    // Painted in index order: what must lie on top goes last.
    std::stable_sort(m_curves.begin(), m_curves.end(), [](const Curve& a, const Curve& b) { return a.line < b.line; });
    std::stable_sort(m_tags.begin(), m_tags.end(), [](const Tag& a, const Tag& b) { return a.kind < b.kind; });
    std::vector<QRectF> rects;
    rects.reserve(m_boxes.size());
    for (const Box& box : m_boxes)
        rects.push_back(box.rect.adjusted(-2, -2, 2, 2)); // the critical outline's half width, and a pixel
    m_boxIndex.build(std::move(rects));
    rects.clear();
    for (const Curve& curve : m_curves)
        rects.push_back(curve.bounds);
    m_curveIndex.build(std::move(rects));
    rects.clear();
    for (const Tag& tag : m_tags)
        rects.push_back(tag.back);
    m_tagIndex.build(std::move(rects));
}

QRectF FlowDrawing::bounds(Layer layer) const
{
    const FlowSpatialIndex& index = layer == Layer::Boxes ? m_boxIndex
        : layer == Layer::Curves                          ? m_curveIndex
                                                          : m_tagIndex;
    QRectF out;
    for (int id = 0; id < index.size(); ++id)
        out = out.isNull() ? index.rect(id) : out.united(index.rect(id));
    return out;
}

void FlowDrawing::paint(Layer layer, QPainter* painter, const QRectF& exposed, qreal lod) const
{
    if (lod <= 0)
        return;
    // Far out, marks and lines are widened to stay visible, past their bounds by a pixel or two.
    const qreal reach = 2 / lod;
    const QRectF area = exposed.adjusted(-reach, -reach, reach, reach);
    switch (layer) {
    case Layer::Curves:
        paintCurves(painter, m_curveIndex.intersecting(area), lod);
        break;
    case Layer::Boxes:
        paintBoxes(painter, m_boxIndex.intersecting(area), lod);
        break;
    case Layer::Tags:
        paintTags(painter, m_tagIndex.intersecting(exposed), lod);
        break;
    }
}

QStringList FlowDrawing::texts(Layer layer) const
{
    QStringList out;
    if (layer == Layer::Boxes) {
        for (const Box& box : m_boxes)
            for (const QString* text : { &box.title, &box.detail, &box.note })
                if (!text->isEmpty())
                    out << *text;
    } else if (layer == Layer::Tags) {
        for (const Tag& tag : m_tags)
            out << tag.text;
    }
    return out;
}

qreal FlowDrawing::penWidth(Line line)
{
    switch (line) {
    case Line::Critical:
        return 2.5;
    case Line::Stub:
        return 1.2;
    case Line::Plain:
        break;
    }
    return 1.3;
}

QPolygonF FlowDrawing::arrowHead(const QPointF& from, const QPointF& tip, qreal penWidth)
{
    QPointF direction = tip - from;
    const qreal length = std::hypot(direction.x(), direction.y());
    direction = length > 1e-6 ? direction / length : QPointF(1, 0);
    const qreal size = 6 + penWidth * 1.5;
    const QPointF base = tip - direction * size;
    const QPointF across(-direction.y() * size * 0.45, direction.x() * size * 0.45);
    return QPolygonF { tip, base + across, base - across };
}

QPainterPath FlowDrawing::curvePath(const Curve& curve) const
{
    const QPointF* p = m_points.data() + curve.first;
    QPainterPath path(p[0]);
    int next = 1;
    if (curve.count > 2)
        for (; next + 2 < curve.count; next += 3)
            path.cubicTo(p[next], p[next + 1], p[next + 2]);
    for (; next < curve.count; ++next)
        path.lineTo(p[next]);
    if (curve.lineToTip)
        path.lineTo(curve.tip);
    return path;
}

void FlowDrawing::paintCurves(QPainter* painter, const std::vector<int>& ids, qreal lod) const
{
    // By pen (the curves are sorted so), lines and then heads, so that a critical curve lies over every other.
    size_t k = 0;
    while (k < ids.size()) {
        const Line line = m_curves[size_t(ids[k])].line;
        size_t end = k;
        while (end < ids.size() && m_curves[size_t(ids[end])].line == line)
            ++end;
        const QColor colour = line == Line::Critical ? m_style.critical : m_style.arrow;
        // Zoomed far out, the critical path stays a line one can follow, and the other curves a faint web.
        const qreal width = std::max(penWidth(line), (line == Line::Critical ? 1.0 : 0.5) / lod);
        QPen pen(colour, width, line == Line::Stub ? Qt::DashLine : Qt::SolidLine);
        painter->setPen(pen);
        painter->setBrush(Qt::NoBrush);
        for (size_t i = k; i < end; ++i) {
            const Curve& curve = m_curves[size_t(ids[i])];
            if (curve.count == 2 && !curve.lineToTip)
                painter->drawLine(m_points[size_t(curve.first)], m_points[size_t(curve.first + 1)]);
            else
                painter->drawPath(curvePath(curve));
        }
        painter->setPen(Qt::NoPen);
        painter->setBrush(colour);
        const bool headsShow = (6 + penWidth(line) * 1.5) * lod >= 1;
        for (size_t i = headsShow ? k : end; i < end; ++i) {
            const Curve& curve = m_curves[size_t(ids[i])];
            painter->drawPolygon(arrowHead(curve.headFrom, curve.tip, penWidth(line)));
        }
        k = end;
    }
}

const QPainterPath& FlowDrawing::stripOf(const QSizeF& size) const
{
    const quint64 key = (quint64(quint32(qRound(size.width() * 16))) << 32) | quint32(qRound(size.height() * 16));
    auto found = m_strips.constFind(key);
    if (found != m_strips.constEnd())
        return *found;
    // A rounded rectangle's left edge, the strip's width wide, at the origin.
    const QRectF rect(QPointF(0, 0), size);
    QPainterPath strip;
    strip.moveTo(kRadius, 0);
    strip.lineTo(kStripWidth, 0);
    strip.lineTo(kStripWidth, rect.bottom());
    strip.lineTo(kRadius, rect.bottom());
    strip.arcTo(QRectF(0, rect.bottom() - 2 * kRadius, 2 * kRadius, 2 * kRadius), 270, -90);
    strip.lineTo(0, kRadius);
    strip.arcTo(QRectF(0, 0, 2 * kRadius, 2 * kRadius), 180, -90);
    strip.closeSubpath();
    return *m_strips.insert(key, strip);
}

void FlowDrawing::paintBoxes(QPainter* painter, const std::vector<int>& ids, qreal lod) const
{
    QPen plainPen(Qt::black, 1);
    QPen criticalPen(m_style.critical, 2.5);
    QPen orphanPen(m_style.orphan, 1.6, Qt::DashLine);
    orphanPen.setDashPattern({ 4, 3 });
    const QTransform base = painter->worldTransform();
    for (const int id : ids) {
        const Box& box = m_boxes[size_t(id)];
        const Tone& tone = m_tones.empty() ? Tone {} : m_tones[size_t(box.tone)];
        if (box.rect.height() * lod < kOverviewPixels) {
            // A box a couple of pixels high: a mark in its tone, at least a pixel and a half each way, so that an
            // overview of thousands of events still shows where they are, orphans and the critical path included.
            const qreal least = 1.5 / lod;
            const QSizeF size(std::max(box.rect.width(), least), std::max(box.rect.height(), least));
            painter->fillRect(QRectF(box.rect.center() - QPointF(size.width(), size.height()) / 2, size),
                box.mark == Mark::Orphan         ? m_style.orphan
                    : box.mark == Mark::Critical ? m_style.critical
                                                 : tone.outline);
            continue;
        }
        if (box.mark == Mark::None) {
            plainPen.setColor(tone.outline);
            painter->setPen(plainPen);
        } else {
            painter->setPen(box.mark == Mark::Critical ? criticalPen : orphanPen);
        }
        painter->setBrush(tone.fill);
        painter->drawRoundedRect(box.rect, kRadius, kRadius);
        painter->setPen(Qt::NoPen);
        painter->setBrush(box.mark == Mark::Orphan ? m_style.orphan
                : box.mark == Mark::Critical       ? m_style.critical
                                                   : tone.strong);
        painter->setWorldTransform(QTransform::fromTranslate(box.rect.left(), box.rect.top()) * base);
        painter->drawPath(stripOf(box.rect.size()));
        painter->setWorldTransform(base);
    }
    const qreal pixels = m_titleMetrics.height() * lod;
    if (pixels < kGreekPixels)
        return;
    for (const int id : ids)
        if (m_boxes[size_t(id)].rect.height() * lod >= kOverviewPixels)
            paintBoxText(painter, m_boxes[size_t(id)], pixels >= kLegiblePixels);
}

void FlowDrawing::layOut(const Box& box) const
{
    if (box.titleWidth >= 0)
        return;
    const QFontMetricsF& detailMetrics = m_detailMetrics;
    const bool corners = m_style.layout == TextLayout::Corners;
    const qreal room = box.rect.width() - (corners ? kCornersLeft + kCornersRight : kCentredMargin);
    const QString key = box.title + QChar(0) + QString::number(qRound(room * 4));
    auto elided = m_elidedTitles.constFind(key);
    if (elided == m_elidedTitles.constEnd()) {
        const QString shown = m_titleMetrics.elidedText(box.title, Qt::ElideRight, room);
        elided = m_elidedTitles.insert(key, { shown, m_titleMetrics.horizontalAdvance(shown) });
    }
    box.shownTitle = elided->first;
    box.titleWidth = elided->second;
    box.noteWidth = detailMetrics.horizontalAdvance(box.note);
    const qreal detailRoom = corners ? room - box.noteWidth - 6 : room;
    box.shownDetail = detailMetrics.elidedText(box.detail, Qt::ElideMiddle, detailRoom);
    box.detailWidth = detailMetrics.horizontalAdvance(box.shownDetail);
}

void FlowDrawing::paintBoxText(QPainter* painter, const Box& box, bool legible) const
{
    const QFontMetricsF& titleMetrics = m_titleMetrics;
    const QFontMetricsF& detailMetrics = m_detailMetrics;
    const QRectF& rect = box.rect;
    struct Run
    {
        const QString* text;
        qreal x, top, width;
        bool title;
    };
    Run runs[3];
    int count = 0;
    qreal titleWidth, detailWidth, noteWidth;
    if (legible) {
        layOut(box);
        titleWidth = box.titleWidth;
        detailWidth = box.detailWidth;
        noteWidth = box.noteWidth;
    } else {
        // A bar as long as the text about is: measuring thousands of texts too small to read is wasted.
        const bool corners = m_style.layout == TextLayout::Corners;
        const qreal room = rect.width() - (corners ? kCornersLeft + kCornersRight : kCentredMargin);
        noteWidth = std::min(room / 2, box.note.size() * detailMetrics.averageCharWidth());
        titleWidth = std::min(room, box.title.size() * titleMetrics.averageCharWidth());
        detailWidth
            = std::min(corners ? room - noteWidth - 6 : room, box.detail.size() * detailMetrics.averageCharWidth());
    }
    if (m_style.layout == TextLayout::Corners) {
        const qreal bottomLine = rect.bottom() - detailMetrics.height() - 3;
        runs[count++]
            = { legible ? &box.shownTitle : &box.title, rect.left() + kCornersLeft, rect.top() + 3, titleWidth, true };
        runs[count++]
            = { legible ? &box.shownDetail : &box.detail, rect.left() + kCornersLeft, bottomLine, detailWidth, false };
        runs[count++] = { &box.note, rect.right() - kCornersRight - noteWidth, bottomLine, noteWidth, false };
    } else {
        const qreal block = titleMetrics.height() + 2 * detailMetrics.height();
        const qreal middle = rect.center().x() + 3;
        qreal y = rect.center().y() - block / 2;
        runs[count++] = { legible ? &box.shownTitle : &box.title, middle - titleWidth / 2, y, titleWidth, true };
        y += titleMetrics.height();
        runs[count++] = { legible ? &box.shownDetail : &box.detail, middle - detailWidth / 2, y, detailWidth, false };
        y += detailMetrics.height();
        runs[count++] = { &box.note, middle - noteWidth / 2, y, noteWidth, false };
    }
    for (int k = 0; k < count; ++k) {
        const Run& run = runs[k];
        if (run.text->isEmpty())
            continue;
        const QFontMetricsF& metrics = run.title ? titleMetrics : detailMetrics;
        const QColor& colour = run.title ? m_style.text : m_style.mutedText;
        if (legible) {
            painter->setPen(colour);
            painter->setFont(run.title ? m_style.titleFont : m_style.detailFont);
            painter->drawText(QPointF(run.x, run.top + metrics.ascent()), *run.text);
        } else {
            painter->fillRect(
                QRectF(run.x, run.top + metrics.height() * 0.3, run.width, metrics.height() * 0.4), faded(colour, 90));
        }
    }
}

void FlowDrawing::paintTags(QPainter* painter, const std::vector<int>& ids, qreal lod) const
{
    const qreal pixels = m_tagHeight * lod;
    if (pixels < kGreekPixels)
        return;
    const bool legible = pixels >= kLegiblePixels;
    const QColor back = faded(m_style.base, 225);
    const QFontMetricsF& metrics = m_tagMetrics;
    for (const int id : ids) {
        const Tag& tag = m_tags[size_t(id)];
        const QColor& colour = tag.kind == TagKind::Warning ? m_style.orphan
            : tag.kind == TagKind::Critical                 ? m_style.critical
                                                            : m_style.mutedText;
        painter->setPen(Qt::NoPen);
        painter->setBrush(back);
        painter->drawRoundedRect(tag.back, 3, 3);
        const QRectF text = tag.back.adjusted(3, 1, -3, -1);
        if (legible) {
            painter->setFont(tag.kind == TagKind::Plain ? m_style.tagFont : m_style.tagBoldFont);
            painter->setPen(colour);
            painter->drawText(QPointF(text.left(), text.top() + metrics.ascent()), tag.text);
        } else {
            painter->fillRect(QRectF(text.left(), text.top() + text.height() * 0.3, text.width(), text.height() * 0.4),
                faded(colour, 110));
        }
    }
}

} // namespace eventscope
