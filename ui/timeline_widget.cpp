#include "ui/timeline_widget.h"

#include "ui/timeline_painter.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace eventscope {
namespace {

constexpr int kInset = 12; // events stay clear of the track's rounded ends
constexpr int kBucketWidths[] = { 3, 4, 6, 8, 12 }; // a histogram column: a bar and a 1 px gap

} // namespace

TimelineWidget::TimelineWidget(QWidget* parent)
    : QWidget(parent)
{
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent); // every pixel is painted: nothing to erase first
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setAccessibleName(tr("Timeline"));
}

void TimelineWidget::setEvents(std::vector<TimelineEvent> events)
{
    const std::optional<qint64> keep = m_current >= 0 ? std::optional(currentVersion()) : m_wanted;
    m_events = std::move(events);
    const auto byVersion = [](const TimelineEvent& a, const TimelineEvent& b) { return a.version < b.version; };
    if (!std::is_sorted(m_events.begin(), m_events.end(), byVersion))
        std::stable_sort(m_events.begin(), m_events.end(), byVersion);
    m_scale.setEvents(m_events);
    const bool keepIt = keep && count() > 0 && *keep >= m_events.front().version && *keep <= m_events.back().version;
    m_current = keepIt ? indexOfVersion(*keep) : count() - 1;
    m_hover = -1;
    m_drag = Drag::None;
    m_scale.resetView();
    viewChanged();
}

void TimelineWidget::setTypeNames(QStringList names)
{
    m_typeNames = std::move(names);
    update();
}

void TimelineWidget::setAxis(Axis axis)
{
    if (axis == m_axis)
        return;
    m_axis = axis;
    m_scale.setIndexChosen(axis == Axis::Index);
    m_scale.resetView();
    viewChanged();
}

TimelineWidget::Axis TimelineWidget::effectiveAxis() const
{
    return m_scale.byIndex() ? Axis::Index : Axis::Time;
}

void TimelineWidget::setLocalTime(bool local)
{
    m_localTime = local;
    update();
}

void TimelineWidget::setCurrentVersion(qint64 version)
{
    m_wanted = version;
    if (count() > 0)
        moveCursorTo(std::max(0, indexOfVersion(version)), false);
}

qint64 TimelineWidget::currentVersion() const
{
    return m_current >= 0 && m_current < count() ? m_events[size_t(m_current)].version : m_wanted.value_or(-1);
}

void TimelineWidget::setPins(std::optional<qint64> versionA, std::optional<qint64> versionB)
{
    m_pinA = versionA;
    m_pinB = versionB;
    update();
}

void TimelineWidget::setFailedVersion(std::optional<qint64> version)
{
    m_failed = version;
    update();
}

void TimelineWidget::setZoomRange(qint64 from, qint64 to)
{
    if (count() == 0)
        return;
    if (from > to)
        std::swap(from, to);
    if (effectiveAxis() == Axis::Time) {
        const qint64 t0 = m_events.front().time;
        setView(double(from - t0), double(to - t0));
        return;
    }
    const auto first = std::lower_bound(
        m_events.begin(), m_events.end(), from, [](const TimelineEvent& e, qint64 v) { return e.version < v; });
    const int a = std::min(count() - 1, int(first - m_events.begin()));
    const int b = std::max(0, indexOfVersion(to));
    setView(a - 0.5, std::max(a, b) + 0.5);
}

qint64 TimelineWidget::zoomFrom() const
{
    if (count() == 0)
        return 0;
    if (effectiveAxis() == Axis::Time)
        return m_events.front().time + std::llround(m_scale.lo());
    return m_events[size_t(std::min(count() - 1, m_scale.lowerIndex(m_scale.lo())))].version;
}

qint64 TimelineWidget::zoomTo() const
{
    if (count() == 0)
        return 0;
    if (effectiveAxis() == Axis::Time)
        return m_events.front().time + std::llround(m_scale.hi());
    return m_events[size_t(std::max(0, m_scale.upperIndex(m_scale.hi()) - 1))].version;
}

bool TimelineWidget::isZoomed() const
{
    return m_scale.isZoomed();
}

