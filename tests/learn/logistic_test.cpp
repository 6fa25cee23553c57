#include "causeway/learn/logistic.h"

#include <gtest/gtest.h>

#include <map>

#include "causeway/learn/propensity.h"
#include "causeway/rng.h"
#include "learn/separation.h"
#include "support/fixtures.h"

namespace causeway {
namespace {

AnalysisData lalonde() {
  return testing::sample_from(
      testing::table_at(testing::shared_path("data/lalonde/lalonde_matchit.csv")),
      {"treat",
       "re78",
       {"age", "educ", "race", "married", "nodegree", "re74", "re75"},
       {},
       {},
       false,
       {},
       {}});
}

// R 4.2, glm(treat ~ ..., family = binomial) as MatchIt 4.5.1 fits it (the figures).
TEST(Logistic, ReproducesGlmOnLalonde) {
  const AnalysisData d = lalonde();
  auto pm = fit_propensity(d, {});
  ASSERT_TRUE(pm.ok()) << pm.status().message();
  const std::map<std::string, double> expected = {
      {"(intercept)", -1.663281595}, {"age", 0.01577707099},       {"educ", 0.1613068770},
      {"race=hispan", -2.081734119}, {"race=white", -3.065367729}, {"married", -0.8321132713},
      {"nodegree", 0.7072968811},    {"re74", -7.177668568e-05},   {"re75", 5.344644639e-05}};
  const auto& m = pm.value();
  ASSERT_EQ(m.names.size(), expected.size());
  for (std::size_t i = 0; i < m.names.size(); ++i)
    EXPECT_NEAR(m.coef[static_cast<Eigen::Index>(i)], expected.at(m.names[i]),
                1e-7 * std::max(1.0, std::abs(expected.at(m.names[i]))))
        << m.names[i];
  EXPECT_TRUE(m.separation.empty());
}

TEST(Logistic, RecoversSimulatedCoefficientsWithinStandardErrors) {
  // y ~ Bernoulli(logistic(-0.5 + 1.2 x)), n = 20000: each estimate within 4 SE of the truth.
  Rng rng(3);
  const int n = 20000;
  Eigen::MatrixXd x(n, 1);
  Eigen::VectorXd y(n);
  for (int i = 0; i < n; ++i) {
    x(i, 0) = rng.normal();
    y[i] = rng.bernoulli(logistic(-0.5 + 1.2 * x(i, 0)));
  }
  const LogisticFit fit = fit_logistic(x, y);
  ASSERT_TRUE(fit.converged);
  const Eigen::MatrixXd cov = fit.hessian.inverse();
  EXPECT_NEAR(fit.coef[0], -0.5, 4 * std::sqrt(cov(0, 0)));
  EXPECT_NEAR(fit.coef[1], 1.2, 4 * std::sqrt(cov(1, 1)));
}

// On 400,000 rows the fit starts from a subsample and stops once quadratic convergence puts the
// next Newton step far below the tolerance, a pass before the step itself is that small. The
// coefficients must be those of a fit run on to a 1e-15 tolerance, which takes that pass.
TEST(Logistic, StoppingOnQuadraticConvergenceLosesNoDigits) {
  Rng rng(17);
  const int n = 400000;
  Eigen::MatrixXd x(n, 2);
  Eigen::VectorXd y(n);
  for (int i = 0; i < n; ++i) {
    x(i, 0) = rng.normal();
    x(i, 1) = rng.bernoulli(0.3);
    y[i] = rng.bernoulli(logistic(-0.4 + 0.9 * x(i, 0) - 0.7 * x(i, 1)));
  }
  const LogisticFit fit = fit_logistic(x, y);
  LogisticOptions tight;
  tight.tolerance = 1e-15;
  const LogisticFit reference = fit_logistic(x, y, tight);
  ASSERT_TRUE(fit.converged);
  ASSERT_TRUE(reference.converged);
  // From the subsample's fit the steps shrink about 0.03, 5e-4, 1e-7: the third is taken without
  // a pass after it (the fourth, about 4e-15, is not computed).
  EXPECT_EQ(fit.iterations, 3);
  EXPECT_GT(reference.iterations, fit.iterations);
  for (Eigen::Index j = 0; j < 3; ++j)
    EXPECT_NEAR(fit.coef[j], reference.coef[j], 1e-12 * (1 + std::abs(reference.coef[j])));
}

// A new user's case: two rows of a level of their own (married = 2 in the PSID comparison of
// LaLonde), one treated and one control. A Newton step pushed both to probabilities near 0; the
// next, with their weights near 0 and the treated row's residual near 1, was 5e9 long, and no
// halving of it ascended: the fit took it anyway and ended at a coefficient of 4768 with both
// scores at 1 (ipw and matching then refused for positivity). The maximum-likelihood fit is
// finite: at it the score equation of the level's column says the two rows' probabilities add
// up to its one treated row.
TEST(Logistic, SmallLevelOvershotByANewtonStepStillConverges) {
  const Table t = testing::table_at(testing::shared_path("data/lalonde/nsw_dw_treated_psid.csv"));
  const Column& treat = *t.find("treat");
  const Column& married = *t.find("married");
  const Eigen::Index n = static_cast<Eigen::Index>(t.rows);
  Eigen::MatrixXd x(n, 4);
  Eigen::VectorXd y(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const auto r = static_cast<std::size_t>(i);
    const double level = i == 19 || i == 1999 ? 2.0 : married.values[r];
    x.row(i) << t.find("age")->values[r], t.find("educ")->values[r], level == 1.0, level == 2.0;
    y[i] = treat.values[r];
  }
  ASSERT_NE(y[19], y[1999]) << "the level's two rows must be one treated and one control";
  const LogisticFit fit = fit_logistic(x, y);
  ASSERT_TRUE(fit.converged);
  EXPECT_FALSE(fit.separated);
  const Eigen::VectorXd p = fit.predict(x);
  EXPECT_NEAR(p[19] + p[1999], 1.0, 1e-8);
  EXPECT_GT(std::min(p[19], p[1999]), 0.1);  // not pushed to 0 or 1
  EXPECT_LT(std::abs(fit.coef[4]), 5.0);
}

TEST(Logistic, DetectsSeparation) {
  Eigen::MatrixXd x(6, 1);
  x << 1, 2, 3, 4, 5, 6;
  Eigen::VectorXd y(6);
  y << 0, 0, 0, 1, 1, 1;
  EXPECT_TRUE(fit_logistic(x, y).separated);
  EXPECT_FALSE(fit_logistic(x, y, {1.0, 100, 1e-10}).separated);
}

TEST(Propensity, NamesTheLevelThatOccursInOneArm) {
  const AnalysisData d = testing::sample_from(
      testing::table_at(testing::shared_path("cases/C04/input.csv")),
      {"offer", "churned", {"tenure_months", "has_api_addon"}, {}, {}, false, {}, {}});
  auto pm = fit_propensity(d, {});
  ASSERT_TRUE(pm.ok());
  ASSERT_EQ(pm.value().separation.size(), 1u);
  EXPECT_NE(pm.value().separation[0].message.find(
                "has_api_addon = 1 occurs only among treated units (3 of 3 rows: S405, S409, "
                "S415)"),
            std::string::npos);
  EXPECT_EQ(pm.value().count_equal(1.0), 3u);
  // A penalised fit keeps every score inside (0, 1) and still reports the finding.
  auto ridge = fit_propensity(d, {1.0});
  ASSERT_TRUE(ridge.ok());
  EXPECT_LT(ridge.value().score.maxCoeff(), 1.0);
  EXPECT_EQ(ridge.value().separation.size(), 1u);
  // Without the rare column the fit is ordinary.
  const AnalysisData plain =
      testing::sample_from(testing::table_at(testing::shared_path("cases/C04/input.csv")),
                           {"offer", "churned", {"tenure_months"}, {}, {}, false, {}, {}});
  EXPECT_TRUE(fit_propensity(plain, {}).value().separation.empty());
}

TEST(Propensity, RegionWithoutTreatedUnitsGetsExactlyZero) {
  const AnalysisData d =
      testing::sample_from(testing::table_at(testing::shared_path("cases/C05/input.csv")),
                           {"offer", "spend_next_month", {"region"}, {}, {}, false, {}, {}});
  const PropensityModel pm = fit_propensity(d, {}).value();
  EXPECT_EQ(pm.count_equal(0.0), 6u);
  EXPECT_NE(pm.separation.at(0).message.find("region = north"), std::string::npos);
}

// The reference level has no column of its own; a level in one arm must be found all the same.
TEST(Propensity, ReferenceLevelInOneArmIsFound) {
  std::string csv = "t,y,x,region\n";
  const char* regions[] = {"e", "n", "s"};
  for (int i = 0; i < 60; ++i) {
    const std::string region = regions[i % 3];
    const int t = region == "e" ? 0 : (i / 3) % 2;  // region e: controls only
    csv += std::to_string(t) + "," + std::to_string(i % 4) + "," + std::to_string(i % 7) + "," +
           region + "\n";
  }
  const AnalysisData d = testing::sample_from(testing::table_from(csv),
                                              {"t", "y", {"x", "region"}, {}, {}, false, {}, {}});
  const PropensityModel pm = fit_propensity(d, {}).value();
  ASSERT_EQ(pm.separation.size(), 1u);
  EXPECT_NE(pm.separation[0].message.find("region = e occurs only among control units (20 of 20"),
            std::string::npos);
  EXPECT_EQ(pm.count_equal(0.0), 20u);
  // Scoring new rows applies the same rule.
  Eigen::MatrixXd rows(2, 3);
  rows << 3, 0, 0,  // region e
      3, 1, 0;      // region n
  const Eigen::VectorXd scores = predict_propensity(pm, rows);
  EXPECT_EQ(scores[0], 0.0);
  EXPECT_GT(scores[1], 0.0);
}

TEST(Propensity, UnexplainedSeparationNamesTheStrongestCovariate) {
  // Separated only by the combination a + b, not by either alone.
  const std::string csv =
      "t,y,a,b\n1,1,1,1\n1,1,2,1\n1,0,0,2.5\n1,0,3,-0.5\n0,1,0,0\n0,1,1,-0.5\n0,0,-1,1\n"
      "0,0,-2,1.5\n";
  const AnalysisData d =
      testing::sample_from(testing::table_from(csv), {"t", "y", {"a", "b"}, {}, {}, false, {}, {}});
  auto pm = fit_propensity(d, {});
  ASSERT_FALSE(pm.ok());
  EXPECT_NE(pm.status().message().find("--propensity-l2"), std::string::npos);
  EXPECT_TRUE(fit_propensity(d, {1.0}).ok());
}

// A column holding both -0 and 0 at the edge of an arm: the range is printed with 0, whichever
// of the two the scan meets first (and so whatever the thread count).
TEST(Propensity, SeparationRangeShowsMinusZeroAsZero) {
  const std::string csv = "t,y,z\n0,1,-0\n0,0,0\n0,1,-3\n0,0,-1\n1,1,2\n1,0,4\n1,1,3\n";
  const AnalysisData d =
      testing::sample_from(testing::table_from(csv), {"t", "y", {"z"}, {}, {}, false, {}, {}});
  const SeparationScan scan = scan_separation(d, false);
  ASSERT_EQ(scan.findings.size(), 1u);
  const std::string& message = scan.findings[0].message;
  EXPECT_NE(message.find("control -3 to 0)"), std::string::npos) << message;
}

}  // namespace
}  // namespace causeway
