#include "ui/timeline_axis.h"

#include "ui/timeline_widget.h"

#include <QDateTime>
#include <QFontMetrics>

#include <algorithm>
#include <cmath>

namespace eventscope {
namespace {

constexpr qint64 kSecond = 1'000'000, kMinute = 60 * kSecond, kHour = 60 * kMinute, kDay = 24 * kHour;

qint64 floorDiv(qint64 a, qint64 b)
{
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

QDateTime dateTimeAt(qint64 us, bool local)
{
    return QDateTime::fromMSecsSinceEpoch(floorDiv(us, 1000), local ? Qt::LocalTime : Qt::UTC);
}

qint64 usOf(const QDateTime& dt)
{
    return dt.toMSecsSinceEpoch() * 1000;
}

// format as QDateTime takes it, then fractionDigits (3 or 6) of the second
QString formatTime(qint64 us, bool local, const QString& format, int fractionDigits)
{
    QString text = dateTimeAt(us, local).toString(format);
    if (fractionDigits > 0) {
        const qint64 micros = us - floorDiv(us, kSecond) * kSecond;
        text += QLatin1Char('.')
            + QStringLiteral("%1").arg(
                fractionDigits == 3 ? micros / 1000 : micros, fractionDigits, 10, QLatin1Char('0'));
    }
    return text;
}

QString zoneName(qint64 us, bool local)
{
    return local ? dateTimeAt(us, true).timeZoneAbbreviation() : QStringLiteral("UTC");
}

} // namespace

void TimelineAxis::setEvents(const std::vector<TimelineEvent>& events)
{
    // A foreign store's clocks may step back; such an event is drawn at its predecessor's time.
    m_coords.resize(events.size());
    double running = 0;
    for (size_t i = 0; i < events.size(); ++i)
        m_coords[i] = running = std::max(running, double(events[i].time - events.front().time));
}

bool TimelineAxis::byIndex() const
{
    return m_indexChosen || count() < 2 || m_coords.back() <= 0;
}

double TimelineAxis::fullHi() const
{
    return byIndex() ? count() - 0.5 : m_coords.back();
}

void TimelineAxis::resetView()
{
    m_lo = fullLo();
    m_hi = fullHi();
}

bool TimelineAxis::setView(double lo, double hi)
{
    if (count() == 0)
        return false;
    const double full = fullHi() - fullLo();
    const double minSpan = std::min(full, byIndex() ? 3.0 : 10.0);
    if (hi - lo < minSpan) {
        const double mid = (lo + hi) / 2;
        lo = mid - minSpan / 2;
        hi = mid + minSpan / 2;
    }
    if (hi - lo >= full) {
        lo = fullLo();
        hi = fullHi();
    } else if (lo < fullLo()) {
        hi += fullLo() - lo;
        lo = fullLo();
    } else if (hi > fullHi()) {
        lo -= hi - fullHi();
        hi = fullHi();
    }
    if (lo == m_lo && hi == m_hi)
        return false;
    m_lo = lo;
    m_hi = hi;
    return true;
}

int TimelineAxis::lowerIndex(double coord) const
{
    if (byIndex())
        return int(std::clamp(std::ceil(coord), 0.0, double(count())));
    return int(std::lower_bound(m_coords.begin(), m_coords.end(), coord) - m_coords.begin());
}

int TimelineAxis::upperIndex(double coord) const
{
    if (byIndex())
        return int(std::clamp(std::floor(coord) + 1, 0.0, double(count())));
    return int(std::upper_bound(m_coords.begin(), m_coords.end(), coord) - m_coords.begin());
}

// Binary search over the events in view: a drag costs O(log n) per move, not a scan.
int TimelineAxis::nearestIndex(double coord) const
{
    auto [a, b] = indicesInView();
    if (a > b) {
        a = 0;
        b = count() - 1;
    }
    if (byIndex())
        return std::clamp(int(std::lround(coord)), a, b);
    const auto begin = m_coords.begin();
    const int after = int(std::lower_bound(begin + a, begin + b + 1, coord) - begin);
    const int before = after - 1;
    int i = after;
    if (after > b || (before >= a && coord - m_coords[size_t(before)] < m_coords[size_t(after)] - coord))
        i = before;
    return int(std::upper_bound(begin, m_coords.end(), m_coords[size_t(i)]) - begin) - 1;
}

std::vector<TimelineAxis::Mark> TimelineAxis::marks(
    const std::vector<TimelineEvent>& events, double widthPx, const QFont& font, bool localTime) const
{
    if (events.empty())
        return {};
    const QFontMetrics fm(font);
    return byIndex() ? indexMarks(events, widthPx, fm, localTime)
                     : timeMarks(events.front().time, widthPx, fm, localTime);
}

QFont TimelineAxis::font(QFont f)
{
    if (f.pointSizeF() > 0)
        f.setPointSizeF(f.pointSizeF() * 0.88);
    return f;
}

QString TimelineAxis::timeText(qint64 us, bool localTime, int fractionDigits)
{
    return formatTime(us, localTime, QStringLiteral("yyyy-MM-dd HH:mm:ss"), fractionDigits) + QLatin1Char(' ')
        + zoneName(us, localTime);
}

// Labels at round instants of the viewer's clock, the step chosen so that labels do not touch: the smallest of
// 1-2-5 µs … ms, 1-2-5-10-15-30 s and min, 1-2-3-6-12 h, days, weeks, months, years that leaves room for one.
std::vector<TimelineAxis::Mark> TimelineAxis::timeMarks(
    qint64 t0, double widthPx, const QFontMetrics& fm, bool localTime) const
{
    struct Step
    {
        qint64 us;
        int months;
    };
    static const Step steps[] = { { 1, 0 }, { 2, 0 }, { 5, 0 }, { 10, 0 }, { 20, 0 }, { 50, 0 }, { 100, 0 }, { 200, 0 },
        { 500, 0 }, { 1000, 0 }, { 2000, 0 }, { 5000, 0 }, { 10'000, 0 }, { 20'000, 0 }, { 50'000, 0 }, { 100'000, 0 },
        { 200'000, 0 }, { 500'000, 0 }, { kSecond, 0 }, { 2 * kSecond, 0 }, { 5 * kSecond, 0 }, { 10 * kSecond, 0 },
        { 15 * kSecond, 0 }, { 30 * kSecond, 0 }, { kMinute, 0 }, { 2 * kMinute, 0 }, { 5 * kMinute, 0 },
        { 10 * kMinute, 0 }, { 15 * kMinute, 0 }, { 30 * kMinute, 0 }, { kHour, 0 }, { 2 * kHour, 0 }, { 3 * kHour, 0 },
        { 6 * kHour, 0 }, { 12 * kHour, 0 }, { kDay, 0 }, { 2 * kDay, 0 }, { 7 * kDay, 0 }, { 0, 1 }, { 0, 2 },
        { 0, 3 }, { 0, 6 }, { 0, 12 }, { 0, 24 }, { 0, 60 }, { 0, 120 }, { 0, 240 }, { 0, 600 }, { 0, 1200 } };
    const auto formatOf = [](const Step& s) {
        if (s.months >= 12)
            return std::pair(QStringLiteral("yyyy"), 0);
        if (s.months > 0)
            return std::pair(QStringLiteral("MMM yyyy"), 0);
        if (s.us >= kDay)
            return std::pair(QStringLiteral("d MMM"), 0);
        if (s.us >= kMinute)
            return std::pair(QStringLiteral("HH:mm"), 0);
        return std::pair(QStringLiteral("HH:mm:ss"), s.us >= kSecond ? 0 : s.us >= 1000 ? 3 : 6);
    };
    const qint64 from = t0 + qint64(std::floor(m_lo)), to = t0 + qint64(std::ceil(m_hi));
    const double pxPerUs = std::max(1.0, widthPx) / std::max(1.0, m_hi - m_lo);
    const Step* step = std::end(steps) - 1;
    for (const Step& s : steps) {
        const auto [format, digits] = formatOf(s);
        const double spacing = (s.months ? s.months * 30.44 * kDay : double(s.us)) * pxPerUs;
        if (spacing >= fm.horizontalAdvance(formatTime(from, localTime, format, digits)) + 18) {
            step = &s;
            break;
        }
    }
    const auto [format, digits] = formatOf(*step);
    std::vector<qint64> instants;
    const Qt::TimeSpec spec = localTime ? Qt::LocalTime : Qt::UTC;
    if (step->us > 0 && step->us < kDay) {
        // Round in the viewer's clock, so that a zone half an hour off UTC still gets labels at :00.
        const qint64 offset = qint64(dateTimeAt(from, localTime).offsetFromUtc()) * kSecond;
        for (qint64 t = floorDiv(from + offset, step->us) * step->us - offset; t <= to && instants.size() < 400;
             t += step->us)
            if (t >= from)
                instants.push_back(t);
    } else {
        QDate d = dateTimeAt(from, localTime).date();
        if (step->months > 0)
            d = step->months < 12 ? QDate(d.year(), d.month() - (d.month() - 1) % step->months, 1)
                                  : QDate(d.year() - d.year() % (step->months / 12), 1, 1);
        else if (step->us == 7 * kDay)
            d = d.addDays(1 - d.dayOfWeek());
        else
            d = d.addDays(-(d.toJulianDay() % (step->us / kDay)));
        for (qint64 t = usOf(d.startOfDay(spec)); t <= to && instants.size() < 400; t = usOf(d.startOfDay(spec))) {
            if (t >= from)
                instants.push_back(t);
            d = step->months > 0 ? d.addMonths(step->months) : d.addDays(step->us / kDay);
        }
    }
    // A second line: the date (or year) where the view starts and wherever it changes, and the clock used.
    const QString contextFormat = step->months > 0 ? QString()
        : step->us >= kDay                         ? QStringLiteral("yyyy")
                                                   : QStringLiteral("yyyy-MM-dd");
    std::vector<Mark> marks;
    const QString zone = zoneName(from, localTime);
    marks.push_back({ m_lo, QString(),
        contextFormat.isEmpty() ? zone : formatTime(from, localTime, contextFormat, 0) + QLatin1Char(' ') + zone });
    QString lastContext = contextFormat.isEmpty() ? QString() : formatTime(from, localTime, contextFormat, 0);
    for (const qint64 t : instants) {
        const QString context = contextFormat.isEmpty() ? QString() : formatTime(t, localTime, contextFormat, 0);
        marks.push_back(
            { double(t - t0), formatTime(t, localTime, format, digits), context == lastContext ? QString() : context });
        lastContext = context;
    }
    return marks;
}

// Versions at round numbers, spaced like the time axis' labels.
std::vector<TimelineAxis::Mark> TimelineAxis::indexMarks(
    const std::vector<TimelineEvent>& events, double widthPx, const QFontMetrics& fm, bool localTime) const
{
    const double pxPerEvent = std::max(1.0, widthPx) / (m_hi - m_lo);
    const double room = fm.horizontalAdvance(QString::number(events.back().version)) + 18;
    qint64 step = 1;
    for (qint64 decade = 1; step * pxPerEvent < room; decade *= 10)
        for (const int k : { 1, 2, 5 })
            if (step * pxPerEvent < room)
                step = k * decade;
    std::vector<Mark> marks;
    const TimelineEvent& first = events.front();
    const bool oneInstant = m_coords.back() <= 0;
    marks.push_back({ m_lo, QString(),
        oneInstant ? TimelineWidget::tr("all at %1").arg(timeText(first.time, localTime, 6))
                   : TimelineWidget::tr("by version") });
    const auto [a, b] = indicesInView();
    if (a > b)
        return marks;
    // Versions usually run on by one, so the step is taken in versions and falls back to indices where they skip.
    const qint64 v = events[size_t(a)].version;
    for (qint64 i = a + (floorDiv(v + step - 1, step) * step - v); i <= b && marks.size() < 400; i += step)
        marks.push_back({ double(i), QString::number(events[size_t(i)].version), QString() });
    return marks;
}

} // namespace eventscope
