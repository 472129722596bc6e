#pragma once
// Lays a flow's causation graph out with Graphviz's dot, called as a library (gvc/cgraph), and renders it as
// SVG or PNG. Qt-free, so the command line and the window share one layout. Graphviz keeps global state, so
// every call here is serialised.

#include "model/flow_graph.h"

#include <optional>
#include <string>
#include <vector>

namespace eventscope {

// Points (1/72 inch), y growing downward, origin at the top left of the drawing.
struct FlowPoint
{
    double x = 0;
    double y = 0;
};

struct FlowNodeBox
{
    FlowPoint center;
    double width = 0;
    double height = 0;
};

struct FlowEdgePath
{
    // A cubic B-spline as Graphviz gives it: a start point, then three points per segment.
    std::vector<FlowPoint> bezier;
    std::optional<FlowPoint> arrowTip; // where the arrowhead points, past the spline's end
    FlowPoint labelAt; // the centre of the gap label
};

struct FlowLayout
{
    double width = 0;
    double height = 0;
    std::vector<FlowNodeBox> nodes; // parallel to FlowGraph::events
    std::vector<FlowEdgePath> edges; // parallel to FlowGraph::edges
};

// The causation graph left to right (roots on the left). Throws Error(BadInput) when Graphviz fails.
FlowLayout layoutFlow(const FlowGraph& flow);

enum class FlowImageFormat { Svg, Png };
// The same drawing as flowToDot() describes, rendered by Graphviz (PNG through its cairo plugin).
std::string renderFlowImage(const FlowGraph& flow, FlowImageFormat format);

} // namespace eventscope
