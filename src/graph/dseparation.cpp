#include "causeway/graph/dseparation.h"

#include <algorithm>

namespace causeway {
namespace {

std::size_t at(int v) {
  return static_cast<std::size_t>(v);
}

// A search state: a node and how the path entered it. kUp: from one of its children (the
// edge's tail is at the node); kDown: from a parent or through a bidirected edge (an arrowhead
// points into the node).
enum Entry : int { kUp = 0, kDown = 1 };

struct Step {
  int state = -1;  // previous state, -1 at a start
  char edge = 0;   // how it was left: '>' to a child, '<' to a parent, '=' to a spouse
};

// The search itself; `steps` records how each state was first reached.
std::vector<bool> reach(const GraphView& view, const std::vector<int>& from,
                        const std::vector<bool>& given, std::vector<Step>* steps) {
  const CausalGraph& g = view.graph;
  const int n = g.size();
  const auto cut = [&](int v) { return !view.cut_out.empty() && view.cut_out[at(v)]; };
  std::vector<int> given_nodes;
  for (int v = 0; v < n; ++v)
    if (given[at(v)]) given_nodes.push_back(v);
  // A collider is open when it or one of its descendants is given.
  const std::vector<bool> opens = ancestors(g, given_nodes);
  std::vector<std::vector<int>> spouses(at(n));
  for (const auto& [a, b] : g.bidirected) spouses[at(a)].push_back(b), spouses[at(b)].push_back(a);

  std::vector<bool> seen(at(2 * n), false), reached(at(n), false);
  if (steps) steps->assign(at(2 * n), Step{});
  std::vector<int> queue;
  for (int x : from) {
    const int s = 2 * x + kUp;  // a start may leave by any edge
    if (!seen[at(s)]) seen[at(s)] = true, queue.push_back(s);
  }
  const auto visit = [&](int from_state, int v, Entry entry, char edge) {
    const int s = 2 * v + entry;
    if (seen[at(s)]) return;
    seen[at(s)] = true;
    if (steps) (*steps)[at(s)] = {from_state, edge};
    queue.push_back(s);
  };
  for (std::size_t head = 0; head < queue.size(); ++head) {
    const int s = queue[head], v = s / 2;
    const Entry entry = static_cast<Entry>(s % 2);
    if (!given[at(v)]) reached[at(v)] = true;
    const bool pass_through = !given[at(v)];  // a chain or fork node not conditioned on
    const bool leave_up = entry == kUp ? pass_through : opens[at(v)];
    const bool leave_down = pass_through;
    if (leave_up) {
      for (int p : g.parents[at(v)])
        if (!cut(p)) visit(s, p, kUp, '<');
      for (int w : spouses[at(v)]) visit(s, w, kDown, '=');
    }
    if (leave_down && !cut(v))
      for (int c : g.children[at(v)]) visit(s, c, kDown, '>');
  }
  for (int x : from) reached[at(x)] = true;
  return reached;
}

}  // namespace

std::vector<bool> node_flags(const CausalGraph& g, const std::vector<int>& nodes) {
  std::vector<bool> out(at(g.size()), false);
  for (int v : nodes) out[at(v)] = true;
  return out;
}

namespace {

// The nodes reachable from `nodes` along `next` (parents or children), the nodes included.
std::vector<bool> closure(const CausalGraph& g, const std::vector<int>& nodes,
                          const std::vector<std::vector<int>>& next) {
  std::vector<bool> out = node_flags(g, nodes);
  std::vector<int> stack = nodes;
  while (!stack.empty()) {
    const int v = stack.back();
    stack.pop_back();
    for (int w : next[at(v)])
      if (!out[at(w)]) out[at(w)] = true, stack.push_back(w);
  }
  return out;
}

}  // namespace

std::vector<bool> ancestors(const CausalGraph& g, const std::vector<int>& nodes) {
  return closure(g, nodes, g.parents);
}

std::vector<bool> descendants(const CausalGraph& g, const std::vector<int>& nodes) {
  return closure(g, nodes, g.children);
}

std::vector<bool> d_connected(const GraphView& view, const std::vector<int>& from,
                              const std::vector<bool>& given) {
  return reach(view, from, given, nullptr);
}

bool d_separated(const GraphView& view, const std::vector<int>& xs, const std::vector<int>& ys,
                 const std::vector<bool>& given) {
  const std::vector<bool> r = reach(view, xs, given, nullptr);
  return std::none_of(ys.begin(), ys.end(), [&](int y) { return r[at(y)] && !given[at(y)]; });
}

std::string active_path(const GraphView& view, int x, const std::vector<int>& ys,
                        const std::vector<bool>& given) {
  std::vector<Step> steps;
  reach(view, {x}, given, &steps);
  const CausalGraph& g = view.graph;
  for (int y : ys) {
    if (given[at(y)] || y == x) continue;
    int s = -1;
    // The first of the two entry states that was reached.
    for (int entry : {kUp, kDown})
      if (steps[at(2 * y + entry)].state >= 0) s = 2 * y + entry;
    if (s < 0) continue;
    std::string path = g.names[at(y)];
    while (steps[at(s)].state >= 0) {
      const Step step = steps[at(s)];
      const char* arrow = step.edge == '>' ? " -> " : step.edge == '<' ? " <- " : " <-> ";
      s = step.state;
      path = g.names[at(s / 2)] + arrow + path;
    }
    return path;
  }
  return "";
}

}  // namespace causeway
