// Backdoor sets. A set Z is valid for (t, y) when no member descends from t and Z d-separates t
// from y once the edges out of t are removed. If any valid set exists, the observed
// non-descendants of t that are ancestors of t or y form one (the "ancestral" set); every
// minimal valid set lies inside it, so the searches below start from it.
#include "graph/backdoor.h"

#include <fmt/format.h>

#include <algorithm>

#include "causeway/graph/dseparation.h"

namespace causeway {
namespace {

std::size_t at(int v) {
  return static_cast<std::size_t>(v);
}

bool valid(const CausalGraph& g, int t, int y, const std::vector<int>& set) {
  return backdoor_violation(g, t, y, set).empty();
}

// Removes members one at a time (in node order) while the set stays valid.
std::vector<int> shrink(const CausalGraph& g, int t, int y, std::vector<int> set) {
  for (std::size_t i = 0; i < set.size();) {
    std::vector<int> without = set;
    without.erase(without.begin() + static_cast<long>(i));
    if (valid(g, t, y, without))
      set = std::move(without);
    else
      ++i;
  }
  return set;
}

// Calls visit(subset) for the subsets of `pool` of size k in lexicographic order, until it
// returns false.
template <class Visit>
bool for_each_subset(const std::vector<int>& pool, std::size_t k, Visit visit) {
  if (k > pool.size()) return true;
  std::vector<std::size_t> idx(k);
  for (std::size_t i = 0; i < k; ++i) idx[i] = i;
  std::vector<int> subset(k);
  while (true) {
    for (std::size_t i = 0; i < k; ++i) subset[i] = pool[idx[i]];
    if (!visit(subset)) return false;
    std::size_t i = k;
    while (i > 0 && idx[i - 1] == pool.size() - k + i - 1) --i;
    if (i == 0) return true;
    ++idx[i - 1];
    for (std::size_t j = i; j < k; ++j) idx[j] = idx[j - 1] + 1;
  }
}

constexpr std::size_t kCheckBudget = 200000;  // validity checks the searches may spend

// The valid set with the fewest variables, as a minimum vertex cut between t and y in the moral
// graph of An({t, y}) once the edges out of t are removed: in an ancestral moral graph,
// separation is d-separation, and a smallest valid set lies among the ancestors. Variables that
// may not be adjusted for (unobserved, descendants of t) cannot be cut. Of the smallest cuts,
// the one nearest the treatment. Unit capacities, augmenting paths: O(cut size x edges).
std::vector<int> fewest_variables(const CausalGraph& g, int t, int y,
                                  const std::vector<bool>& allowed) {
  const int n = g.size(), hidden = static_cast<int>(g.bidirected.size());
  // Parents in the graph without t's outgoing edges, a bidirected edge as a hidden parent.
  std::vector<std::vector<int>> parents(at(n + hidden));
  for (int v = 0; v < n; ++v)
    for (int p : g.parents[at(v)])
      if (p != t) parents[at(v)].push_back(p);
  for (int h = 0; h < hidden; ++h) {
    parents[at(g.bidirected[at(h)].first)].push_back(n + h);
    parents[at(g.bidirected[at(h)].second)].push_back(n + h);
  }
  std::vector<bool> in(at(n + hidden), false);
  std::vector<int> stack{t, y};
  in[at(t)] = in[at(y)] = true;
  while (!stack.empty()) {
    const int v = stack.back();
    stack.pop_back();
    for (int p : parents[at(v)])
      if (!in[at(p)]) in[at(p)] = true, stack.push_back(p);
  }
  // Flow network: node v splits into 2v (in) and 2v+1 (out).
  struct Arc {
    int to, cap;
  };
  std::vector<Arc> arcs;
  std::vector<std::vector<int>> out(at(2 * (n + hidden)));
  const auto add = [&](int a, int b, int cap) {
    out[at(a)].push_back(static_cast<int>(arcs.size()));
    arcs.push_back({b, cap});
    out[at(b)].push_back(static_cast<int>(arcs.size()));
    arcs.push_back({a, 0});
  };
  constexpr int kInfinite = 1 << 29;
  const auto link = [&](int a, int b) {  // undirected moral edge
    add(2 * a + 1, 2 * b, kInfinite);
    add(2 * b + 1, 2 * a, kInfinite);
  };
  for (int v = 0; v < n + hidden; ++v) {
    if (!in[at(v)]) continue;
    const bool cuttable = v < n && v != t && v != y && allowed[at(v)];
    add(2 * v, 2 * v + 1, cuttable ? 1 : kInfinite);
    const auto& pa = parents[at(v)];
    for (std::size_t i = 0; i < pa.size(); ++i) {
      link(pa[i], v);
      for (std::size_t j = i + 1; j < pa.size(); ++j) link(pa[i], pa[j]);  // married parents
    }
  }
  const int source = 2 * t + 1, sink = 2 * y;
  std::vector<int> via(out.size());
  const auto residual_reach = [&] {
    std::vector<bool> seen(out.size(), false);
    std::vector<int> queue{source};
    seen[at(source)] = true;
    for (std::size_t head = 0; head < queue.size(); ++head)
      for (int a : out[at(queue[head])])
        if (arcs[at(a)].cap > 0 && !seen[at(arcs[at(a)].to)]) {
          seen[at(arcs[at(a)].to)] = true;
          via[at(arcs[at(a)].to)] = a;
          queue.push_back(arcs[at(a)].to);
        }
    return seen;
  };
  while (true) {
    const std::vector<bool> seen = residual_reach();
    if (!seen[at(sink)]) break;
    for (int v = sink; v != source;) {  // every path through a cut vertex carries one unit
      const int a = via[at(v)];
      --arcs[at(a)].cap;
      ++arcs[at(a ^ 1)].cap;
      v = arcs[at(a ^ 1)].to;
    }
  }
  const std::vector<bool> seen = residual_reach();
  std::vector<int> cut;
  for (int v = 0; v < n; ++v)
    if (in[at(v)] && seen[at(2 * v)] && !seen[at(2 * v + 1)]) cut.push_back(v);
  return cut;
}

}  // namespace

std::string backdoor_violation(const CausalGraph& g, int t, int y, const std::vector<int>& set) {
  const std::vector<bool> below = descendants(g, {t});
  for (int v : set)
    if (below[at(v)])
      return fmt::format(
          "'{}' is a descendant of the treatment '{}' (a mediator or one of its "
          "effects): adjusting for it blocks or biases the effect",
          g.names[at(v)], g.names[at(t)]);
  GraphView view{g, node_flags(g, {t})};
  const std::string path = active_path(view, t, {y}, node_flags(g, set));
  return path.empty() ? "" : "the backdoor path " + path + " stays open";
}

BackdoorSearch search_backdoor(const CausalGraph& g, int t, int y, AdjustmentChoice choice,
                               std::size_t cap) {
  BackdoorSearch out;
  const std::vector<bool> below = descendants(g, {t});
  const std::vector<bool> relevant = ancestors(g, {t, y});
  std::vector<int> pool, everything;  // ancestral candidates; all observed non-descendants
  for (int v = 0; v < g.size(); ++v) {
    if (v == t || v == y || !g.observed[at(v)] || below[at(v)]) continue;
    everything.push_back(v);
    if (relevant[at(v)]) pool.push_back(v);
  }
  out.ancestral = pool;
  if (!valid(g, t, y, pool)) {
    out.note = backdoor_violation(g, t, y, pool);
    return out;
  }
  out.found = true;
  switch (choice) {
    case AdjustmentChoice::kMaximal: {
      std::vector<int> set = pool;
      for (int v : everything)  // add the others while the set stays valid
        if (!std::binary_search(pool.begin(), pool.end(), v)) {
          std::vector<int> with = set;
          with.insert(std::lower_bound(with.begin(), with.end(), v), v);
          if (valid(g, t, y, with)) set = std::move(with);
        }
      out.sets = {set};
      out.note = set.size() == everything.size()
                     ? "maximal: every observed variable that is not a descendant of the treatment"
                     : "maximal: observed non-descendants of the treatment, leaving out those "
                       "whose adjustment would open a path";
      return out;
    }
    case AdjustmentChoice::kMinimal:
      out.sets = {shrink(g, t, y, pool)};
      out.note = "minimal: no variable of the set can be left out";
      return out;
    case AdjustmentChoice::kDefault: {
      std::vector<bool> allowed(at(g.size()), false);
      for (int v : everything) allowed[at(v)] = true;
      std::vector<int> set = fewest_variables(g, t, y, allowed);
      const std::string why = backdoor_violation(g, t, y, set);
      if (!why.empty())
        throw Error(ErrorCode::kInternal,
                    "the smallest backdoor set failed its own check (" + why +
                        "); this is a bug in causeway, please report it with the graph");
      out.sets = {set};
      out.note = "default: the valid set with the fewest variables";
      return out;
    }
    case AdjustmentChoice::kExhaustive: {
      std::size_t checks = 0;
      bool stopped = false;
      for (std::size_t k = 0; k <= pool.size() && !stopped; ++k)
        stopped = !for_each_subset(pool, k, [&](const std::vector<int>& s) {
          if (++checks > kCheckBudget || out.sets.size() >= cap) return false;
          for (const auto& found : out.sets)  // a superset of a valid set is not minimal
            if (std::includes(s.begin(), s.end(), found.begin(), found.end())) return true;
          if (valid(g, t, y, s)) out.sets.push_back(s);
          return true;
        });
      if (out.sets.empty()) {  // the budget ran out before the first set: fall back
        std::vector<bool> allowed(at(g.size()), false);
        for (int v : everything) allowed[at(v)] = true;
        out.sets = {fewest_variables(g, t, y, allowed)};
        out.note = fmt::format(
            "exhaustive: the search stopped after {} checks before listing any minimal set; "
            "shown is the valid set with the fewest variables",
            kCheckBudget);
        return out;
      }
      out.note = !stopped ? fmt::format("exhaustive: all {} minimal sets", out.sets.size())
                 : out.sets.size() >= cap
                     ? fmt::format("exhaustive: the first {} minimal sets; there are more", cap)
                     : fmt::format(
                           "exhaustive: {} minimal sets found in {} checks, when the "
                           "search stopped; there may be more",
                           out.sets.size(), kCheckBudget);
      return out;
    }
  }
  return out;
}

}  // namespace causeway
