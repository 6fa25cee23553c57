#include "causeway/learn/logistic.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
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

// The PSID comparison of LaLonde with the rows `level_rows` (0-based) given a married level of
// their own (2), as x: age, educ, married = 1, married = 2 and, when `all`, the other covariates.
struct SmallLevel {
  Eigen::MatrixXd x;
  Eigen::VectorXd y;
  Eigen::Index column;  // of married = 2
};

SmallLevel small_level(const std::vector<Eigen::Index>& level_rows, bool all) {
  const Table t = testing::table_at(testing::shared_path("data/lalonde/nsw_dw_treated_psid.csv"));
  const std::vector<std::string> others = {"black", "hispan", "nodegree", "re74", "re75"};
  const Eigen::Index n = static_cast<Eigen::Index>(t.rows);
  SmallLevel s{Eigen::MatrixXd(n, all ? 9 : 4), Eigen::VectorXd(n), 3};
  for (Eigen::Index i = 0; i < n; ++i) {
    const auto r = static_cast<std::size_t>(i);
    const bool mine = std::find(level_rows.begin(), level_rows.end(), i) != level_rows.end();
    const double level = mine ? 2.0 : t.find("married")->values[r];
    s.x(i, 0) = t.find("age")->values[r];
    s.x(i, 1) = t.find("educ")->values[r];
    s.x(i, 2) = level == 1.0;
    s.x(i, 3) = level == 2.0;
    if (all)
      for (std::size_t k = 0; k < others.size(); ++k)
        s.x(i, 4 + static_cast<Eigen::Index>(k)) = t.find(others[k])->values[r];
    s.y[i] = t.find("treat")->values[r];
  }
  return s;
}

// At the maximum the score equation of the level's column holds: its rows' probabilities add up
// to its treated rows. (Independent of how the fit got there.)
void expect_level_score_equation(const SmallLevel& s, const std::vector<Eigen::Index>& rows) {
  const LogisticFit fit = fit_logistic(s.x, s.y);
  ASSERT_TRUE(fit.converged);
  EXPECT_FALSE(fit.separated);
  const Eigen::VectorXd p = fit.predict(s.x);
  double probability = 0, treated = 0;
  for (const Eigen::Index i : rows) probability += p[i], treated += s.y[i];
  EXPECT_NEAR(probability, treated, 1e-8);
  for (const Eigen::Index i : rows) EXPECT_GT(std::min(p[i], 1 - p[i]), 0.05) << "row " << i;
}

// New users' cases: a married level of its own for a few rows of the PSID comparison of LaLonde.
// A Newton step pushed the level's rows to probabilities near 0; the next, with their weights
// near 0 and a residual near 1, was enormous: taken (even halved) it threw the coefficient to
// thousands or the level to the other extreme, and the fit ended there (scores of 1, ipw and
// matching refused) or did not converge ("the covariates separate"). The maximum-likelihood fit
// is finite in each case.
TEST(Logistic, SmallLevelOvershotByANewtonStepStillConverges) {
  // One treated, one control.
  const std::vector<Eigen::Index> one_each = {19, 1999};
  const SmallLevel narrow = small_level(one_each, false);
  ASSERT_NE(narrow.y[19], narrow.y[1999]);
  expect_level_score_equation(narrow, one_each);
  // The same rows with all the covariates (incomes in dollars).
  expect_level_score_equation(small_level(one_each, true), one_each);
  // Two treated, one control, against an independent fit: Newton's method with step halving in
  // numpy on the same design, run until its gradient was 3e-12 (printed to 12 digits).
  // (scikit-learn's LogisticRegression(penalty=None), lbfgs, stops 3e-5 short on the level's
  // flat coefficient: 1.19953386.)
  const std::vector<Eigen::Index> two_one = {33, 136, 1171};
  const SmallLevel s = small_level(two_one, false);
  expect_level_score_equation(s, two_one);
  const LogisticFit fit = fit_logistic(s.x, s.y);
  const double expected[] = {5.33350801028, -0.092253517985, -0.323531091774, -2.9034794483,
                             1.19956097281};
  // Within the fit's tolerance, 1e-10 (1 + the largest |coefficient|) = 6e-10, and the
  // reference's printed digits.
  for (int j = 0; j < 5; ++j) EXPECT_NEAR(fit.coef[j], expected[j], 1e-9);
}