void TimelineWidget::resetZoom()
{
    setView(m_scale.fullLo(), m_scale.fullHi());
}

QRect TimelineWidget::trackRect() const
{
    const int axisHeight = 8 + 2 * QFontMetrics(TimelineAxis::font(font())).height();
    return QRect(kMargin, kMarkerBand, width() - 2 * kMargin, std::max(16, height() - kMarkerBand - axisHeight));
}

std::optional<int> TimelineWidget::xForVersion(qint64 version) const
{
    const int i = exactIndexOfVersion(version);
    if (i < 0 || m_scale.coordOf(i) < m_scale.lo() || m_scale.coordOf(i) > m_scale.hi())
        return std::nullopt;
    return int(std::lround(xOf(m_scale.coordOf(i))));
}

std::optional<qint64> TimelineWidget::versionAt(int x) const
{
    const int i = nearestIndexAt(x);
    return i < 0 ? std::nullopt : std::optional(m_events[size_t(i)].version);
}

QStringList TimelineWidget::axisLabels() const
{
    QStringList labels;
    for (const AxisMark& mark : axisMarks())
        if (!mark.label.isEmpty())
            labels << mark.label;
    return labels;
}

QSize TimelineWidget::sizeHint() const
{
    const int axisHeight = 8 + 2 * QFontMetrics(TimelineAxis::font(font())).height();
    return QSize(480, std::max(110, kMarkerBand + 52 + axisHeight));
}

QSize TimelineWidget::minimumSizeHint() const
{
    return QSize(160, kMarkerBand + 28 + 8 + 2 * QFontMetrics(TimelineAxis::font(font())).height());
}

QRectF TimelineWidget::contentRect() const
{
    return QRectF(trackRect()).adjusted(kInset, 5, -kInset, -5);
}

double TimelineWidget::xOf(double coord) const
{
    const QRectF c = contentRect();
    return c.left() + (coord - m_scale.lo()) / (m_scale.hi() - m_scale.lo()) * std::max(1.0, c.width());
}

double TimelineWidget::coordAt(double x) const
{
    const QRectF c = contentRect();
    return m_scale.lo() + (x - c.left()) / std::max(1.0, c.width()) * (m_scale.hi() - m_scale.lo());
}

int TimelineWidget::indexOfVersion(qint64 version) const
{
    const auto after = std::upper_bound(
        m_events.begin(), m_events.end(), version, [](qint64 v, const TimelineEvent& e) { return v < e.version; });
    return int(after - m_events.begin()) - 1;
}

int TimelineWidget::exactIndexOfVersion(qint64 version) const
{
    const int i = indexOfVersion(version);
    return i >= 0 && m_events[size_t(i)].version == version ? i : -1;
}

int TimelineWidget::nearestIndexAt(double x) const
{
    if (count() == 0)
        return -1;
    const QRectF c = contentRect();
    return m_scale.nearestIndex(coordAt(std::clamp(x, c.left(), c.right())));
}

void TimelineWidget::setView(double lo, double hi)
{
    if (m_scale.setView(lo, hi))
        viewChanged();
}

void TimelineWidget::viewChanged()
{
    m_bucketsDirty = true;
    update();
    emit zoomChanged(zoomFrom(), zoomTo());
}

void TimelineWidget::zoomAround(double x, double factor)
{
    const QRectF c = contentRect();
    const double anchor = coordAt(std::clamp(x, c.left(), c.right()));
    setView(anchor - (anchor - m_scale.lo()) * factor, anchor + (m_scale.hi() - anchor) * factor);
}

void TimelineWidget::ensureIndexVisible(int index)
{
    const double coord = m_scale.coordOf(index), span = m_scale.hi() - m_scale.lo();
    if (coord < m_scale.lo())
        setView(coord - 0.1 * span, coord + 0.9 * span);
    else if (coord > m_scale.hi())
        setView(coord - 0.9 * span, coord + 0.1 * span);
}

