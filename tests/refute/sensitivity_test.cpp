// The sensitivity figures against their closed forms on hand-computed examples.
#include "causeway/refute/sensitivity.h"

#include <gtest/gtest.h>

#include <cmath>

#include "causeway/estimate/estimate.h"
#include "support/fixtures.h"

namespace causeway {
namespace {

TEST(Sensitivity, EValueMatchesVanderWeeleAndDing) {
  // E = RR + sqrt(RR (RR - 1)). RR 3.9 (their smoking example): 3.9 + sqrt(3.9 * 2.9)
  // = 3.9 + 3.36303 = 7.26303. A protective RR 0.5 is inverted to 2: 2 + sqrt(2) = 3.41421.
  EXPECT_NEAR(e_value_for_risk_ratio(3.9), 7.26303, 1e-5);
  EXPECT_NEAR(e_value_for_risk_ratio(0.5), 3.41421, 1e-5);
  EXPECT_DOUBLE_EQ(e_value_for_risk_ratio(1.0), 1.0);
}

TEST(Sensitivity, RobustnessValueMatchesCinelliAndHazlett) {
  // Their Darfur example: t = 4.18 on 783 degrees of freedom. f = 4.18 / sqrt(783) = 0.149381,
  // f^2 = 0.0223147, RV = (sqrt(f^4 + 4 f^2) - f^2) / 2 = (0.299596 - 0.022315) / 2 = 0.138640
  // (the paper reports 13.9 %). For alpha 0.05: f* = t_{0.975, 782} / sqrt(782) = 1.96299 /
  // 27.9643 = 0.0701964; f - f* = 0.0791846, whose RV is (sqrt(3.93e-5 + 0.0250809) - 0.00627020)
  // / 2 = 0.0760898 (the paper: 7.6 %).
  EXPECT_NEAR(robustness_value(4.18, 783), 0.138640, 2e-6);
  EXPECT_NEAR(robustness_value(4.18, 783, 0.05), 0.07609, 5e-5);
  EXPECT_NEAR(robustness_value(-4.18, 783), 0.138640, 2e-6);  // the sign does not matter
  EXPECT_DOUBLE_EQ(robustness_value(1.0, 783, 0.05), 0.0);    // not significant: RV_alpha 0
}

TEST(Sensitivity, RosenbaumBoundOnFivePositivePairs) {
  // Differences 1..5, all positive: signed-rank T = 15, sum of ranks 15, of squares 55. Under
  // Gamma, q = Gamma / (1 + Gamma), E = 15 q, Var = 55 q (1 - q). At Gamma = 1: z = 7.5 /
  // sqrt(13.75) = 2.02260, p = 0.021557. The largest Gamma with p <= 0.05 solves
  // 15 (1 - q) = 1.644854 sqrt(55 q (1 - q)): 225 (1 - q) = 148.806 q, q = 0.601918,
  // Gamma = q / (1 - q) = 1.51205.
  const std::vector<double> d = {1, 2, 3, 4, 5};
  EXPECT_NEAR(rosenbaum_p_value(d, 1.0), 0.021557, 1e-6);
  EXPECT_NEAR(rosenbaum_gamma(d, 0.05), 1.51205, 1e-4);
  // Ties share their average rank; zeros are dropped. {0, 1, 1, 3}: ranks 1.5, 1.5, 3, all
  // positive, T = 6; sum 6, squares 13.5; at Gamma = 1, z = (6 - 3) / sqrt(3.375) = 1.63299,
  // p = 0.051235.
  EXPECT_NEAR(rosenbaum_p_value({0, 1, 1, 3}, 1.0), 0.051235, 1e-6);
  // Not significant without hidden bias: Gamma is 1.
  EXPECT_DOUBLE_EQ(rosenbaum_gamma({1, -1, 2, -2}, 0.05), 1.0);
}

// Rosenbaum's bounds test disjoint matched pairs. When units serve in several pairs (with
// replacement), in sets (1:k) or in both directions (ATE), the signed-rank test would count one
// unit's outcome again and again: no Gamma then, but a note saying why.
TEST(Sensitivity, RosenbaumGammaOnlyForDisjointPairs) {
  const AnalysisData d = testing::sample_from(
      testing::table_at(testing::shared_path("data/lalonde/lalonde_matchit.csv")),
      {"treat",
       "re78",
       {"age", "educ", "race", "married", "nodegree", "re74", "re75"},
       {},
       {},
       false,
       {},
       {}});
  const auto run = [&d](bool replace, int k, Target target) {
    EstimateOptions o;
    o.matching.replace = replace;
    o.matching.k = k;
    o.target = target;
    Estimate e;
    e.target = target;
    e.estimate = 1000;
    return sensitivity(d, "matching", e, o);
  };
  // 1:1 pairs without replacement: the test runs (on LaLonde the matched differences are not
  // significant even without hidden bias, so it says so instead of giving a Gamma).
  const Sensitivity pairs = run(false, 1, Target::kAtt);
  ASSERT_FALSE(pairs.notes.empty());
  EXPECT_NE(pairs.notes.back().find("signed-rank p = "), std::string::npos) << pairs.notes.back();
  for (const auto& [replace, k, target] :
       {std::tuple{true, 1, Target::kAtt}, std::tuple{false, 2, Target::kAtt},
        std::tuple{true, 1, Target::kAte}}) {
    const Sensitivity s = run(replace, k, target);
    EXPECT_FALSE(s.rosenbaum_gamma.has_value());
    ASSERT_FALSE(s.notes.empty());
    EXPECT_NE(s.notes.back().find("assume disjoint matched pairs"), std::string::npos)
        << s.notes.back();
  }
}

}  // namespace
}  // namespace causeway
