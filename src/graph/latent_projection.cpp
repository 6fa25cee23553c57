#include "graph/latent_projection.h"

#include <fmt/format.h>

#include <algorithm>

#include "causeway/status.h"

namespace causeway {
namespace {

std::size_t at(int v) {
  return static_cast<std::size_t>(v);
}

// Throws Error(kBadInput) naming one directed cycle of `g`, if it has any.
void require_acyclic(const CausalGraph& g) {
  const int n = g.size();
  std::vector<int> indegree(at(n));
  for (int v = 0; v < n; ++v) indegree[at(v)] = static_cast<int>(g.parents[at(v)].size());
  std::vector<int> ready;
  for (int v = 0; v < n; ++v)
    if (indegree[at(v)] == 0) ready.push_back(v);
  int done = 0;
  while (!ready.empty()) {
    const int v = ready.back();
    ready.pop_back();
    ++done;
    for (int c : g.children[at(v)])
      if (--indegree[at(c)] == 0) ready.push_back(c);
  }
  if (done == n) return;
  // Every node left has a parent that is also left, so walking to such parents from any of them
  // must come back to a node already seen; the nodes from there on form a cycle.
  int v = 0;
  while (indegree[at(v)] == 0) ++v;
  std::vector<int> seen_at(at(n), -1), walk;
  while (seen_at[at(v)] < 0) {
    seen_at[at(v)] = static_cast<int>(walk.size());
    walk.push_back(v);
    for (int p : g.parents[at(v)])
      if (indegree[at(p)] > 0) {
        v = p;
        break;
      }
  }
  // The walk went against the arrows: print the cycle forwards.
  std::string cycle = g.names[at(v)];
  for (int k = static_cast<int>(walk.size()) - 1; k >= seen_at[at(v)]; --k)
    cycle += " -> " + g.names[at(walk[at(k)])];
  throw Error(ErrorCode::kBadInput,
              fmt::format("the graph{} has a directed cycle ({}); causal effects can only be "
                          "identified in an acyclic graph",
                          g.source.empty() ? "" : " (" + g.source + ")", cycle));
}

}  // namespace

int Admg::find(const std::string& name) const {
  const auto it = std::find(names.begin(), names.end(), name);
  return it == names.end() ? -1 : static_cast<int>(it - names.begin());
}

bool Admg::has_bidirected(int a, int b) const {
  return std::binary_search(spouses[at(a)].begin(), spouses[at(a)].end(), b);
}

Admg latent_projection(const CausalGraph& g) {
  require_acyclic(g);
  const int n = g.size();

  // The graph with each explicit bidirected edge a <-> b replaced by an unobserved L -> a, b:
  // the Ls are numbered from n on.
  const int total = n + static_cast<int>(g.bidirected.size());
  std::vector<std::vector<int>> latent_children;
  for (const auto& [a, b] : g.bidirected) latent_children.push_back({a, b});
  const auto children_of = [&](int v) -> const std::vector<int>& {
    return v < n ? g.children[at(v)] : latent_children[at(v - n)];
  };
  const auto observed = [&](int v) { return v < n && g.observed[at(v)]; };

  Admg out;
  std::vector<int> projected(at(n), -1);
  for (int v = 0; v < n; ++v)
    if (g.observed[at(v)]) {
      projected[at(v)] = out.size();
      out.node.push_back(v);
      out.names.push_back(g.names[at(v)]);
    }
  const int m = out.size();
  out.parents.resize(at(m));
  out.children.resize(at(m));
  out.spouses.resize(at(m));

  // The observed nodes reached from `from` by directed paths whose inner nodes are unobserved,
  // ascending, left in `found`. Most nodes have only observed children: those are the answer.
  std::vector<int> mark(at(total), -1), found, stack;
  auto reach = [&](int from) {
    found.clear();
    const std::vector<int>& next = children_of(from);
    if (std::all_of(next.begin(), next.end(), observed)) {
      for (int c : next) found.push_back(projected[at(c)]);
    } else {
      stack.assign(next.begin(), next.end());
      while (!stack.empty()) {
        const int v = stack.back();
        stack.pop_back();
        if (mark[at(v)] == from) continue;
        mark[at(v)] = from;
        if (observed(v)) {
          found.push_back(projected[at(v)]);
        } else {
          stack.insert(stack.end(), children_of(v).begin(), children_of(v).end());
        }
      }
    }
    std::sort(found.begin(), found.end());
    found.erase(std::unique(found.begin(), found.end()), found.end());
  };

  for (int v = 0; v < total; ++v) {
    reach(v);
    if (observed(v)) {
      // a -> b for every observed b reached through unobserved nodes only. The nodes a come in
      // ascending order, so every list of parents is built ascending too.
      const int a = projected[at(v)];
      out.children[at(a)] = found;
      for (int b : found) out.parents[at(b)].push_back(a);
    } else {
      // An unobserved node confounds every pair of observed nodes it reaches.
      for (std::size_t i = 0; i < found.size(); ++i)
        for (std::size_t j = i + 1; j < found.size(); ++j) {
          out.spouses[at(found[i])].push_back(found[j]);
          out.spouses[at(found[j])].push_back(found[i]);
        }
    }
  }
  for (auto& list : out.spouses) {
    std::sort(list.begin(), list.end());
    list.erase(std::unique(list.begin(), list.end()), list.end());
  }
  return out;
}

}  // namespace causeway