void TimelineWidget::moveCursorTo(int index, bool byUser)
{
    if (index < 0 || index >= count() || index == m_current)
        return;
    m_current = index;
    m_wanted = m_events[size_t(index)].version;
    if (m_drag != Drag::Cursor) // a drag keeps the view still under the mouse
        ensureIndexVisible(index);
    update();
    if (byUser)
        emit currentVersionChanged(m_events[size_t(index)].version);
}

QString TimelineWidget::tooltipText(int index, int columnCount) const
{
    const TimelineEvent& e = m_events[size_t(index)];
    const QString type = e.typeIndex >= 0 && e.typeIndex < m_typeNames.size() ? m_typeNames.at(e.typeIndex)
                                                                              : tr("type %1").arg(e.typeIndex);
    QString text = tr("<b>Version %1</b> &nbsp;%2<br>%3")
                       .arg(e.version)
                       .arg(type.toHtmlEscaped(), TimelineAxis::timeText(e.time, m_localTime, 6));
    if (columnCount > 1)
        text += QStringLiteral("<br><i>") + tr("%n events in this column", nullptr, columnCount)
            + QStringLiteral("</i>");
    return text;
}

std::vector<TimelineWidget::AxisMark> TimelineWidget::axisMarks() const
{
    return m_scale.marks(m_events, contentRect().width(), TimelineAxis::font(font()), m_localTime);
}

const std::vector<int>& TimelineWidget::bucketStarts() const
{
    if (!m_bucketsDirty)
        return m_bucketStarts;
    const QRectF c = contentRect();
    // Columns wide enough to hold a few events each, so that a sparse view is not a comb of equal bars.
    const auto [a, b] = m_scale.indicesInView();
    const double perPx = std::max(1, b - a + 1) / std::max(1.0, c.width());
    m_bucketPx
        = *std::find_if(std::begin(kBucketWidths), std::end(kBucketWidths) - 1, [&](int w) { return w * perPx >= 4; });
    const int columns = std::max(1, int(std::ceil(c.width() / m_bucketPx)));
    m_bucketStarts.resize(size_t(columns) + 1);
    for (int k = 1; k < columns; ++k)
        m_bucketStarts[size_t(k)] = m_scale.lowerIndex(coordAt(c.left() + k * m_bucketPx));
    m_bucketStarts.front() = m_scale.lowerIndex(m_scale.lo());
    m_bucketStarts.back() = m_scale.upperIndex(m_scale.hi());
    m_bucketsDirty = false;
    return m_bucketStarts;
}

void TimelineWidget::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    TimelinePainter::paint(*this, p);
}
bool TimelineWidget::event(QEvent* e)
{
    if (e->type() == QEvent::ToolTip) {
        const auto* help = static_cast<QHelpEvent*>(e);
        const int i = help->pos().y() <= trackRect().bottom() ? nearestIndexAt(help->pos().x()) : -1;
        if (i < 0) {
            QToolTip::hideText();
            e->ignore();
            return true;
        }
        int inColumn = 1;
        const auto [a, b] = m_scale.indicesInView();
        if ((b - a + 1) * kTickSpacing > contentRect().width()) {
            const std::vector<int>& starts = bucketStarts();
            const auto k = size_t(
                std::clamp(int((help->pos().x() - contentRect().left()) / m_bucketPx), 0, int(starts.size()) - 2));
            inColumn = starts[k + 1] - starts[k];
        }
        // Tied to a few pixels, so that moving on to the next event brings that one's tip.
        QToolTip::showText(
            help->globalPos(), tooltipText(i, inColumn), this, QRect(help->pos().x() - 3, 0, 7, height()));
        return true;
    }
    if (e->type() == QEvent::FontChange)
        m_bucketsDirty = true;
    return QWidget::event(e);
}

void TimelineWidget::resizeEvent(QResizeEvent* e)
{
    m_bucketsDirty = true;
    QWidget::resizeEvent(e);
}

void TimelineWidget::mousePressEvent(QMouseEvent* e)
{
    if (count() == 0)
        return QWidget::mousePressEvent(e);
    const double x = e->position().x();
    if (e->button() == Qt::LeftButton) {
        m_dragStartX = m_dragX = x;
        const bool onAxis = e->position().y() > trackRect().bottom();
        m_drag = onAxis || (e->modifiers() & Qt::ShiftModifier) ? Drag::Range : Drag::Cursor;
        if (m_drag == Drag::Cursor)
            moveCursorTo(nearestIndexAt(x), true);
    } else if (e->button() == Qt::MiddleButton) {
        m_drag = Drag::Pan;
        m_dragStartX = x;
        m_panStartLo = m_scale.lo();
    }
    update();
}

