#pragma once
// The Flow tab's causation graph (DESIGN §6, §9): the layout Graphviz made for the flow (model/flow_layout.h),
// drawn with Qt so that it zooms, pans and answers clicks. Each event a box with its type, stream and version and
// time; each causation a curve labelled with the gap; orphans, external causes and the critical path marked.

#include "ui/flow_scene_view.h"

#include <memory>

namespace eventscope {

struct FlowResult;

class FlowGraphView : public FlowSceneView
{
    Q_OBJECT

public:
    explicit FlowGraphView(QWidget* parent = nullptr);

    // Nothing, or a flow without events, shows a line saying so. The selection is cleared.
    void setFlow(std::shared_ptr<const FlowResult> flow);

protected:
    double minimumReadableZoom() const override { return 0.5; }
    QString toolTipFor(int index) const override;

private:
    void rebuild();
    void drawNodes();
    void drawEdges();

    std::shared_ptr<const FlowResult> m_flow;
};

} // namespace eventscope