// A new user's case: a calendar year (uncentred, values 1990 to 2010) with a strong effect. A
// step's slope and intercept parts cancel on such a column; judged by the bound that ignores
// this, every early step looked enormous and was cut to the trust region, the fit crept, ran
// out of steps and was reported as separation. The fit must equal the one on the centred year,
// moved back (the maximum-likelihood fit is equivariant): within the two fits' tolerances,
// 1e-10 (1 + 2000) each, carried through the intercept's 2000 x slope.
TEST(Logistic, UncentredYearFitsLikeTheCentredOne) {
  Rng rng(7);
  const Eigen::Index n = 2000;
  Eigen::MatrixXd x(n, 2), centred(n, 2);
  Eigen::VectorXd y(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const double year = 1990 + std::floor(21 * rng.uniform()), z = rng.normal();
    x.row(i) << year, z;
    centred.row(i) << year - 2000, z;
    y[i] = rng.uniform() < logistic(1.0 * (year - 2005) + 2 * z) ? 1.0 : 0.0;
  }
  const LogisticFit raw = fit_logistic(x, y), moved = fit_logistic(centred, y);
  ASSERT_TRUE(raw.converged);
  ASSERT_TRUE(moved.converged);
  EXPECT_FALSE(raw.separated);
  EXPECT_NEAR(raw.coef[1], moved.coef[1], 1e-6);
  EXPECT_NEAR(raw.coef[2], moved.coef[2], 1e-6);
  EXPECT_NEAR(raw.coef[0], moved.coef[0] - 2000 * moved.coef[1], 1e-6);
  EXPECT_LT(raw.iterations, 30);
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

// The fit records how near the scores come to 0 or 1, which lets positivity checks skip their
// look at every score: it must be the smallest min(p, 1 - p); with separation, where some scores
// are set to 0 or 1 outside the fit, it is unknown (0).
TEST(Propensity, TheClearanceIsTheNearestAnyScoreComesTo0Or1) {
  const PropensityModel pm = fit_propensity(lalonde(), {}).value();
  double nearest = 1;
  for (Eigen::Index i = 0; i < pm.score.size(); ++i)
    nearest = std::min({nearest, pm.score[i], 1 - pm.score[i]});
  EXPECT_NEAR(pm.clearance, nearest, 1e-12 * nearest);
  const AnalysisData separated =
      testing::sample_from(testing::table_at(testing::shared_path("cases/C05/input.csv")),
                           {"offer", "spend_next_month", {"region"}, {}, {}, false, {}, {}});
  EXPECT_EQ(fit_propensity(separated, {}).value().clearance, 0.0);
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

// A new user's case (and LaLonde's CPS comparison with educ read as levels): the reference level
// is in one arm only, and so is the level after it. Once the reference's rows leave the fit, the
// next level's column leaves with them and that level is the reference; it was never checked, so
// the fit diverged and ended in "the covariates separate ... 'region=n'". Both levels are found,
// each named, and the rest is fitted; new rows of either level get their score.
TEST(Propensity, ALevelThatBecomesTheReferenceIsCheckedToo) {
  std::string csv = "t,y,x,region\n";
  const char* regions[] = {"e", "n", "s", "w"};
  for (int i = 0; i < 80; ++i) {
    const std::string region = regions[i % 4];
    const int t = region == "e" || region == "n" ? 0 : (i / 4) % 2;  // e and n: controls only
    csv += std::to_string(t) + "," + std::to_string(i % 5) + "," + std::to_string(i % 7) + "," +
           region + "\n";
  }
  const AnalysisData d = testing::sample_from(testing::table_from(csv),
                                              {"t", "y", {"x", "region"}, {}, {}, false, {}, {}});
  const auto fitted = fit_propensity(d, {});
  ASSERT_TRUE(fitted.ok()) << fitted.status().message();
  const PropensityModel& pm = fitted.value();
  ASSERT_EQ(pm.separation.size(), 2u);
  EXPECT_NE(pm.separation[0].message.find("region = e occurs only among control units (20 of 20"),
            std::string::npos)
      << pm.separation[0].message;
  EXPECT_NE(pm.separation[1].message.find("region = n occurs only among control units (20 of 20"),
            std::string::npos)
      << pm.separation[1].message;
  EXPECT_EQ(pm.count_equal(0.0), 40u);
  Eigen::MatrixXd rows(3, 4);  // x, region=n, region=s, region=w
  rows << 3, 0, 0, 0,          // region e
      3, 1, 0, 0,              // region n
      3, 0, 1, 0;              // region s
  const Eigen::VectorXd scores = predict_propensity(pm, rows);
  EXPECT_EQ(scores[0], 0.0);
  EXPECT_EQ(scores[1], 0.0);
  EXPECT_GT(scores[2], 0.0);
}

// A new user's fuzzing (LaLonde with educ as levels, beside nodegree): a flag that is a sum of a
// categorical's levels only once a separated level's rows have left the fit. Over all rows it
// adds a direction (the rank check passes); without those rows the fit had a flat direction and
// ended "not converging" or at arbitrary coefficients. The dependent column now leaves the fit.
TEST(Propensity, AColumnDependentOnceSeparatedRowsLeaveLeavesTheFit) {
  std::string csv = "t,y,x,plan,flag\n";
  Rng rng(12);
  for (int i = 0; i < 400; ++i) {
    // plan a: controls only, its flag mixed; b: flag 1; c: flag 0
    const std::string plan = i < 20 ? "a" : (i % 2 ? "b" : "c");
    const int t = plan == "a" ? 0 : rng.uniform() < 0.4;
    const int flag = plan == "a" ? i % 2 : plan == "b";
    csv += std::to_string(t) + "," + std::to_string(rng.normal()) + "," +
           std::to_string(rng.normal()) + "," + plan + "," + std::to_string(flag) + "\n";
  }
  const AnalysisData d = testing::sample_from(
      testing::table_from(csv), {"t", "y", {"x", "plan", "flag"}, {}, {}, false, {}, {}});
  const auto fitted = fit_propensity(d, {});
  ASSERT_TRUE(fitted.ok()) << fitted.status().message();
  const PropensityModel& pm = fitted.value();
  ASSERT_EQ(pm.separation.size(), 1u);
  EXPECT_NE(pm.separation[0].message.find("plan = a occurs only among control units"),
            std::string::npos);
  std::vector<std::string> in_fit(pm.names.begin(), pm.names.end());
  // Of plan=c and flag (equal to 1 - plan=c on the rows left), one stays; x stays.
  EXPECT_EQ(std::count(in_fit.begin(), in_fit.end(), "flag") +
                std::count(in_fit.begin(), in_fit.end(), "plan=c"),
            1);
  EXPECT_EQ(std::count(in_fit.begin(), in_fit.end(), "x"), 1);
  for (Eigen::Index i = 20; i < pm.score.size(); ++i)
    ASSERT_TRUE(pm.score[i] > 0.05 && pm.score[i] < 0.95) << "row " << i << ": " << pm.score[i];
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
