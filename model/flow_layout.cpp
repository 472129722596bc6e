#include "model/flow_layout.h"

#include "model/flow_exports.h"
#include "storage/error.h"

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <string>

namespace eventscope {

namespace {

std::mutex& graphvizMutex()
{
    static std::mutex mutex;
    return mutex;
}

// One context for the process: making one loads every plugin, which costs more than a small layout.
GVC_t* context()
{
    static GVC_t* const gvc = gvContext();
    return gvc;
}

struct GraphCloser
{
    void operator()(Agraph_t* graph) const { agclose(graph); }
};
using GraphPointer = std::unique_ptr<Agraph_t, GraphCloser>;

// dot's classic ranking walks the graph quadratically in Graphviz 2.42 (a 5,000-event flow: 12 s); newrank ranks
// the same tree in milliseconds. Its x-placement (network simplex over every node and edge) is then the cost: a
// big flow gets a bounded number of iterations, which still yields a valid drawing, only a less compact one.
std::string dotFor(const FlowGraph& flow)
{
    std::string dot = flowToDot(flow);
    std::string settings = "\n  graph [newrank=true";
    const std::size_t events = flow.events.size();
    if (events > 400) {
        char limit[64];
        std::snprintf(limit, sizeof limit, ", nslimit=%.4f, mclimit=0.5", std::max(0.01, 200.0 / double(events)));
        settings += limit;
    }
    dot.insert(dot.find('{') + 1, settings + "];");
    return dot;
}

// A laid-out graph; freed (layout and graph) on destruction, under the caller's lock.
class LaidOut
{
public:
    explicit LaidOut(const FlowGraph& flow)
    {
        const std::string dot = dotFor(flow);
        m_graph.reset(agmemread(dot.c_str()));
        if (!m_graph)
            throw Error(ErrorKind::BadInput, "Graphviz could not read the flow's graph");
        if (gvLayout(context(), m_graph.get(), "dot") != 0)
            throw Error(ErrorKind::BadInput, "Graphviz could not lay the flow out");
    }
    ~LaidOut()
    {
        if (m_graph)
            gvFreeLayout(context(), m_graph.get());
    }
    LaidOut(const LaidOut&) = delete;
    LaidOut& operator=(const LaidOut&) = delete;

    Agraph_t* graph() const { return m_graph.get(); }

private:
    GraphPointer m_graph;
};

std::size_t eventIndexOf(Agnode_t* node)
{
    // Nodes are named e<index> by flowToDot; the stubs of external causes are x<index>.
    const char* name = agnameof(node);
    return name && name[0] == 'e' ? static_cast<std::size_t>(std::strtoull(name + 1, nullptr, 10))
                                  : static_cast<std::size_t>(-1);
}

} // namespace

FlowLayout layoutFlow(const FlowGraph& flow)
{
    FlowLayout layout;
    layout.nodes.resize(flow.events.size());
    layout.edges.resize(flow.edges.size());
    if (flow.events.empty())
        return layout;

    std::vector<std::size_t> edgeOfEffect(flow.events.size(), static_cast<std::size_t>(-1));
    for (std::size_t i = 0; i < flow.edges.size(); ++i)
        edgeOfEffect[flow.edges[i].toIndex] = i;

    const std::lock_guard lock(graphvizMutex());
    const LaidOut laidOut(flow);
    Agraph_t* graph = laidOut.graph();
    const boxf bounds = GD_bb(graph);
    layout.width = bounds.UR.x - bounds.LL.x;
    layout.height = bounds.UR.y - bounds.LL.y;
    const auto toPoint = [&bounds](pointf p) { return FlowPoint { p.x - bounds.LL.x, bounds.UR.y - p.y }; };

    for (Agnode_t* node = agfstnode(graph); node; node = agnxtnode(graph, node)) {
        const std::size_t index = eventIndexOf(node);
        if (index >= flow.events.size())
            continue;
        layout.nodes[index] = { toPoint(ND_coord(node)), ND_width(node) * 72.0, ND_height(node) * 72.0 };
        for (Agedge_t* edge = agfstin(graph, node); edge; edge = agnxtin(graph, edge)) {
            const std::size_t edgeIndex = edgeOfEffect[index];
            if (edgeIndex >= flow.edges.size() || eventIndexOf(agtail(edge)) != flow.edges[edgeIndex].fromIndex)
                continue;
            FlowEdgePath& path = layout.edges[edgeIndex];
            if (const splines* spline = ED_spl(edge); spline && spline->size > 0) {
                const bezier& curve = spline->list[0];
                for (int p = 0; p < curve.size; ++p)
                    path.bezier.push_back(toPoint(curve.list[p]));
                if (curve.eflag)
                    path.arrowTip = toPoint(curve.ep);
            }
            if (const textlabel_t* label = ED_label(edge))
                path.labelAt = toPoint(label->pos);
        }
    }
    return layout;
}

std::string renderFlowImage(const FlowGraph& flow, FlowImageFormat format)
{
    const std::lock_guard lock(graphvizMutex());
    const LaidOut laidOut(flow);
    char* data = nullptr;
    unsigned int length = 0;
    const char* device = format == FlowImageFormat::Svg ? "svg" : "png";
    if (gvRenderData(context(), laidOut.graph(), device, &data, &length) != 0 || !data)
        throw Error(ErrorKind::BadInput,
            std::string("Graphviz could not render the flow as ") + (format == FlowImageFormat::Svg ? "SVG" : "PNG")
                + " (is its " + device + " plugin installed?)");
    std::string bytes(data, length);
    gvFreeRenderData(data);
    return bytes;
}

} // namespace eventscope
