#include "ui/timeline_painter.h"

#include "ui/timeline_widget.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace eventscope {
namespace {

bool isDark(const QPalette& p)
{
    return p.color(QPalette::Window).lightness() < 128;
}

QColor mix(const QColor& a, const QColor& b, double t)
{
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * t),
        float(a.greenF() + (b.greenF() - a.greenF()) * t), float(a.blueF() + (b.blueF() - a.blueF()) * t));
}

QColor withAlpha(QColor c, int alpha)
{
    c.setAlpha(alpha);
    return c;
}

// Tones that read on both light and dark tracks.
QColor tone(const QPalette& p, int hue)
{
    return isDark(p) ? QColor::fromHsv(hue, 140, 240) : QColor::fromHsv(hue, 210, 195);
}

QColor typeColor(const QPalette& p, int typeIndex)
{
    // Red is left out (it marks failure), and so is the highlight's hue (the cursor's), so that neither is taken
    // for a type.
    static constexpr int hues[] = { 140, 275, 30, 190, 320, 85, 230, 55, 250 };
    const int accent = p.color(QPalette::Highlight).hsvHue();
    int usable[std::size(hues)], n = 0;
    for (const int hue : hues)
        if (accent < 0 || std::min(std::abs(hue - accent), 360 - std::abs(hue - accent)) > 20)
            usable[n++] = hue;
    return tone(p, usable[((typeIndex % n) + n) % n]);
}

QColor failureColor(const QPalette& p)
{
    return isDark(p) ? QColor(0xf0, 0x5a, 0x5a) : QColor(0xd0, 0x21, 0x21);
}

} // namespace

void TimelinePainter::paint(const TimelineWidget& w, QPainter& p)
{
    p.setRenderHint(QPainter::Antialiasing);
    p.fillRect(w.rect(), w.palette().color(QPalette::Window));
    const std::vector<TimelineAxis::Mark> marks = w.axisMarks();
    paintTrack(w, p, marks);
    paintAxis(w, p, marks);
    paintMarkers(w, p);
}

