// d-separation by reachability against brute-force enumeration of every simple path.
#include "causeway/graph/dseparation.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <random>

namespace causeway {
namespace {

// Is the path (a sequence of nodes joined by edges of g) active given z? Every collider must be
// in An(z); every other inner node outside z.
bool path_active(const CausalGraph& g, const std::vector<int>& path, const std::vector<bool>& z,
                 const std::vector<bool>& opens) {
  const auto edge = [&](int a, int b) {  // a -> b
    const auto& ch = g.children[static_cast<std::size_t>(a)];
    return std::find(ch.begin(), ch.end(), b) != ch.end();
  };
  for (std::size_t i = 1; i + 1 < path.size(); ++i) {
    const int v = path[i];
    const bool collider = edge(path[i - 1], v) && edge(path[i + 1], v);
    if (collider ? !opens[static_cast<std::size_t>(v)] : z[static_cast<std::size_t>(v)])
      return false;
  }
  return true;
}

bool brute_connected(const CausalGraph& g, int x, int y, const std::vector<bool>& z) {
  std::vector<int> zs;
  for (int v = 0; v < g.size(); ++v)
    if (z[static_cast<std::size_t>(v)]) zs.push_back(v);
  const std::vector<bool> opens = ancestors(g, zs);
  std::vector<int> path{x};
  std::vector<bool> on(static_cast<std::size_t>(g.size()), false);
  on[static_cast<std::size_t>(x)] = true;
  // Depth-first over simple paths in the skeleton.
  std::function<bool(int)> walk = [&](int v) {
    if (v == y) return path_active(g, path, z, opens);
    std::vector<int> next = g.parents[static_cast<std::size_t>(v)];
    next.insert(next.end(), g.children[static_cast<std::size_t>(v)].begin(),
                g.children[static_cast<std::size_t>(v)].end());
    for (int w : next) {
      if (on[static_cast<std::size_t>(w)]) continue;
      on[static_cast<std::size_t>(w)] = true;
      path.push_back(w);
      const bool found = walk(w);
      path.pop_back();
      on[static_cast<std::size_t>(w)] = false;
      if (found) return true;
    }
    return false;
  };
  return walk(x);
}

TEST(DSeparation, AgreesWithPathEnumerationOnRandomDags) {
  std::mt19937 rng(2026);
  int separated = 0, connected = 0;
  for (int trial = 0; trial < 1000; ++trial) {
    const int n = 2 + static_cast<int>(rng() % 9);  // 2 to 10 nodes
    const double density = 0.15 + 0.35 * (rng() % 100) / 100.0;
    CausalGraph g;
    for (int v = 0; v < n; ++v) g.add_node("v" + std::to_string(v));
    for (int a = 0; a < n; ++a)  // edges go from lower to higher index: acyclic
      for (int b = a + 1; b < n; ++b)
        if (std::uniform_real_distribution<>(0, 1)(rng) < density) g.add_edge(a, b);
    const int x = static_cast<int>(rng() % static_cast<unsigned>(n));
    int y = static_cast<int>(rng() % static_cast<unsigned>(n));
    if (y == x) y = (x + 1) % n;
    std::vector<bool> z(static_cast<std::size_t>(n), false);
    for (int v = 0; v < n; ++v)
      if (v != x && v != y && rng() % 3 == 0) z[static_cast<std::size_t>(v)] = true;
    const bool expected = brute_connected(g, x, y, z);
    const GraphView view{g, {}};
    ASSERT_EQ(!d_separated(view, {x}, {y}, z), expected) << "trial " << trial;
    const std::string path = active_path(view, x, {y}, z);
    ASSERT_EQ(!path.empty(), expected) << "trial " << trial;
    (expected ? connected : separated)++;
  }
  // Both answers occur often enough for the comparison to mean something.
  EXPECT_GT(separated, 150);
  EXPECT_GT(connected, 150);
}

TEST(DSeparation, BidirectedEdgeActsAsHiddenCommonCause) {
  CausalGraph g;
  const int a = g.add_node("a"), b = g.add_node("b"), c = g.add_node("c");
  g.add_bidirected(a, b);
  g.add_edge(b, c);
  const std::vector<bool> none(3, false);
  EXPECT_FALSE(d_separated({g, {}}, {a}, {c}, none));
  EXPECT_EQ(active_path({g, {}}, a, {c}, none), "a <-> b -> c");
  std::vector<bool> given_b(3, false);
  given_b[1] = true;
  EXPECT_TRUE(d_separated({g, {}}, {a}, {c}, given_b));
  // a <-> b <- c: b is a collider, closed until b is given.
  CausalGraph h;
  h.add_node("a"), h.add_node("b"), h.add_node("c");
  h.add_bidirected(0, 1);
  h.add_edge(2, 1);
  EXPECT_TRUE(d_separated({h, {}}, {0}, {2}, none));
  EXPECT_EQ(active_path({h, {}}, 0, {2}, given_b), "a <-> b <- c");
}

}  // namespace
}  // namespace causeway
