// The causal forest on the uplift simulation (DESIGN.md): effect 0.30 for tenure under 6 months,
// 0.05 up to 18, -0.02 beyond. Linear nuisance models (centering.h).
#include "forest/causal_forest.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "causeway/rng.h"
#include "causeway/sim/simulate.h"
#include "causeway/uplift/uplift.h"
#include "forest/centering.h"
#include "support/samples.h"

namespace causeway {
namespace {

TEST(CausalForest, MeetsTheIssuesFiguresOnTheUpliftSimulation) {
  // 20,000 rows, 2,000 trees, the default minimum leaf (8) and split threshold (2), out-of-bag
  // predictions. The issue's figures: CATE RMSE at most 0.037; 95 % intervals covering the
  // true effect for at least 92 % of customers; mean prediction for tenure < 6 within 0.03 of
  // 0.30; a majority of long-tenure customers (tenure >= 18) predicted negative or with an
  // interval reaching below 0. This is simulation seed 7, fixed before the settings were
  // chosen. Over seeds 1 to 48 the same settings give RMSE 0.025 to 0.049 (mean 0.035) and
  // coverage 0.83 to 0.97 (mean 0.93): both figures hold on 29 of the 48 seeds
  // (bench/uplift_seed_sweep.sh; README.md explains the tenure < 6 figure's spread).
  const testing::UpliftSample u = testing::uplift_sample(20000);
  const Centered c = center_linear(u.x, u.y, u.w, 5, 1);
  const CausalForest::Prediction p =
      CausalForest::train(u.x, c.y, c.w, ForestOptions{}).predict_oob();
  double se = 0, covered = 0, short_sum = 0, short_n = 0, long_negative = 0, long_n = 0;
  constexpr double z = 1.959963984540054;
  for (Eigen::Index i = 0; i < p.tau.size(); ++i) {
    ASSERT_TRUE(std::isfinite(p.tau[i]) && std::isfinite(p.se[i]) && p.se[i] > 0) << i;
    se += (p.tau[i] - u.tau[i]) * (p.tau[i] - u.tau[i]);
    covered += std::abs(p.tau[i] - u.tau[i]) <= z * p.se[i];
    if (u.x(i, 2) < 6) short_sum += p.tau[i], ++short_n;
    if (u.x(i, 2) >= 18) long_negative += p.tau[i] - z * p.se[i] < 0, ++long_n;
  }
  const double n = static_cast<double>(p.tau.size());
  EXPECT_LE(std::sqrt(se / n), 0.037);
  EXPECT_GE(covered / n, 0.92);
  EXPECT_NEAR(short_sum / short_n, 0.30, 0.03);
  EXPECT_GT(long_negative / long_n, 0.5);
}

TEST(CausalForest, RLossTuningPrefersSmootherLeavesWhenTheEffectIsSmooth) {
  const testing::UpliftSample u = testing::uplift_sample(5000);
  const Centered c = center_linear(u.x, u.y, u.w, 5, 1);
  ForestOptions options;
  options.trees = 100;
  options.min_node_size = 0;
  const CausalForest f = CausalForest::train(u.x, c.y, c.w, options);
  EXPECT_GT(f.min_node_size(), 5);  // three effect levels over 47 months: leaves can be large
  options.min_node_size = 5;
  EXPECT_EQ(CausalForest::train(u.x, c.y, c.w, options).min_node_size(), 5);  // given: kept
}

TEST(CausalForest, SameSeedSameScoresWithOneOrTwoThreads) {
  const testing::UpliftSample u = testing::uplift_sample(3000);
  const Centered c = center_linear(u.x, u.y, u.w, 5, 1);
  ForestOptions options;
  options.trees = 50;
  options.threads = 1;
  const CausalForest one = CausalForest::train(u.x, c.y, c.w, options);
  options.threads = 2;
  const CausalForest two = CausalForest::train(u.x, c.y, c.w, options);
  const auto oob_one = one.predict_oob(), oob_two = two.predict_oob();
  EXPECT_EQ(oob_one.tau, oob_two.tau);
  EXPECT_EQ(oob_one.se, oob_two.se);
  const auto new_one = one.predict(u.x.topRows(100)), new_two = two.predict(u.x.topRows(100));
  EXPECT_EQ(new_one.tau, new_two.tau);
  EXPECT_EQ(new_one.se, new_two.se);
}

TEST(CausalForest, NewRowsFollowTheTrainingSplits) {
  // Predicting the training rows through raw thresholds uses every tree (not only out of bag),
  // so it differs from the OOB figure, but the groups must come out the same way round.
  const testing::UpliftSample u = testing::uplift_sample(5000);
  const Centered c = center_linear(u.x, u.y, u.w, 5, 1);
  ForestOptions options;
  options.trees = 100;
  const Eigen::VectorXd tau = CausalForest::train(u.x, c.y, c.w, options).predict(u.x).tau;
  double short_mean = 0, short_n = 0, long_mean = 0, long_n = 0;
  for (Eigen::Index i = 0; i < tau.size(); ++i) {
    if (u.x(i, 2) < 6) short_mean += tau[i], ++short_n;
    if (u.x(i, 2) >= 18) long_mean += tau[i], ++long_n;
  }
  EXPECT_GT(short_mean / short_n, long_mean / long_n + 0.15);
}

TEST(CausalForest, SplitsMustBeatTheNoiseUnlessMinGainIsZero) {
  // A constant effect (0.1) on the uplift simulation's features and treatment: every split is
  // noise. Requiring a gain above twice the noise leaves fewer, larger leaves, so the
  // predictions vary less around the one effect (about a quarter less with this seed; the test
  // asks for a tenth); a threshold no split can reach leaves one leaf per tree, so every new row
  // gets the same prediction.
  const testing::UpliftSample u = testing::uplift_sample(4000, 11);
  Rng rng(5);
  Eigen::VectorXd y(u.w.size());
  for (Eigen::Index i = 0; i < y.size(); ++i)
    y[i] = rng.bernoulli(0.45 + 0.1 * u.w[i] + 0.1 * std::tanh(u.x(i, 0)));
  const Centered c = center_linear(u.x, y, u.w, 5, 1);
  const auto spread = [&](double min_gain) {
    ForestOptions options;
    options.trees = 200;
    options.min_gain = min_gain;
    const Eigen::VectorXd tau = CausalForest::train(u.x, c.y, c.w, options).predict(u.x).tau;
    return std::sqrt((tau.array() - tau.mean()).square().mean());
  };
  const double all = spread(0), kept = spread(2), none = spread(1e6);
  std::printf("spread of predictions: min_gain 0: %.4f, 2: %.4f, 1e6: %.6f\n", all, kept, none);
  EXPECT_LT(kept, 0.9 * all);
  EXPECT_LT(none, 1e-12);
  ForestOptions bad;
  bad.min_gain = -1;
  EXPECT_THROW(CausalForest::train(u.x, c.y, c.w, bad), std::invalid_argument);
}

}  // namespace
}  // namespace causeway