void TimelinePainter::paintTrack(const TimelineWidget& w, QPainter& p, const std::vector<TimelineAxis::Mark>& marks)
{
    const QPalette& pal = w.palette();
    const QRectF track = QRectF(w.trackRect()).adjusted(0.5, 0.5, -0.5, -0.5);
    const QRectF c = w.contentRect();
    const QColor text = pal.color(QPalette::WindowText);
    p.setPen(w.hasFocus() ? QPen(pal.color(QPalette::Highlight), 1.5) : QPen(withAlpha(text, 50), 1));
    p.setBrush(pal.color(QPalette::Base));
    p.drawRoundedRect(track, 8, 8);
    if (w.count() == 0) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(track, Qt::AlignCenter, TimelineWidget::tr("No events"));
        return;
    }
    p.setPen(QPen(withAlpha(text, 22), 1));
    for (const TimelineAxis::Mark& mark : marks)
        if (!mark.label.isEmpty())
            p.drawLine(QPointF(std::floor(w.xOf(mark.coord)) + 0.5, track.top() + 1),
                QPointF(std::floor(w.xOf(mark.coord)) + 0.5, track.bottom() - 1));
    const auto clampedX = [&](int index) { return std::clamp(w.xOf(w.m_scale.coordOf(index)), c.left(), c.right()); };
    if (w.m_pinA && w.m_pinB) {
        const double xa = clampedX(std::max(0, w.indexOfVersion(*w.m_pinA))),
                     xb = clampedX(std::max(0, w.indexOfVersion(*w.m_pinB)));
        p.fillRect(QRectF(QPointF(std::min(xa, xb), track.top() + 1), QPointF(std::max(xa, xb), track.bottom() - 1)),
            withAlpha(text, 20));
    }
    const auto [a, b] = w.m_scale.indicesInView();
    if ((b - a + 1) * TimelineWidget::kTickSpacing <= c.width()) {
        for (int i = a; i <= b; ++i) {
            p.setPen(QPen(withAlpha(typeColor(pal, w.m_events[size_t(i)].typeIndex), i == w.m_current ? 255 : 215), 2,
                Qt::SolidLine, Qt::FlatCap));
            const double x = std::round(w.xOf(w.m_scale.coordOf(i)));
            p.drawLine(QPointF(x, c.top()), QPointF(x, c.bottom()));
        }
    } else {
        // Heights on a log-like scale: a column of 3 events stays visible beside one of 30,000, and one of 800
        // still stands clearly below it.
        const std::vector<int>& starts = w.bucketStarts();
        int most = 1;
        for (size_t k = 0; k + 1 < starts.size(); ++k)
            most = std::max(most, starts[k + 1] - starts[k]);
        const QColor bar = mix(pal.color(QPalette::Highlight), pal.color(QPalette::Base), 0.35);
        p.setRenderHint(QPainter::Antialiasing, false);
        for (size_t k = 0; k + 1 < starts.size(); ++k) {
            const int n = starts[k + 1] - starts[k];
            if (n == 0)
                continue;
            const double h = std::max(2.0, c.height() * std::log1p(30.0 * n / most) / std::log1p(30.0));
            const bool current = w.m_current >= starts[k] && w.m_current < starts[k + 1];
            const double left = c.left() + double(k) * w.m_bucketPx;
            p.fillRect(QRectF(left, c.bottom() - h,
                           std::min(w.m_bucketPx - (w.m_bucketPx >= 6 ? 2.0 : 1.0), c.right() - left), h),
                current ? pal.color(QPalette::Highlight) : bar);
        }
        p.setRenderHint(QPainter::Antialiasing);
    }
    if (w.isZoomed()) {
        // Where the view lies in the whole stream.
        const QRectF strip(c.left(), track.bottom() - 3.5, c.width(), 2);
        const double span = w.m_scale.fullHi() - w.m_scale.fullLo();
        p.fillRect(strip, withAlpha(text, 30));
        p.fillRect(QRectF(strip.left() + (w.m_scale.lo() - w.m_scale.fullLo()) / span * strip.width(), strip.top(),
                       std::max(2.0, (w.m_scale.hi() - w.m_scale.lo()) / span * strip.width()), strip.height()),
            withAlpha(pal.color(QPalette::Highlight), 200));
    }
    if (w.m_hover >= 0 && w.m_hover < w.count() && w.m_drag == TimelineWidget::Drag::None) {
        const double x = std::floor(w.xOf(w.m_scale.coordOf(w.m_hover))) + 0.5;
        if (x >= c.left() - 1 && x <= c.right() + 1) {
            p.setPen(QPen(withAlpha(text, 90), 1));
            p.drawLine(QPointF(x, track.top() + 1), QPointF(x, track.bottom() - 1));
        }
    }
    if (w.m_drag == TimelineWidget::Drag::Range) {
        const QRectF area(QPointF(std::min(w.m_dragStartX, w.m_dragX), track.top()),
            QPointF(std::max(w.m_dragStartX, w.m_dragX), track.bottom()));
        p.setPen(QPen(pal.color(QPalette::Highlight), 1));
        p.setBrush(withAlpha(pal.color(QPalette::Highlight), 50));
        p.drawRect(area.intersected(track));
    }
}

void TimelinePainter::paintAxis(const TimelineWidget& w, QPainter& p, const std::vector<TimelineAxis::Mark>& marks)
{
    const QPalette& pal = w.palette();
    const QColor text = pal.color(QPalette::WindowText);
    const QRect track = w.trackRect();
    p.setFont(TimelineAxis::font(w.font()));
    const QFontMetrics fm(p.font());
    const int row = fm.height();
    double labelEnd = -1e9, contextEnd = -1e9;
    const double width = w.width();
    for (const TimelineAxis::Mark& mark : marks) {
        const double x = mark.label.isEmpty() ? w.contentRect().left() : std::floor(w.xOf(mark.coord)) + 0.5;
        if (!mark.label.isEmpty()) {
            p.setPen(QPen(withAlpha(text, 120), 1));
            p.drawLine(QPointF(x, track.bottom() + 2), QPointF(x, track.bottom() + 6));
            const int advance = fm.horizontalAdvance(mark.label);
            const double left = std::max(double(TimelineWidget::kMargin),
                std::min(x - advance / 2.0, width - TimelineWidget::kMargin - advance));
            if (left > labelEnd + 6) {
                p.setPen(mix(text, pal.color(QPalette::Window), 0.2));
                p.drawText(QRectF(left, track.bottom() + 7, advance, row), Qt::AlignCenter, mark.label);
                labelEnd = left + advance;
            }
        }
        if (!mark.context.isEmpty()) {
            const int advance = fm.horizontalAdvance(mark.context);
            const double left = std::min(x - (mark.label.isEmpty() ? 0 : advance / 2.0), width - advance);
            if (left > contextEnd + 10) {
                p.setPen(mix(text, pal.color(QPalette::Window), 0.45));
                p.drawText(
                    QRectF(std::max(0.0, left), track.bottom() + 7 + row, advance, row), Qt::AlignCenter, mark.context);
                contextEnd = left + advance;
            }
        }
    }
}

