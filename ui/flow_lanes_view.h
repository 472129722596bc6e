#pragma once
// The Flow tab's swimlanes (DESIGN §6, §9): one lane per stream or per category, time across, each event a box
// and each causation an arrow labelled with the gap between cause and effect; orphans, external causes and the
// critical path marked. Time runs on a compressed axis: boxes in a lane never overlap, and a gap far longer than
// the flow's usual pace is cut short and marked as a break. The lane names and the time axis stay pinned at the
// left and top while the drawing pans and zooms.

#include "ui/flow_scene_view.h"
#include "ui/flow_time_axis.h"

#include <QStringList>

#include <memory>
#include <vector>

namespace eventscope {

struct FlowResult;

class FlowLanesView : public FlowSceneView
{
    Q_OBJECT

public:
    enum class Grouping { Stream, Category };
    Q_ENUM(Grouping)

    explicit FlowLanesView(QWidget* parent = nullptr);

    // Nothing, or a flow without events, shows a line saying so. The selection is cleared.
    void setFlow(std::shared_ptr<const FlowResult> flow);
    void setGrouping(Grouping grouping);
    Grouping grouping() const { return m_grouping; }

    int laneCount() const { return static_cast<int>(m_lanes.size()); }
    QStringList laneNames() const; // top to bottom: the order in which each lane's first event happened
    QStringList axisLabels() const; // the time axis' tick labels in view, left to right

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void drawBackground(QPainter* painter, const QRectF& rect) override;
    void viewChanged() override;
    QString toolTipFor(int index) const override;

private:
    struct Lane
    {
        QString name;
        int events = 0;
        int tone = 0; // the category's ordinal, so that a category keeps its colour in both groupings
    };
    struct Tick
    {
        qreal sceneX = 0;
        qreal viewX = 0; // in the viewport
        QString label;
    };

    void rebuild();
    void drawEvents(const std::vector<int>& laneOf);
    void drawArrows(const std::vector<int>& laneOf);
    std::vector<Tick> ticks() const; // those in view, as many as fit without their labels meeting
    QRectF breakBand(const FlowTimeAxis::Break& cut) const;
    void placePinnedParts();
    void paintLaneColumn(QPainter& painter) const;
    void paintTimeAxis(QPainter& painter) const;

    std::shared_ptr<const FlowResult> m_flow;
    Grouping m_grouping = Grouping::Stream;
    std::vector<Lane> m_lanes;
    FlowTimeAxis m_axis;
    int m_columnWidth = 0;
    QWidget* m_laneColumn;
    QWidget* m_timeAxis;
};

} // namespace eventscope
