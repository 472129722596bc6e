#pragma once
// The swimlanes' compressed time axis (DESIGN §6): where each event's box goes along x, and the ticks that say
// when. Time runs to scale at the flow's own pace (its median gap between events sets the scale), except that a
// box never overlaps the one before it in its lane, so a crowded lane pushes the rest of the flow to the right,
// and a gap far longer than the median is cut short to a marked break. Plain geometry, no widget.

#include "storage/event.h"

#include <QString>
#include <QtGlobal>

#include <vector>

namespace eventscope {

class FlowTimeAxis
{
public:
    // One stretch of the axis between two consecutive event times, drawn to scale unless it is a break.
    struct Segment
    {
        qint64 fromTime = 0;
        qint64 toTime = 0;
        qreal fromX = 0;
        qreal toX = 0;
        bool broken = false;
    };
    struct Break
    {
        qreal left = 0; // clear of every box, before and after
        qreal right = 0;
        qint64 skipped = 0; // µs
    };
    struct Tick
    {
        qreal x = 0;
        QString label; // the offset from the first event: "0", "250 ms", "1.5 s", "2 h 5 min"
    };

    // `events` by time, each in lane laneOf[i] of laneCount; boxes are boxWidth wide and at least boxGap apart.
    void place(const std::vector<Event>& events, const std::vector<int>& laneOf, size_t laneCount, qreal boxWidth,
        qreal boxGap);
    const std::vector<qreal>& left() const { return m_left; } // each event's box's left edge
    qreal right() const; // where the last box ends
    qint64 startTime() const { return m_startTime; }
    const std::vector<Segment>& segments() const { return m_segments; }
    std::vector<Break> breaks() const;

    // Ticks at round offsets between x `from` and `to`, about `spacing` apart where the axis runs to scale.
    std::vector<Tick> ticks(qreal from, qreal to, qreal spacing) const;

private:
    void placeAt(const std::vector<Event>& events, const std::vector<int>& laneOf, size_t laneCount, double pxPerMicro,
        double breakAbove);

    std::vector<qreal> m_left;
    std::vector<Segment> m_segments;
    qint64 m_startTime = 0;
    double m_pxPerMicro = 0;
    qreal m_boxWidth = 0;
    qreal m_boxGap = 0;
};

} // namespace eventscope
