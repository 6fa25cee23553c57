// A causal graph: directed edges (cause -> effect) between named variables, some of which may be
// unobserved, plus bidirected edges a <-> b for hidden confounding between two variables.
//
// Graphs come from a DOT file (parsed by Graphviz's cgraph), a GML file, or the lists a user
// gives on the command line (see graph_io.h). The type itself is small and immutable once
// built; the algorithms (d-separation, adjustment sets, identification) take it by reference.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace causeway {

struct CausalGraph {
  std::string source;                               // file name, or "the command line"
  std::vector<std::string> names;                   // node names, in the order first seen
  std::vector<bool> observed;                       // per node: a data column (true) or unobserved
  std::vector<std::vector<int>> parents, children;  // directed edges, each list ascending
  std::vector<std::pair<int, int>> bidirected;      // hidden confounding, first < second
  std::unordered_map<std::string, int> index;       // name -> node
  std::unordered_set<std::uint64_t> bidirected_index;  // the pairs of `bidirected`, packed

  int size() const { return static_cast<int>(names.size()); }
  // The index of a node, -1 when there is none.
  int find(const std::string& name) const;
  // Adds a node if new; returns its index.
  int add_node(const std::string& name, bool is_observed = true);
  // Adds a -> b once (repeats are ignored).
  void add_edge(int a, int b);
  // Adds a <-> b once.
  void add_bidirected(int a, int b);
  // Nodes linked to v by a bidirected edge.
  std::vector<int> spouses(int v) const;
};

}  // namespace causeway
