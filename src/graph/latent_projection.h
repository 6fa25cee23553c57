// The latent projection of a causal graph onto its observed nodes: an acyclic directed mixed
// graph (ADMG) in which every unobserved node, and every explicit bidirected edge, has been
// replaced by the directed and bidirected edges it implies among the observed nodes.
//
// Rules (Verma and Pearl's projection). First each explicit bidirected edge a <-> b becomes a
// fresh unobserved node L with L -> a and L -> b. Then, between observed nodes:
//   a -> b   when a directed path a -> ... -> b has only unobserved nodes between its ends;
//   a <-> b  when an unobserved node U reaches both a and b by directed paths with only
//            unobserved nodes on them (a <- ... <- U -> ... -> b).
// The projection has the same causal effects among observed nodes as the original graph, which
// is what identification needs.
#pragma once

#include <string>
#include <vector>

#include "causeway/graph/graph.h"

namespace causeway {

struct Admg {
  std::vector<int> node;           // projected index -> index in the CausalGraph (ascending)
  std::vector<std::string> names;  // the observed nodes' names, in graph order
  std::vector<std::vector<int>> parents, children;  // directed edges, each list ascending
  std::vector<std::vector<int>> spouses;            // bidirected neighbours, each list ascending

  int size() const { return static_cast<int>(names.size()); }
  // The projected index of the observed node named `name`; -1 when there is none.
  int find(const std::string& name) const;
  bool has_bidirected(int a, int b) const;
};

// Projects `g` onto its observed nodes. Throws Error(kBadInput) naming a directed cycle when `g`
// has one, since causal effects are only defined here for acyclic graphs.
Admg latent_projection(const CausalGraph& g);

}  // namespace causeway
