// Reading a causal graph, and checking it against the data and the question asked.
//
// DOT files (`digraph { a -> b; }`) are parsed by Graphviz's cgraph; GML files by causeway. In
// both, hidden confounding between two variables is a bidirected edge (DOT: `a -> b
// [dir=both]`; GML: an edge with `dir "both"`) or an explicit unobserved node (DOT:
// `U [observed=no]`; GML: a node with `observed 0`). Failures are Status values naming the file
// and the fault (a cycle is printed as `a -> b -> a`).
#pragma once

#include <string>
#include <vector>

#include "causeway/graph/graph.h"
#include "causeway/status.h"

namespace causeway {

// By the file's extension: .gml is GML, anything else DOT.
Result<CausalGraph> read_graph(const std::string& path);
Result<CausalGraph> parse_dot(const std::string& text, const std::string& source);
Result<CausalGraph> parse_gml(const std::string& text, const std::string& source);

// The graph a list of roles implies, as when no graph is given: every common cause affects the
// treatment and the outcome, every instrument the treatment, every effect modifier the outcome,
// and the treatment the outcome.
struct RoleLists {
  std::vector<std::string> common_causes, instruments, effect_modifiers;
};
CausalGraph graph_from_roles(const std::string& treatment, const std::string& outcome,
                             const RoleLists& roles);

// Checks the graph for the question "effect of treatment on outcome" and against the data's
// columns (empty: no data given, every node observed unless marked). Nodes without a column
// become unobserved, with a warning naming the closest column (an error with strict_names);
// columns outside the graph are listed in a warning. Errors: a cycle, treatment or outcome not
// in the graph or unobserved, an edge from the outcome into the treatment.
struct GraphCheck {
  std::vector<std::string> warnings;
  std::vector<std::string> unobserved;  // node names without data, in node order
};
Result<GraphCheck> check_graph(CausalGraph& graph, const std::string& treatment,
                               const std::string& outcome, const std::vector<std::string>& columns,
                               bool strict_names);

}  // namespace causeway
