// Average effects by target, the linear projection, the calibration test and importance, on a
// simulation where the effect grows with a feature that also drives treatment: x1, x2 ~ N(0,1),
// P(t = 1) = logistic(x1), y = x1 + x2 + tau t + N(0,1) with tau = 0.5 + 0.5 x1. The treated
// have higher x1, so ATT > ATE > ATC; x2 changes the outcome but not the effect.
#include "uplift/forest_inference.h"

#include <gtest/gtest.h>

#include <cmath>

#include "causeway/rng.h"
#include "forest/causal_forest.h"
#include "forest/centering.h"
#include "support/samples.h"

namespace causeway {
namespace {

constexpr double kZ = 1.959963984540054;

struct Fitted {
  testing::LinearEffectSample s;
  Centered c;
  CausalForest::Prediction p;
  std::vector<double> importance;
};

Fitted fit(double slope) {
  Fitted f{testing::linear_effect_sample(8000, 11, slope), {}, {}, {}};
  f.c = center_linear(f.s.x, f.s.y, f.s.t, 5, 3);
  ForestOptions options;
  options.trees = 500;
  const CausalForest forest = CausalForest::train(f.s.x, f.c.y, f.c.w, options);
  f.p = forest.predict_oob();
  f.importance = forest.variable_importance();
  return f;
}

TEST(ForestInference, AverageEffectsPerTargetFindTheirOwnTruth) {
  const Fitted f = fit(0.5);
  const ForestFit ff{f.s.y, f.s.t, f.c.y_hat, f.c.w_hat, f.p.tau};
  const std::vector<AverageEffect> a = average_effects(ff);
  ASSERT_EQ(a.size(), 3u);
  // The truth of each target: the sample's mean true effect over its customers.
  double all = 0, treated = 0, control = 0, nt = 0;
  for (Eigen::Index i = 0; i < f.s.tau.size(); ++i) {
    all += f.s.tau[i];
    if (f.s.t[i] == 1)
      treated += f.s.tau[i], nt += 1;
    else
      control += f.s.tau[i];
  }
  const double n = static_cast<double>(f.s.tau.size());
  const double truth[3] = {all / n, treated / nt, control / (n - nt)};
  const char* names[3] = {"ate", "att", "atc"};
  for (int k = 0; k < 3; ++k) {
    EXPECT_EQ(a[k].target, names[k]);
    EXPECT_GT(a[k].se, 0);
    // Three standard errors: a correct interval misses by that much once in 370 samples.
    EXPECT_NEAR(a[k].estimate, truth[k], 3 * a[k].se) << names[k];
  }
  EXPECT_EQ(a[1].units, static_cast<std::size_t>(nt));
  // The truths differ by about 0.4 here, several standard errors: the ordering must show.
  EXPECT_GT(a[1].estimate, a[0].estimate);
  EXPECT_GT(a[0].estimate, a[2].estimate);
}

TEST(ForestInference, LinearProjectionRecoversTheEffectsSlope) {
  const Fitted f = fit(0.5);
  const ForestFit ff{f.s.y, f.s.t, f.c.y_hat, f.c.w_hat, f.p.tau};
  std::vector<std::string> warnings;
  const auto terms = best_linear_projection(dr_scores(ff), f.s.x, {"x1", "x2"}, warnings);
  EXPECT_TRUE(warnings.empty());
  ASSERT_EQ(terms.size(), 3u);
  EXPECT_EQ(terms[0].name, "(intercept)");
  EXPECT_NEAR(terms[0].estimate, 0.5, 3 * terms[0].se);
  EXPECT_NEAR(terms[1].estimate, 0.5, 3 * terms[1].se);
  EXPECT_NEAR(terms[2].estimate, 0.0, 3 * terms[2].se);
}

TEST(ForestInference, CalibrationSeesRealHeterogeneityAndItsAbsence) {
  const Fitted varied = fit(0.5);
  const Calibration c =
      calibration_test({varied.s.y, varied.s.t, varied.c.y_hat, varied.c.w_hat, varied.p.tau});
  EXPECT_NEAR(c.mean, 1.0, 3 * c.mean_se);
  EXPECT_NEAR(c.differential, 1.0, 3 * c.differential_se);
  EXPECT_LT(c.differential_p, 0.001);  // a slope of 0.5 on 8,000 rows is far beyond noise
  EXPECT_LT(c.mean_p, 0.001);

  const Fitted flat = fit(0.0);  // a constant effect: the predicted differences are noise
  const Calibration n =
      calibration_test({flat.s.y, flat.s.t, flat.c.y_hat, flat.c.w_hat, flat.p.tau});
  EXPECT_NEAR(n.mean, 1.0, 3 * n.mean_se);
  EXPECT_GT(n.differential_p, 0.001);
}

TEST(ForestInference, ImportanceFavoursTheFeatureThatMovesTheEffect) {
  const Fitted f = fit(0.5);
  ASSERT_EQ(f.importance.size(), 2u);
  EXPECT_NEAR(f.importance[0] + f.importance[1], 1.0, 1e-12);
  EXPECT_GT(f.importance[0], 2 * f.importance[1]);
}

}  // namespace
}  // namespace causeway

namespace causeway {
namespace {

TEST(ForestInference, RareLevelsAreLeftOutOfTheProjectionWithAWarning) {
  // Three customers with a level: a coefficient on them would rest on three noisy scores.
  Rng rng(5);
  const Eigen::Index n = 2000;
  Eigen::MatrixXd x(n, 2);
  Eigen::VectorXd scores(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    x(i, 0) = rng.normal();
    x(i, 1) = i < 3 ? 1 : 0;
    scores[i] = 0.1 + 0.2 * x(i, 0) + 3 * rng.normal();
  }
  std::vector<std::string> warnings;
  const auto terms = best_linear_projection(scores, x, {"age", "plan=vip"}, warnings);
  ASSERT_EQ(terms.size(), 2u);
  EXPECT_EQ(terms[1].name, "age");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("plan=vip: only 3 customers"), std::string::npos) << warnings[0];
}

}  // namespace
}  // namespace causeway
