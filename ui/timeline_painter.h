#pragma once
// Draws a TimelineWidget: the track with its ticks or density histogram, the axis' labels, and the cursor, the
// pins and the failure mark over them. It is the widget's paintEvent() split off, so it reads the widget's
// state directly (as a friend) instead of copying it each frame.

#include "ui/timeline_axis.h"

#include <vector>

class QPainter;

namespace eventscope {

class TimelineWidget;

class TimelinePainter
{
public:
    static void paint(const TimelineWidget& w, QPainter& p);

private:
    static void paintTrack(const TimelineWidget& w, QPainter& p, const std::vector<TimelineAxis::Mark>& marks);
    static void paintAxis(const TimelineWidget& w, QPainter& p, const std::vector<TimelineAxis::Mark>& marks);
    static void paintMarkers(const TimelineWidget& w, QPainter& p);
};

} // namespace eventscope