namespace causeway {
namespace {

TEST(CausalForest, AverageEffectIntervalCoversTheTruth_Slow) {
  // The issue's figure: the doubly robust ATE's 95 % interval covers the true ATE in at least
  // 90 of 100 replications of a 5,000-row sample. The truth is each sample's mean true effect.
  // About a minute: 100 forests of 200 trees.
  int covered = 0;
  for (std::uint64_t rep = 0; rep < 100; ++rep) {
    SimulationOptions so;
    so.scenario = "uplift";
    so.rows = 5000;
    so.seed = 1000 + rep;
    so.with_truth = true;
    const Table t = simulate(so).value();
    AnalysisSpec spec{
        "call", "renew", {"motivation", "usage_depth", "tenure_months"}, {}, {}, false, {}, {}};
    const AnalysisData d = prepare_analysis(t, spec).value();
    UpliftOptions options;
    options.features = d.x_names;
    options.trees = 200;
    options.min_node_size = 50;  // fixed: the tuning is tested elsewhere, and costs time here
    options.seed = rep;
    const UpliftReport r = run_uplift(d, options).value();
    const Column* truth = t.find("true_effect");
    double mean = 0;
    for (double v : truth->values) mean += v;
    mean /= static_cast<double>(t.rows);
    covered += std::abs(r.ate - mean) <= 1.959963984540054 * r.ate_se;
  }
  std::printf("doubly robust ATE interval covered the truth in %d of 100 replications\n", covered);
  EXPECT_GE(covered, 90);
}

}  // namespace
}  // namespace causeway

namespace causeway {
namespace {

AnalysisData analysis_of(const Table& t, const std::vector<std::string>& covariates) {
  AnalysisSpec spec{"call", "renew", covariates, {}, {}, false, {}, {}};
  return prepare_analysis(t, spec).value();
}

TEST(Uplift, RankingBeatsRandomTargetingOnlyWhenTheEffectVaries) {
  SimulationOptions so;
  so.scenario = "uplift";
  so.rows = 10000;
  so.with_truth = true;
  const AnalysisData d =
      analysis_of(simulate(so).value(), {"motivation", "usage_depth", "tenure_months"});
  UpliftOptions options;
  options.features = d.x_names;
  options.trees = 400;
  const UpliftReport r = run_uplift(d, options).value();
  constexpr double z = 1.959963984540054;
  EXPECT_GT(r.qini_area - z * r.qini_se, 0);          // the ranking helps, beyond noise
  EXPECT_GT(r.budget_lift - z * r.budget_se, r.ate);  // the top 30 % gain more than average
  ASSERT_EQ(r.deciles.size(), 10u);
  EXPECT_GT(r.deciles[0].predicted, r.deciles[9].predicted);

  // The same customers with a constant effect: no ranking can help, so the Qini interval
  // should include 0 (for a correct interval, 95 % of samples; the seed is fixed).
  Table flat = simulate(so).value();
  Rng rng(5);
  std::vector<double> renew(flat.rows);
  const Column& call = *flat.find("call");
  for (std::size_t i = 0; i < flat.rows; ++i)
    renew[i] = rng.bernoulli(0.4 + 0.05 * call.values[i]) ? 1.0 : 0.0;
  for (auto& c : flat.columns)
    if (c.name == "renew") c.values.assign(renew.begin(), renew.end());
  const AnalysisData f = analysis_of(flat, {"motivation", "usage_depth", "tenure_months"});
  options.features = f.x_names;
  const UpliftReport null_r = run_uplift(f, options).value();
  EXPECT_LE(null_r.qini_area - z * null_r.qini_se, 0);
  EXPECT_GE(null_r.qini_area + z * null_r.qini_se, 0);
}

}  // namespace
}  // namespace causeway
