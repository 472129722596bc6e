#include "ui/flow_time_axis.h"

#include <QStringList>

#include <algorithm>
#include <cmath>

using namespace Qt::Literals::StringLiterals;

namespace eventscope {
namespace {

constexpr qreal kTypicalStep = 48; // the flow's median gap between events, in scene units
constexpr qreal kMinStep = 6; // a later event is never drawn at the same x
constexpr qreal kMinSpan = 900; // a short flow is stretched to about this width ...
constexpr double kMaxStretch = 4; // ... but no more than this
constexpr double kBreakRatio = 10; // a gap this many times the median is cut short ...
constexpr qreal kBreakBand = 80; // ... to a band this wide after the boxes before it
constexpr qreal kBreakMargin = 8; // between the band and the boxes either side

QString quantity(double value, int decimals, const QString& unit)
{
    return QString::number(value, 'f', decimals) + QLatin1Char(' ') + unit;
}

// The decimals that show a step of `step` µs in a unit of `unit` µs.
int decimalsFor(qint64 step, qint64 unit)
{
    int decimals = 0;
    for (qint64 resolution = unit; resolution > step && resolution > 1 && decimals < 6; resolution /= 10)
        ++decimals;
    return decimals;
}

// An offset from the flow's start as a tick label, as precise as the ticks' step needs.
QString tickLabel(qint64 offset, qint64 step)
{
    if (offset == 0)
        return u"0"_s;
    if (offset < 1000)
        return quantity(double(offset), 0, u"µs"_s);
    if (offset < 1'000'000)
        return quantity(double(offset) / 1e3, decimalsFor(step, 1000), u"ms"_s);
    if (offset < 60'000'000)
        return quantity(double(offset) / 1e6, decimalsFor(step, 1'000'000), u"s"_s);
    const qint64 hours = offset / 3'600'000'000;
    const qint64 minutes = offset / 60'000'000 % 60;
    const qint64 rest = offset % 60'000'000;
    QStringList parts;
    if (hours > 0)
        parts << QStringLiteral("%1 h").arg(hours);
    if (minutes > 0 || (hours > 0 && rest > 0))
        parts << QStringLiteral("%1 min").arg(minutes);
    if (rest > 0)
        parts << quantity(double(rest) / 1e6, decimalsFor(step, 1'000'000), u"s"_s);
    return parts.join(QLatin1Char(' '));
}

// The first round step of at least `micros`, in the units people count time in.
qint64 niceStep(double micros)
{
    static constexpr qint64 steps[] = { 1, 2, 5, 10, 20, 50, 100, 200, 500, 1'000, 2'000, 5'000, 10'000, 20'000, 50'000,
        100'000, 200'000, 500'000, 1'000'000, 2'000'000, 5'000'000, 10'000'000, 15'000'000, 30'000'000, 60'000'000,
        120'000'000, 300'000'000, 600'000'000, 900'000'000, 1'800'000'000, 3'600'000'000, 7'200'000'000, 10'800'000'000,
        21'600'000'000, 43'200'000'000, 86'400'000'000 };
    for (const qint64 step : steps)
        if (double(step) >= micros)
            return step;
    const qint64 day = steps[std::size(steps) - 1];
    return day * qint64(std::ceil(micros / double(day)));
}

} // namespace

void FlowTimeAxis::place(
    const std::vector<Event>& events, const std::vector<int>& laneOf, size_t laneCount, qreal boxWidth, qreal boxGap)
{
    m_boxWidth = boxWidth;
    m_boxGap = boxGap;
    m_left.clear();
    m_segments.clear();
    m_pxPerMicro = 0;
    if (events.empty())
        return;
    m_startTime = events.front().time;
    std::vector<qint64> gaps;
    for (size_t i = 1; i < events.size(); ++i)
        if (events[i].time > events[i - 1].time)
            gaps.push_back(events[i].time - events[i - 1].time);
    double median = 1;
    if (!gaps.empty()) {
        std::nth_element(gaps.begin(), gaps.begin() + qsizetype(gaps.size() / 2), gaps.end());
        median = double(gaps[gaps.size() / 2]);
    }
    placeAt(events, laneOf, laneCount, kTypicalStep / median, median * kBreakRatio);
    const qreal span = right() - boxWidth;
    if (!gaps.empty() && span < kMinSpan)
        placeAt(events, laneOf, laneCount,
            kTypicalStep / median * std::min(kMaxStretch, kMinSpan / std::max<qreal>(span, 1)), median * kBreakRatio);
}

void FlowTimeAxis::placeAt(const std::vector<Event>& events, const std::vector<int>& laneOf, size_t laneCount,
    double pxPerMicro, double breakAbove)
{
    m_left.assign(events.size(), 0);
    m_segments.clear();
    m_pxPerMicro = pxPerMicro;
    std::vector<qreal> laneEnd(laneCount, -1e300);
    qreal atThisTime = 0; // where the first event of the current instant went: the others line up with it
    qreal furthest = 0;
    for (size_t i = 0; i < events.size(); ++i) {
        const bool later = i > 0 && events[i].time > events[i - 1].time;
        qreal natural = atThisTime;
        bool broken = false;
        if (later) {
            const qint64 gap = events[i].time - events[i - 1].time;
            broken = double(gap) > breakAbove;
            natural = furthest
                + (broken ? m_boxWidth + kBreakBand + 2 * kBreakMargin
                          : std::max(qreal(double(gap) * pxPerMicro), kMinStep));
        }
        qreal& end = laneEnd[size_t(laneOf[i])];
        m_left[i] = std::max(natural, end + m_boxGap);
        end = m_left[i] + m_boxWidth;
        if (later)
            m_segments.push_back({ events[i - 1].time, events[i].time, furthest, m_left[i], broken });
        if (later || i == 0)
            atThisTime = m_left[i];
        furthest = std::max(furthest, m_left[i]);
    }
}

qreal FlowTimeAxis::right() const
{
    return m_left.empty() ? 0 : *std::max_element(m_left.begin(), m_left.end()) + m_boxWidth;
}

std::vector<FlowTimeAxis::Break> FlowTimeAxis::breaks() const
{
    std::vector<Break> out;
    for (const Segment& segment : m_segments)
        if (segment.broken)
            out.push_back({ segment.fromX + m_boxWidth + kBreakMargin, segment.toX - kBreakMargin,
                segment.toTime - segment.fromTime });
    return out;
}

std::vector<FlowTimeAxis::Tick> FlowTimeAxis::ticks(qreal from, qreal to, qreal spacing) const
{
    std::vector<Tick> out;
    if (m_left.empty())
        return out;
    if (m_segments.empty() || m_pxPerMicro <= 0) {
        if (from <= m_left.front() && m_left.front() <= to)
            out.push_back({ m_left.front(), tickLabel(0, 1) });
        return out;
    }
    const qint64 step = niceStep(spacing / m_pxPerMicro);
    auto segment = std::lower_bound(
        m_segments.begin(), m_segments.end(), from, [](const Segment& s, qreal x) { return s.toX < x; });
    qint64 last = -1;
    for (; segment != m_segments.end() && segment->fromX <= to; ++segment) {
        if (segment->broken)
            continue;
        const qint64 start = segment->fromTime - m_startTime, end = segment->toTime - m_startTime;
        const qreal width = segment->toX - segment->fromX;
        const auto xOf
            = [&](qint64 t) { return segment->fromX + qreal(double(t - start) / double(end - start)) * width; };
        // Begin at the first tick in view: a segment may reach far to the left of it.
        qint64 first = start;
        if (from > segment->fromX && width > 0)
            first = start + qint64(double(end - start) * double((from - segment->fromX) / width));
        for (qint64 t = (first + step - 1) / step * step; t <= end; t += step) {
            if (t <= last)
                continue;
            last = t;
            if (xOf(t) > to)
                break;
            out.push_back({ xOf(t), tickLabel(t, step) });
        }
    }
    return out;
}

} // namespace eventscope
