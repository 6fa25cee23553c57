// The backdoor searches against brute force over every subset, on random graphs with
// unobserved nodes and hidden confounding.
#include "graph/backdoor.h"

#include <gtest/gtest.h>

#include <random>

namespace causeway {
namespace {

struct Case {
  CausalGraph g;
  int t, y;
};

Case random_case(std::mt19937& rng) {
  Case c;
  const int n = 3 + static_cast<int>(rng() % 7);  // 3 to 9 nodes, in causal order
  for (int v = 0; v < n; ++v) c.g.add_node("v" + std::to_string(v), rng() % 5 != 0);
  for (int a = 0; a < n; ++a)
    for (int b = a + 1; b < n; ++b)
      if (rng() % 100 < 35) c.g.add_edge(a, b);
  for (int k = 0; k < 2; ++k)
    if (rng() % 4 == 0) {
      const int a = static_cast<int>(rng() % static_cast<unsigned>(n));
      const int b = static_cast<int>(rng() % static_cast<unsigned>(n));
      if (a != b) c.g.add_bidirected(a, b);
    }
  c.t = static_cast<int>(rng() % static_cast<unsigned>(n - 1));
  c.y = c.t + 1 + static_cast<int>(rng() % static_cast<unsigned>(n - 1 - c.t));
  c.g.observed[static_cast<std::size_t>(c.t)] = c.g.observed[static_cast<std::size_t>(c.y)] = true;
  return c;
}

// Every valid set among the observed variables other than t and y, by brute force.
std::vector<std::vector<int>> all_valid(const Case& c) {
  std::vector<int> pool;
  for (int v = 0; v < c.g.size(); ++v)
    if (v != c.t && v != c.y && c.g.observed[static_cast<std::size_t>(v)]) pool.push_back(v);
  std::vector<std::vector<int>> out;
  for (unsigned mask = 0; mask < (1u << pool.size()); ++mask) {
    std::vector<int> set;
    for (std::size_t i = 0; i < pool.size(); ++i)
      if (mask & (1u << i)) set.push_back(pool[i]);
    if (backdoor_violation(c.g, c.t, c.y, set).empty()) out.push_back(set);
  }
  return out;
}

TEST(Backdoor, SearchesAgreeWithBruteForce) {
  std::mt19937 rng(31);
  int with_sets = 0, without = 0;
  for (int trial = 0; trial < 400; ++trial) {
    const Case c = random_case(rng);
    const auto valid = all_valid(c);
    const auto fewest = search_backdoor(c.g, c.t, c.y, AdjustmentChoice::kDefault, 1000);
    ASSERT_EQ(fewest.found, !valid.empty()) << "trial " << trial;
    if (valid.empty()) {
      ++without;
      continue;
    }
    ++with_sets;
    std::size_t smallest = 99;
    for (const auto& s : valid) smallest = std::min(smallest, s.size());
    ASSERT_TRUE(backdoor_violation(c.g, c.t, c.y, fewest.sets[0]).empty()) << "trial " << trial;
    ASSERT_EQ(fewest.sets[0].size(), smallest) << "trial " << trial;
    // Minimal: valid, and no member can be dropped.
    const auto minimal = search_backdoor(c.g, c.t, c.y, AdjustmentChoice::kMinimal, 1000);
    const auto& m = minimal.sets[0];
    ASSERT_TRUE(backdoor_violation(c.g, c.t, c.y, m).empty());
    for (std::size_t i = 0; i < m.size(); ++i) {
      std::vector<int> less = m;
      less.erase(less.begin() + static_cast<long>(i));
      ASSERT_FALSE(backdoor_violation(c.g, c.t, c.y, less).empty()) << "trial " << trial;
    }
    // Exhaustive: exactly the valid sets with no valid proper subset.
    std::vector<std::vector<int>> expected;
    for (const auto& s : valid) {
      bool has_valid_subset = false;
      for (const auto& o : valid)
        if (o.size() < s.size() && std::includes(s.begin(), s.end(), o.begin(), o.end()))
          has_valid_subset = true;
      if (!has_valid_subset) expected.push_back(s);
    }
    auto got = search_backdoor(c.g, c.t, c.y, AdjustmentChoice::kExhaustive, 1000).sets;
    std::sort(got.begin(), got.end());
    std::sort(expected.begin(), expected.end());
    ASSERT_EQ(got, expected) << "trial " << trial;
    // Maximal: valid, and no other observed non-descendant can be added.
    const auto maximal = search_backdoor(c.g, c.t, c.y, AdjustmentChoice::kMaximal, 1000);
    ASSERT_TRUE(backdoor_violation(c.g, c.t, c.y, maximal.sets[0]).empty());
  }
  EXPECT_GT(with_sets, 100);
  EXPECT_GT(without, 20);
}

}  // namespace
}  // namespace causeway
