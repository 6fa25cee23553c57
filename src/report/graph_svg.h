// A causal graph drawn by Graphviz (dot layout) as an inline SVG element.
#pragma once

#include <string>
#include <vector>

#include "causeway/graph/graph.h"

namespace causeway {

// The graph with the treatment -> outcome edge highlighted, the treatment and outcome in bold
// boxes, the adjustment set filled, unobserved variables dashed and hidden confounding as dashed
// two-headed edges. Returns "" when Graphviz cannot lay it out (then the report says so).
std::string graph_svg(const CausalGraph& graph, const std::string& treatment,
                      const std::string& outcome, const std::vector<std::string>& adjustment);

}  // namespace causeway
