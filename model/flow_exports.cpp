#include "model/flow_exports.h"

#include "model/flow_layout.h"
#include "storage/time_format.h"

#include <cmath>
#include <cstdio>
#include <functional>
#include <initializer_list>
#include <map>
#include <set>

namespace eventscope {

namespace {

std::string fixed(double value, int decimals)
{
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    return text;
}

// Mermaid's message and alias text ends at a newline, ';' or '#'; '#' also starts its entity codes.
std::string mermaidText(const std::string& text)
{
    std::string escaped;
    for (const char c : text) {
        if (c == '#')
            escaped += "#35;";
        else if (c == ';')
            escaped += "#59;";
        else if (c == '\n' || c == '\r')
            escaped += ' ';
        else
            escaped += c;
    }
    return escaped;
}

// Inside a DOT double-quoted string; "\n" (backslash n) stays Graphviz's line break in labels.
std::string dotQuoted(const std::string& text)
{
    std::string quoted = "\"";
    for (const char c : text) {
        if (c == '"' || c == '\\')
            quoted += '\\';
        if (c == '\n' || c == '\r')
            quoted += ' ';
        else
            quoted += c;
    }
    return quoted + '"';
}

// Lines joined by Graphviz's line break, each escaped on its own so that no text can make a break of its own.
std::string dotLabel(std::initializer_list<std::string> lines)
{
    std::string label = "\"";
    bool first = true;
    for (const std::string& line : lines) {
        const std::string quoted = dotQuoted(line);
        if (!first)
            label += "\\n";
        first = false;
        label += quoted.substr(1, quoted.size() - 2);
    }
    return label + '"';
}

// One fill per category, the same for a category in every export.
const char* categoryFill(const std::string& category)
{
    static const char* const fills[] = { "#e3f2fd", "#e8f5e9", "#fff3e0", "#f3e5f5", "#e0f7fa", "#fce4ec", "#f1f8e9",
        "#ede7f6", "#fffde7", "#e0f2f1" };
    const std::size_t hash = std::hash<std::string> {}(category);
    return fills[hash % (sizeof fills / sizeof *fills)];
}

struct FlowMarks
{
    std::vector<int> causeOf; // index of the cause, or -1
    std::vector<const FlowEdge*> edgeTo;
    std::set<std::size_t> orphans, external, loops, critical;
    std::set<std::pair<std::size_t, std::size_t>> criticalEdges;