void TimelineWidget::mouseMoveEvent(QMouseEvent* e)
{
    const double x = e->position().x();
    switch (m_drag) {
    case Drag::Cursor:
        moveCursorTo(nearestIndexAt(x), true);
        break;
    case Drag::Range:
        m_dragX = x;
        update();
        break;
    case Drag::Pan: {
        const double span = m_scale.hi() - m_scale.lo();
        const double lo = m_panStartLo - (x - m_dragStartX) / std::max(1.0, contentRect().width()) * span;
        setView(lo, lo + span);
        break;
    }
    case Drag::None: {
        const int hover = e->position().y() <= trackRect().bottom() ? nearestIndexAt(x) : -1;
        if (hover != m_hover) {
            m_hover = hover;
            update();
        }
    }
    }
}

void TimelineWidget::mouseReleaseEvent(QMouseEvent* e)
{
    if (m_drag == Drag::Range) {
        m_dragX = e->position().x();
        if (std::abs(m_dragX - m_dragStartX) >= 4)
            setView(coordAt(std::min(m_dragStartX, m_dragX)), coordAt(std::max(m_dragStartX, m_dragX)));
        else // a click, not a drag: it moves the cursor like a click on the track
            moveCursorTo(nearestIndexAt(m_dragX), true);
    }
    m_drag = Drag::None;
    update();
}

void TimelineWidget::mouseDoubleClickEvent(QMouseEvent* e)
{
    if (e->button() == Qt::LeftButton)
        resetZoom();
}

void TimelineWidget::wheelEvent(QWheelEvent* e)
{
    if (count() == 0)
        return QWidget::wheelEvent(e);
    const QPoint delta = e->angleDelta();
    if (std::abs(delta.x()) > std::abs(delta.y()) || (e->modifiers() & Qt::ShiftModifier)) {
        const double steps = (delta.x() != 0 ? delta.x() : delta.y()) / 120.0, span = m_scale.hi() - m_scale.lo();
        setView(m_scale.lo() - steps * 0.1 * span, m_scale.hi() - steps * 0.1 * span);
    } else {
        zoomAround(e->position().x(), std::pow(0.8, delta.y() / 120.0));
    }
    e->accept();
}

void TimelineWidget::keyPressEvent(QKeyEvent* e)
{
    if (count() == 0)
        return QWidget::keyPressEvent(e);
    const auto [a, b] = m_scale.indicesInView();
    const int page = std::max(1, int(std::lround(0.1 * std::max(0, b - a + 1))));
    const int cursor = std::max(0, m_current);
    int target;
    switch (e->key()) {
    case Qt::Key_Left:
        target = cursor - 1;
        break;
    case Qt::Key_Right:
        target = cursor + 1;
        break;
    case Qt::Key_Home:
        target = 0;
        break;
    case Qt::Key_End:
        target = count() - 1;
        break;
    case Qt::Key_PageUp: // forward, as on QSlider
        target = cursor + page;
        break;
    case Qt::Key_PageDown:
        target = cursor - page;
        break;
    case Qt::Key_Plus:
    case Qt::Key_Equal:
    case Qt::Key_Minus:
        zoomAround(xOf(m_scale.coordOf(cursor)), e->key() == Qt::Key_Minus ? 2.0 : 0.5);
        return;
    case Qt::Key_Escape:
        if (m_drag == Drag::Range) {
            m_drag = Drag::None;
            update();
            return;
        }
        [[fallthrough]];
    default:
        return QWidget::keyPressEvent(e);
    }
    moveCursorTo(std::clamp(target, 0, count() - 1), true);
}

void TimelineWidget::leaveEvent(QEvent* e)
{
    m_hover = -1;
    update();
    QWidget::leaveEvent(e);
}

} // namespace eventscope
