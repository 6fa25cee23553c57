// The O(n log n) matchers against brute-force searches over all pairs.
#include "estimate/matcher.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "causeway/rng.h"

namespace causeway {
namespace {

struct Instance {
  Eigen::VectorXd value;
  std::vector<std::size_t> focal, pool;
};

// Values rounded to a coarse grid so that ties are common.
Instance random_instance(std::uint64_t seed, std::size_t n, double grid) {
  Rng rng(seed);
  Instance in;
  in.value.resize(static_cast<Eigen::Index>(n));
  for (std::size_t i = 0; i < n; ++i) {
    in.value[static_cast<Eigen::Index>(i)] = std::round(rng.uniform() / grid) * grid;
    (rng.bernoulli(0.4) ? in.focal : in.pool).push_back(i);
  }
  return in;
}

// The matchers' input: focal units in the given order, the pool sorted by value.
struct Request {
  UnitValues focal, pool;
  MatchRequest with(int k, double caliper) const { return {&focal, &pool, k, caliper}; }
};

Request request(const Instance& in) {
  return {gather_values(in.focal, in.value), sorted_by_value(in.pool, in.value)};
}

// The pool units (rows) matched to each focal unit, in the order the matcher gives them.
std::vector<std::vector<std::size_t>> matched_units(const Request& r, const Matches& m) {
  std::vector<std::vector<std::size_t>> out(m.focal_count());
  for (std::size_t f = 0; f < out.size(); ++f)
    for (std::size_t i = 0; i < m.count(f); ++i) out[f].push_back(r.pool.unit[m.at(f, i)]);
  return out;
}

double v(const Instance& in, std::size_t i) {
  return in.value[static_cast<Eigen::Index>(i)];
}

// Greedy without replacement by scanning every pool unit: nearest, ties to the lower row index.
std::vector<long> brute_greedy(const Instance& in, double caliper) {
  std::vector<bool> used(in.value.size(), false);
  std::vector<long> out;
  for (std::size_t f : in.focal) {
    long best = -1;
    double best_d = INFINITY;
    for (std::size_t p : in.pool) {
      if (used[p]) continue;
      const double d = std::abs(v(in, f) - v(in, p));
      const bool tie = best >= 0 && std::abs(d - best_d) <= kTieTolerance * std::max(d, best_d);
      if (tie) best_d = std::min(best_d, d);
      if ((!tie && d < best_d) || (tie && static_cast<long>(p) < best)) best = static_cast<long>(p);
      if (!tie && d < best_d) best_d = d;
    }
    if (best >= 0 && best_d <= caliper)
      used[static_cast<std::size_t>(best)] = true;
    else
      best = -1;
    out.push_back(best);
  }
  return out;
}

TEST(Matcher, GreedyEqualsBruteForce) {
  for (std::uint64_t seed = 1; seed <= 30; ++seed) {
    const Instance in = random_instance(seed, 200, seed % 2 ? 0.01 : 1e-9);
    for (double caliper : {double(INFINITY), 0.02}) {
      const Request r = request(in);
      const auto units = matched_units(r, match_greedy(r.with(1, caliper)));
      const std::vector<long> expected = brute_greedy(in, caliper);
      for (std::size_t f = 0; f < in.focal.size(); ++f) {
        const long got = units[f].empty() ? -1 : static_cast<long>(units[f][0]);
        ASSERT_EQ(got, expected[f]) << "seed " << seed << " focal " << f << " caliper " << caliper;
      }
    }
  }
}

TEST(Matcher, WithReplacementEqualsBruteForceWithTies) {
  for (std::uint64_t seed = 1; seed <= 30; ++seed) {
    const Instance in = random_instance(seed, 150, 0.02);
    for (int k : {1, 3}) {
      const Request r = request(in);
      const Matches m = match_with_replacement(r.with(k, INFINITY));
      const auto units = matched_units(r, m);
      for (std::size_t f = 0; f < in.focal.size(); ++f) {
        std::vector<double> d;
        for (std::size_t p : in.pool) d.push_back(std::abs(v(in, in.focal[f]) - v(in, p)));
        std::vector<double> sorted = d;
        std::sort(sorted.begin(), sorted.end());
        const double kth = sorted[static_cast<std::size_t>(k) - 1];
        std::vector<std::size_t> expected;
        for (std::size_t j = 0; j < in.pool.size(); ++j)
          if (d[j] <= kth * (1 + kTieTolerance)) expected.push_back(in.pool[j]);
        std::vector<std::size_t> got = units[f];
        std::sort(got.begin(), got.end());
        ASSERT_EQ(got, expected) << "seed " << seed << " k " << k;
        EXPECT_DOUBLE_EQ(m.weight(f), 1.0 / static_cast<double>(expected.size()));
      }
    }
  }
}

TEST(Matcher, WithReplacementDoesNotDependOnRowOrder) {
  const Instance in = random_instance(7, 300, 0.02);
  Instance reversed = in;
  std::reverse(reversed.pool.begin(), reversed.pool.end());
  std::reverse(reversed.focal.begin(), reversed.focal.end());
  const Request ra = request(in), rb = request(reversed);
  const auto a = matched_units(ra, match_with_replacement(ra.with(1, INFINITY)));
  const auto b = matched_units(rb, match_with_replacement(rb.with(1, INFINITY)));
  for (std::size_t f = 0; f < in.focal.size(); ++f) {
    const std::size_t g = in.focal.size() - 1 - f;
    std::vector<std::size_t> x = a[f], y = b[g];
    std::sort(x.begin(), x.end());
    std::sort(y.begin(), y.end());
    EXPECT_EQ(x, y);
  }
}

TEST(Matcher, GreedyNeverReusesAndReportsShortage) {
  // 8 focal, 5 pool: exactly 5 matched, each pool unit once.
  Instance in;
  in.value.resize(13);
  for (int i = 0; i < 13; ++i) in.value[i] = i * 0.1;
  for (std::size_t i = 0; i < 13; ++i) (i < 8 ? in.focal : in.pool).push_back(i);
  const Request r = request(in);
  std::vector<std::size_t> used;
  for (const auto& units : matched_units(r, match_greedy(r.with(1, INFINITY))))
    used.insert(used.end(), units.begin(), units.end());
  std::sort(used.begin(), used.end());
  EXPECT_EQ(used, in.pool);
}

TEST(Matcher, BelowFirstPrefersTheLowerNeighbour) {
  Instance in;
  in.value.resize(3);
  in.value << 0.50, 0.30, 0.51;  // focal 0.50; pool 0.30 (below) and 0.51 (nearer, above)
  in.focal = {0};
  in.pool = {1, 2};
  const Request r = request(in);
  EXPECT_EQ(matched_units(r, match_below_first(r.with(1, INFINITY), false)).at(0).at(0), 1u);
  EXPECT_EQ(matched_units(r, match_greedy(r.with(1, INFINITY))).at(0).at(0), 2u);
}

TEST(Matcher, ConditionalVarianceWidensToTiedNeighbours) {
  // Unit 0 (0.1): its two nearest are two of the three units at 0.2, so all three count.
  UnitValues arm{{0, 1, 2, 3, 4}, {0.1, 0.2, 0.2, 0.2, 0.5}};
  const ArmOutcomes y({1.0, 4.0, 0.0, 2.0, 9.0});
  const ConditionalVariance sigma2(arm, y, 2);
  const double mean = (4.0 + 0.0 + 2.0) / 3;
  EXPECT_DOUBLE_EQ(sigma2(0), 3.0 / 4.0 * (1.0 - mean) * (1.0 - mean));
  // Unit 1 (0.2): the other two at 0.2 are its two nearest, at distance 0; no one else ties.
  EXPECT_DOUBLE_EQ(sigma2(1), 2.0 / 3.0 * (4.0 - 1.0) * (4.0 - 1.0));
  // Unit 4 (0.5): the three at 0.2 are tied for second nearest... and first: all three.
  EXPECT_DOUBLE_EQ(sigma2(4), 3.0 / 4.0 * (9.0 - mean) * (9.0 - mean));
  // Without ties, the plain rule: 2 nearest, 2/3.
  UnitValues plain{{0, 1, 2, 3}, {0.1, 0.2, 0.35, 0.7}};
  const ArmOutcomes plain_y({1.0, 2.0, 4.0, 8.0});
  const ConditionalVariance plain_sigma2(plain, plain_y, 2);
  EXPECT_DOUBLE_EQ(plain_sigma2(0), 2.0 / 3.0 * (1.0 - 3.0) * (1.0 - 3.0));
}

TEST(Matcher, ConditionalVarianceOfLongTiedRunsDoesNotDependOnTheirOrder) {
  // 1,000 units at one value and 1,000 at another: through running sums, and the same for any
  // order of the tied units' outcomes.
  Rng rng(5);
  UnitValues arm;
  UninitializedVector<double> y;
  for (std::uint32_t i = 0; i < 2000; ++i) {
    arm.unit.push_back(i);
    arm.value.push_back(i < 1000 ? 0.3 : 0.6);
    y.push_back(rng.bernoulli(0.4));
  }
  UninitializedVector<double> reversed(y.rbegin() + 1000, y.rend());
  reversed.insert(reversed.end(), y.rbegin(), y.rbegin() + 1000);
  const ArmOutcomes y_in_order(y), y_reversed(reversed);
  const ConditionalVariance a(arm, y_in_order, 2), b(arm, y_reversed, 2);
  double sum_a = 0, ones = 0;
  for (std::size_t i = 0; i < 1000; ++i) sum_a += a(i), ones += y[i];
  double sum_b = 0;
  for (std::size_t i = 0; i < 1000; ++i) sum_b += b(i);
  EXPECT_NEAR(sum_a, sum_b, 1e-9);
  // Each unit's neighbours are the other 999 of its run.
  const double mean_without_first = (ones - y[0]) / 999;
  EXPECT_NEAR(a(0), 999.0 / 1000 * (y[0] - mean_without_first) * (y[0] - mean_without_first),
              1e-12);
}

}  // namespace
}  // namespace causeway
