#pragma once
// A flow as text for other tools (DESIGN §6, §8): JSON, a Mermaid sequenceDiagram and Graphviz DOT. SVG and PNG
// come from flow_layout.h. Pure functions of the graph, so the window's export and `eventscope flow` agree.

#include "model/flow_graph.h"

#include <optional>
#include <string>

namespace eventscope {

enum class FlowFormat { Json, Mermaid, Dot, Svg, Png };

// "json", "mermaid", "dot", "svg", "png"; nothing for anything else.
std::optional<FlowFormat> parseFlowFormat(const std::string& name);
const char* flowFormatName(FlowFormat format);
const char* flowFormatSuffix(FlowFormat format); // ".json", ".mmd", ".dot", ".svg", ".png"

// The gap between cause and effect as people read it: "+0 µs", "+850 µs", "+12.4 ms", "+3.20 s", "+2 min 5 s",
// "+1 h 3 min"; negative when the effect's clock is behind: "-4.0 ms".
std::string formatFlowGap(Micros gap);

// Participants are the streams in order of first appearance; each event is a message from its cause's stream
// (with the gap) or, for a root, a note over its own stream; orphans say what they name; the critical path's
// messages are solid arrows, the rest dotted.
std::string flowToMermaid(const FlowGraph& flow);

// A digraph with one node per event (type, stream and version, time) and one edge per causation (labelled with
// the gap); nodes filled by category, the critical path in red, orphans dashed red, external causes as stubs.
std::string flowToDot(const FlowGraph& flow);

// The whole export in `format`, as written to a file or stdout (JSON pretty-printed, ending in a newline).
std::string exportFlow(const FlowGraph& flow, FlowFormat format);

} // namespace eventscope
