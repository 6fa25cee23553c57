#include "report/graph_svg.h"

#include <fmt/format.h>

#include <algorithm>
#include <memory>

#include "graph/graphviz_api.h"

namespace causeway {
namespace {

// A DOT identifier: every name quoted, quotes and backslashes escaped.
std::string quoted(const std::string& name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string dot_text(const CausalGraph& g, const std::string& treatment, const std::string& outcome,
                     const std::vector<std::string>& adjustment) {
  std::string dot =
      "digraph causeway {\n  rankdir=LR; bgcolor=\"transparent\";\n"
      "  node [shape=ellipse, fontname=\"Helvetica\", fontsize=12, style=filled, "
      "fillcolor=\"white\"];\n  edge [color=\"#555555\"];\n";
  for (int v = 0; v < g.size(); ++v) {
    const std::string& name = g.names[static_cast<std::size_t>(v)];
    std::string style;
    if (name == treatment || name == outcome)
      style = "shape=box, penwidth=2.5, fillcolor=\"#fdebd0\"";
    else if (std::find(adjustment.begin(), adjustment.end(), name) != adjustment.end())
      style = "fillcolor=\"#d6eaf8\", penwidth=1.5";
    else if (!g.observed[static_cast<std::size_t>(v)])
      style = "style=\"dashed\", fontcolor=\"#777777\"";
    // Graphviz reads entities in labels ("&amp;" shows as "&"): a literal & is written as one.
    std::string label;
    for (char c : name) label += c == '&' ? std::string("&amp;") : std::string(1, c);
    dot += fmt::format("  {} [label={}{}{}];\n", quoted(name), quoted(label),
                       style.empty() ? "" : ", ", style);
  }
  for (int a = 0; a < g.size(); ++a)
    for (int b : g.children[static_cast<std::size_t>(a)]) {
      const std::string& from = g.names[static_cast<std::size_t>(a)];
      const std::string& to = g.names[static_cast<std::size_t>(b)];
      const bool main = from == treatment && to == outcome;
      dot += fmt::format("  {} -> {}{};\n", quoted(from), quoted(to),
                         main ? " [color=\"#c0392b\", penwidth=3]" : "");
    }
  for (const auto& [a, b] : g.bidirected)
    dot += fmt::format("  {} -> {} [dir=both, style=dashed, color=\"#999999\"];\n",
                       quoted(g.names[static_cast<std::size_t>(a)]),
                       quoted(g.names[static_cast<std::size_t>(b)]));
  return dot + "}\n";
}

}  // namespace

std::string graph_svg(const CausalGraph& graph, const std::string& treatment,
                      const std::string& outcome, const std::vector<std::string>& adjustment) {
  const std::string dot = dot_text(graph, treatment, outcome, adjustment);
  constexpr const char* kNeededBy = "drawing the causal graph in the HTML report (--report)";
  const CgraphApi& cg = cgraph_api(kNeededBy);
  const GvcApi& gv = gvc_api(kNeededBy);
  std::unique_ptr<GVC_t, int (*)(GVC_t*)> gvc(gv.gvContext(), gv.gvFreeContext);
  if (!gvc) return "";
  std::unique_ptr<Agraph_t, int (*)(Agraph_t*)> g(cg.agmemread(dot.c_str()), cg.agclose);
  if (!g) return "";
  if (gv.gvLayout(gvc.get(), g.get(), "dot") != 0) return "";
  char* data = nullptr;
  unsigned int length = 0;
  const int rendered = gv.gvRenderData(gvc.get(), g.get(), "svg", &data, &length);
  gv.gvFreeLayout(gvc.get(), g.get());
  if (rendered != 0 || data == nullptr) return "";
  std::string svg(data, length);
  gv.gvFreeRenderData(data);
  // Inline in HTML: the element alone, without the XML prolog and doctype before it.
  const auto start = svg.find("<svg");
  return start == std::string::npos ? "" : svg.substr(start);
}

}  // namespace causeway