void TimelinePainter::paintMarkers(const TimelineWidget& w, QPainter& p)
{
    if (w.count() == 0)
        return;
    const QPalette& pal = w.palette();
    const QRectF track = QRectF(w.trackRect()).adjusted(0.5, 0.5, -0.5, -0.5);
    const QRectF c = w.contentRect();
    const auto xInView = [&](int index) -> std::optional<double> {
        const double x = std::round(w.xOf(w.m_scale.coordOf(index)));
        return x >= c.left() - 1 && x <= c.right() + 1 ? std::optional(x) : std::nullopt;
    };
    QFont small = TimelineAxis::font(w.font());
    small.setBold(true);
    p.setFont(small);
    const QColor pin = pal.color(QPalette::WindowText);
    const std::pair<std::optional<qint64>, QString> pins[]
        = { { w.m_pinA, QStringLiteral("A") }, { w.m_pinB, QStringLiteral("B") } };
    for (const auto& [version, letter] : pins) {
        const auto x = version ? xInView(std::max(0, w.indexOfVersion(*version))) : std::nullopt;
        if (!x)
            continue;
        p.setPen(QPen(withAlpha(pin, 170), 1.5, Qt::DashLine));
        p.drawLine(QPointF(*x, 2), QPointF(*x, track.bottom()));
        // A flag on its pole, to the right, so that it does not hide under the cursor's handle.
        const QRectF flag(*x, 1, 14, 13);
        p.setPen(Qt::NoPen);
        p.setBrush(pin);
        p.drawRoundedRect(flag, 3, 3);
        p.setPen(pal.color(QPalette::Window));
        p.drawText(flag, Qt::AlignCenter, letter);
    }
    if (w.m_failed) {
        const int i = w.exactIndexOfVersion(*w.m_failed);
        if (const auto x = i >= 0 ? xInView(i) : std::nullopt) {
            const QColor red = failureColor(pal);
            p.setPen(QPen(red, 2, Qt::SolidLine, Qt::FlatCap));
            p.drawLine(QPointF(*x, track.top()), QPointF(*x, track.bottom()));
            const QRectF badge(*x - 7, track.bottom() - 7, 14, 14);
            p.setPen(QPen(pal.color(QPalette::Base), 1.5));
            p.setBrush(red);
            p.drawEllipse(badge);
            p.setPen(Qt::white);
            p.drawText(badge, Qt::AlignCenter, QStringLiteral("!"));
        }
    }
    const QColor accent = pal.color(QPalette::Highlight);
    const double mid = track.center().y();
    if (w.m_current < 0) {
        return;
    } else if (const auto x = xInView(w.m_current)) {
        // A halo in the track's colour keeps the line clear of the ticks and bars it crosses.
        p.setPen(QPen(pal.color(QPalette::Base), 4, Qt::SolidLine, Qt::FlatCap));
        p.drawLine(QPointF(*x, TimelineWidget::kMarkerBand), QPointF(*x, track.bottom() - 1));
        p.setPen(QPen(accent, 2, Qt::SolidLine, Qt::FlatCap));
        p.drawLine(QPointF(*x, TimelineWidget::kMarkerBand - 2), QPointF(*x, track.bottom()));
        QPainterPath handle, tip;
        handle.addRoundedRect(QRectF(*x - 7, 1, 14, TimelineWidget::kMarkerBand - 6), 3, 3);
        tip.moveTo(*x - 7, TimelineWidget::kMarkerBand - 8);
        tip.lineTo(*x + 7, TimelineWidget::kMarkerBand - 8);
        tip.lineTo(*x, TimelineWidget::kMarkerBand + 2);
        tip.closeSubpath();
        p.setPen(QPen(pal.color(QPalette::Base), 1));
        p.setBrush(accent);
        p.drawPath(handle.united(tip));
        p.setPen(QPen(withAlpha(pal.color(QPalette::HighlightedText), 190), 1));
        for (const double grip : { *x - 2.5, *x + 2.5 })
            p.drawLine(QPointF(grip, 4), QPointF(grip, TimelineWidget::kMarkerBand - 8));
    } else {
        // Out of view: a chevron at the side where it lies.
        const bool left = w.m_scale.coordOf(w.m_current) < w.m_scale.lo();
        const double edge = left ? track.left() + 4 : track.right() - 4, tip = left ? -1 : 1;
        const QPointF arrow[] = { { edge - tip * 6, mid - 6 }, { edge, mid }, { edge - tip * 6, mid + 6 } };
        p.setPen(QPen(accent, 2.5, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        p.drawPolyline(arrow, 3);
    }
}

} // namespace eventscope
