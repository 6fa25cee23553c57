// d-separation by reachability ("Bayes ball"): linear in the size of the graph, no path
// enumeration. A bidirected edge a <-> b acts as a hidden common parent of a and b.
#pragma once

#include <string>
#include <vector>

#include "causeway/graph/graph.h"

namespace causeway {

// Edges left out of the graph for a query: every edge out of a node with cut_out[v] set (the
// graph "G underbar X" of the backdoor and front-door criteria). Empty: none.
struct GraphView {
  const CausalGraph& graph;
  std::vector<bool> cut_out;
};

// Nodes reachable from `from` along a path that is active given `given` (a node set as flags).
// The start nodes count as reached.
std::vector<bool> d_connected(const GraphView& view, const std::vector<int>& from,
                              const std::vector<bool>& given);

bool d_separated(const GraphView& view, const std::vector<int>& xs, const std::vector<int>& ys,
                 const std::vector<bool>& given);

// One active path from x to a node of ys given `given`, written "a <- b -> c" (<-> for hidden
// confounding); empty when they are d-separated.
std::string active_path(const GraphView& view, int x, const std::vector<int>& ys,
                        const std::vector<bool>& given);

// Ancestors (descendants) of the nodes, the nodes included.
std::vector<bool> ancestors(const CausalGraph& g, const std::vector<int>& nodes);
std::vector<bool> descendants(const CausalGraph& g, const std::vector<int>& nodes);

// Flags for a node list, sized to the graph.
std::vector<bool> node_flags(const CausalGraph& g, const std::vector<int>& nodes);

}  // namespace causeway