    explicit FlowMarks(const FlowGraph& flow)
        : causeOf(flow.events.size(), -1)
        , edgeTo(flow.events.size(), nullptr)
        , orphans(flow.orphans.begin(), flow.orphans.end())
        , external(flow.externalCauses.begin(), flow.externalCauses.end())
        , loops(flow.cycles.begin(), flow.cycles.end())
        , critical(flow.criticalPath.begin(), flow.criticalPath.end())
    {
        for (const FlowEdge& edge : flow.edges) {
            causeOf[edge.toIndex] = static_cast<int>(edge.fromIndex);
            edgeTo[edge.toIndex] = &edge;
        }
        for (std::size_t i = 1; i < flow.criticalPath.size(); ++i)
            criticalEdges.emplace(flow.criticalPath[i - 1], flow.criticalPath[i]);
    }
};

std::string missingCause(const Event& event)
{
    const auto cause = causeReferenceOf(event);
    return cause ? cause->describe() : std::string("its cause");
}

} // namespace

std::optional<FlowFormat> parseFlowFormat(const std::string& name)
{
    static const std::map<std::string, FlowFormat> formats { { "json", FlowFormat::Json },
        { "mermaid", FlowFormat::Mermaid }, { "dot", FlowFormat::Dot }, { "svg", FlowFormat::Svg },
        { "png", FlowFormat::Png } };
    const auto it = formats.find(name);
    return it == formats.end() ? std::nullopt : std::optional(it->second);
}

const char* flowFormatName(FlowFormat format)
{
    switch (format) {
    case FlowFormat::Json:
        return "json";
    case FlowFormat::Mermaid:
        return "mermaid";
    case FlowFormat::Dot:
        return "dot";
    case FlowFormat::Svg:
        return "svg";
    case FlowFormat::Png:
        return "png";
    }
    return "";
}

const char* flowFormatSuffix(FlowFormat format)
{
    switch (format) {
    case FlowFormat::Json:
        return ".json";
    case FlowFormat::Mermaid:
        return ".mmd";
    case FlowFormat::Dot:
        return ".dot";
    case FlowFormat::Svg:
        return ".svg";
    case FlowFormat::Png:
        return ".png";
    }
    return "";
}

std::string formatFlowGap(Micros gap)
{
    const std::string sign = gap < 0 ? "-" : "+";
    // Negating the lowest value would overflow; no real gap is that long.
    const std::uint64_t micros = gap < 0 ? static_cast<std::uint64_t>(-(gap + 1)) + 1 : static_cast<std::uint64_t>(gap);
    if (micros < 1000)
        return sign + std::to_string(micros) + " µs";
    if (micros < 1'000'000) {
        const double ms = micros / 1000.0;
        return sign + fixed(ms, ms < 10 ? 2 : ms < 100 ? 1 : 0) + " ms";
    }
    if (micros < 60'000'000) {
        const double s = micros / 1e6;
        return sign + fixed(s, s < 10 ? 2 : 1) + " s";
    }
    const std::uint64_t seconds = micros / 1'000'000;
    if (seconds < 3600)
        return sign + std::to_string(seconds / 60) + " min " + std::to_string(seconds % 60) + " s";
    if (seconds < 86400)
        return sign + std::to_string(seconds / 3600) + " h " + std::to_string(seconds % 3600 / 60) + " min";
    return sign + std::to_string(seconds / 86400) + " d " + std::to_string(seconds % 86400 / 3600) + " h";
}

std::string flowToMermaid(const FlowGraph& flow)
{
    const FlowMarks marks(flow);
    std::string text = "sequenceDiagram\n";
    text += "    %% correlation " + mermaidText(flow.correlation) + ": " + std::to_string(flow.events.size())
        + " events, " + std::to_string(flow.orphans.size()) + " orphans\n";
    std::map<std::string, std::string> participants;
    for (const Event& event : flow.events) {
        if (participants.contains(event.stream))
            continue;
        const std::string alias = "s" + std::to_string(participants.size() + 1);
        participants.emplace(event.stream, alias);
        text += "    participant " + alias + " as " + mermaidText(event.stream) + '\n';
    }
    for (std::size_t i = 0; i < flow.events.size(); ++i) {
        const Event& event = flow.events[i];
        const std::string& to = participants.at(event.stream);
        const std::string label = event.type + " v" + std::to_string(event.version);
        if (const FlowEdge* edge = marks.edgeTo[i]) {
            const std::string& from = participants.at(flow.events[edge->fromIndex].stream);
            const bool critical = marks.criticalEdges.contains({ edge->fromIndex, i });
            text += "    " + from + (critical ? "->>" : "-->>") + to + ": "
                + mermaidText(label + " " + formatFlowGap(edge->gapMicros)) + '\n';
        } else if (marks.orphans.contains(i)) {
            text += "    Note over " + to + ": " + mermaidText(label + " - cause missing: " + missingCause(event))
                + '\n';
        } else if (marks.external.contains(i)) {
            text += "    Note over " + to + ": " + mermaidText(label + " - caused outside this flow") + '\n';
        } else if (marks.loops.contains(i)) {
            text += "    Note over " + to + ": " + mermaidText(label + " - closes a causation loop") + '\n';
        } else {
            text += "    Note over " + to + ": " + mermaidText(label + " - start " + formatTime(event.time)) + '\n';
        }
    }
    return text;
}

std::string flowToDot(const FlowGraph& flow)
{
    const FlowMarks marks(flow);
    std::string text = "digraph flow {\n";
    text += "  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=12, labelloc=t, nodesep=0.25, ranksep=0.6, label="
        + dotQuoted("correlation " + flow.correlation) + "];\n";
    text += "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=10, color=\"#607d8b\", "
            "margin=\"0.12,0.06\"];\n";
    text += "  edge [fontname=\"Helvetica\", fontsize=9, color=\"#78909c\", fontcolor=\"#455a64\", arrowsize=0.7];\n";
    for (std::size_t i = 0; i < flow.events.size(); ++i) {
        const Event& event = flow.events[i];
        std::string attributes = "label="
            + dotLabel({ event.type, event.stream + " v" + std::to_string(event.version), formatTime(event.time) })
            + ", tooltip=" + dotQuoted(event.id) + ", fillcolor=\"" + categoryFill(categoryOf(event.stream)) + '"';
        if (marks.orphans.contains(i))
            attributes += ", style=\"rounded,filled,dashed\", color=\"#c62828\", penwidth=1.6";
        else if (marks.critical.contains(i))
            attributes += ", color=\"#d84315\", penwidth=2";
        text += "  e" + std::to_string(i) + " [" + attributes + "];\n";
    }
    for (const FlowEdge& edge : flow.edges) {
        std::string attributes = "label=" + dotQuoted(formatFlowGap(edge.gapMicros));
        if (marks.criticalEdges.contains({ edge.fromIndex, edge.toIndex }))
            attributes += ", color=\"#d84315\", fontcolor=\"#bf360c\", penwidth=2";
        text += "  e" + std::to_string(edge.fromIndex) + " -> e" + std::to_string(edge.toIndex) + " [" + attributes
            + "];\n";
    }
    for (const std::size_t i : flow.externalCauses) {
        const std::string stub = "x" + std::to_string(i);
        text += "  " + stub + " [shape=point, width=0.08, color=\"#90a4ae\", label=\"\"];\n";
        text += "  " + stub + " -> e" + std::to_string(i) + " [style=dashed, label=\"outside\"];\n";
    }
    text += "}\n";
    return text;
}

std::string exportFlow(const FlowGraph& flow, FlowFormat format)
{
    switch (format) {
    case FlowFormat::Json:
        return flowToJson(flow).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + '\n';
    case FlowFormat::Mermaid:
        return flowToMermaid(flow);
    case FlowFormat::Dot:
        return flowToDot(flow);
    case FlowFormat::Svg:
        return renderFlowImage(flow, FlowImageFormat::Svg);
    case FlowFormat::Png:
        return renderFlowImage(flow, FlowImageFormat::Png);
    }
    return {};
}

} // namespace eventscope
