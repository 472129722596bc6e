#pragma once
// Where the timeline's events lie along its axis, which stretch of it is in view, and what the axis reads
// there. A coordinate is µs after the first event (by time) or an event's index (by order); pixels are the
// widget's business. Lookups are binary searches: a stream may hold a million events.

#include <QFont>
#include <QString>

#include <utility>
#include <vector>

class QFontMetrics;

namespace eventscope {

struct TimelineEvent;

class TimelineAxis
{
public:
    struct Mark
    {
        double coord;
        QString label;
        QString context; // a second line: the date where it changes, or what the axis shows
    };

    // Events sorted by version. The view is left as it is: resetView() when the span changed.
    void setEvents(const std::vector<TimelineEvent>& events);
    void setIndexChosen(bool chosen) { m_indexChosen = chosen; }
    // By index when chosen, and also when all events share one instant.
    bool byIndex() const;

    double coordOf(int index) const { return byIndex() ? double(index) : m_coords[size_t(index)]; }
    double fullLo() const { return byIndex() ? -0.5 : 0.0; }
    double fullHi() const;
    double lo() const { return m_lo; }
    double hi() const { return m_hi; }
    bool isZoomed() const { return m_lo > fullLo() || m_hi < fullHi(); }
    void resetView();
    // Kept inside the full span and at least a few events or µs wide; false when the view is unchanged.
    bool setView(double lo, double hi);

    int lowerIndex(double coord) const; // first event at or after coord
    int upperIndex(double coord) const; // first event after coord
    std::pair<int, int> indicesInView() const { return { lowerIndex(m_lo), upperIndex(m_hi) - 1 }; }
    // The event in view nearest coord; of events sharing a time, the last: its state includes the others.
    int nearestIndex(double coord) const;

    // Labels spaced so that they do not touch in widthPx of the view. The events must be those last set.
    std::vector<Mark> marks(
        const std::vector<TimelineEvent>& events, double widthPx, const QFont& font, bool localTime) const;

    static QFont font(QFont widgetFont); // the axis' labels' font, a little smaller than the widget's
    static QString timeText(qint64 us, bool localTime, int fractionDigits); // date, time and zone

private:
    int count() const { return static_cast<int>(m_coords.size()); }
    std::vector<Mark> timeMarks(qint64 t0, double widthPx, const QFontMetrics& fm, bool localTime) const;
    std::vector<Mark> indexMarks(
        const std::vector<TimelineEvent>& events, double widthPx, const QFontMetrics& fm, bool localTime) const;

    std::vector<double> m_coords; // µs after the first event, made non-decreasing so binary search holds
    bool m_indexChosen = false;
    double m_lo = 0, m_hi = 1;
};

} // namespace eventscope
