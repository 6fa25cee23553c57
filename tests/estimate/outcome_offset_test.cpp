// An outcome far from 0 compared with its spread (timestamps in milliseconds, 1.7e12 give or take
// a few) gives the effects the same outcome gives without its offset: the methods sum the outcome
// less its midpoint (with_outcome_near_zero). Summed as given, such values kept too few digits: a
// naive difference of 0.00014 came out as 0, a regression coefficient of 0.6465 as 0.6525.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>

#include "causeway/estimate/run.h"
#include "causeway/learn/logistic.h"
#include "causeway/learn/propensity.h"
#include "causeway/rng.h"

namespace causeway {
namespace {

constexpr double kOffset = 1.7e12;

// n rows of one covariate, each filled by fill(i, rng, d).
template <class Fill>
AnalysisData sample_of(const std::string& covariate, std::uint64_t seed, Fill fill) {
  Rng rng(seed);
  const Eigen::Index n = 3000;
  AnalysisData d;
  d.source = covariate + ".csv";
  d.treatment = "t";
  d.outcome = "y";
  d.y.resize(n);
  d.t.resize(n);
  d.x.resize(n, 1);
  for (Eigen::Index i = 0; i < n; ++i) fill(i, rng, d);
  d.x_names = {covariate};
  d.x_value_labels.assign(1, {"", ""});
  d.n_treated = static_cast<std::size_t>(d.t.sum());
  d.n_control = static_cast<std::size_t>(n) - d.n_treated;
  return d;
}

// Outcomes in quarters, so that kOffset + y is exact (a double near 1.7e12 resolves 2^-12).
AnalysisData sample(double offset) {
  return sample_of("x", 21, [offset](Eigen::Index i, Rng& rng, AnalysisData& d) {
    d.x(i, 0) = rng.normal();
    d.t[i] = rng.bernoulli(logistic(0.8 * d.x(i, 0)));
    d.y[i] = offset + std::round(4 * (d.x(i, 0) + 0.7 * d.t[i] + rng.normal())) / 4;
  });
}

TEST(OutcomeOffset, EffectsOnTimestampsEqualThoseWithoutTheOffset) {
  const AnalysisData near = sample(0), far = sample(kOffset);
  EstimateOptions o;
  o.matching.replace = true;
  const std::vector<std::string> methods = {"naive",          "regression", "matching",
                                            "stratification", "ipw",        "aipw"};
  const EstimationReport a = estimate_all(near, methods, o, true);
  const EstimationReport b = estimate_all(far, methods, o, true);
  ASSERT_EQ(a.estimates.size(), methods.size());
  ASSERT_EQ(b.estimates.size(), methods.size());
  for (std::size_t m = 0; m < methods.size(); ++m) {
    const Estimate &e = a.estimates[m], &f = b.estimates[m];
    // The same arithmetic on outcomes that differ by a constant: equal but for round-off in
    // sums of numbers near 10, far below a millionth of a standard error.
    EXPECT_NEAR(f.estimate, e.estimate, 1e-6 * e.se) << methods[m];
    EXPECT_NEAR(f.se, e.se, 1e-6 * e.se) << methods[m];
  }
  // The naive method's arm means are reported on the outcome's own scale.
  EXPECT_NEAR(b.estimates[0].details["mean_treated"].get<double>() - kOffset,
              a.estimates[0].details["mean_treated"].get<double>(), 1e-3);
}

// A covariate far from 0 for its spread (milliseconds since 1970: 1.7e12 give or take a few
// seconds) makes its slope and the intercept almost one direction; the propensity fit stalled there
// (every score came out 0.492 on such a file) or ran out of steps. Fitted less its midpoint, the
// propensity methods give what the same covariate gives without the offset. A 0/1 outcome
// (`binary`) has a logistic outcome model in aipw, which stalled the same way.
AnalysisData with_covariate_offset(double offset, bool binary = false) {
  AnalysisData d = sample_of("ts", 22, [offset, binary](Eigen::Index i, Rng& rng, AnalysisData& d) {
    const double ms = std::round(rng.normal() * 1000);  // whole milliseconds: offset + ms exact
    d.x(i, 0) = offset + ms;
    d.t[i] = rng.bernoulli(logistic(0.0008 * ms));
    d.y[i] = binary ? rng.bernoulli(logistic(0.001 * ms + 0.7 * d.t[i] - 0.2))
                    : 0.001 * ms + 0.7 * d.t[i] + rng.normal();
  });
  d.binary_outcome = binary;
  return d;
}

TEST(CovariateOffset, AipwOnABinaryOutcomeEqualsItsFitWithoutTheOffset) {
  const AnalysisData near = with_covariate_offset(0, true),
                     far = with_covariate_offset(kOffset, true);
  for (const Target target : {Target::kAtt, Target::kAte}) {
    EstimateOptions o;
    o.target = target;
    const EstimationReport e = estimate_all(near, {"aipw"}, o, true);
    const EstimationReport f = estimate_all(far, {"aipw"}, o, true);
    ASSERT_EQ(e.estimates.size(), 1u);
    ASSERT_EQ(f.estimates.size(), 1u);
    EXPECT_NEAR(f.estimates[0].estimate, e.estimates[0].estimate, 1e-6 * e.estimates[0].se);
    EXPECT_NEAR(f.estimates[0].se, e.estimates[0].se, 1e-6 * e.estimates[0].se);
  }
  // The fit itself: the slope, the intercept turned back, and the probabilities.
  const LogisticFit a = fit_logistic(near.x, near.y), b = fit_logistic(far.x, far.y);
  ASSERT_EQ(b.centre.size(), 1);
  EXPECT_EQ(a.centre.size(), 0);
  EXPECT_NEAR(b.coef[1], a.coef[1], 1e-6 * std::abs(a.coef[1]));
  EXPECT_NEAR(b.centred_intercept + b.coef[1] * (kOffset - b.centre[0]), a.coef[0],
              1e-6 * (1 + std::abs(a.coef[0])));
  EXPECT_LT((b.predict(far.x) - a.predict(near.x)).cwiseAbs().maxCoeff(), 1e-9);
  EXPECT_NEAR(b.linear_predictor(far.x.row(7)), a.linear_predictor(near.x.row(7)), 1e-9);
}

TEST(CovariateOffset, EffectsOnATimestampCovariateEqualThoseWithoutTheOffset) {
  const AnalysisData near = with_covariate_offset(0), far = with_covariate_offset(kOffset);
  const PropensityModel a = fit_propensity(near, {}).value(), b = fit_propensity(far, {}).value();
  EXPECT_NEAR(b.coef[1], a.coef[1], 1e-6 * std::abs(a.coef[1]));
  EXPECT_NEAR(b.coef[0] + b.coef[1] * kOffset, a.coef[0], 1e-6 * (1 + std::abs(a.coef[0])));
  EXPECT_LT((b.score - a.score).cwiseAbs().maxCoeff(), 1e-9);
  EstimateOptions o;
  o.matching.replace = true;
  // the outcome models too (regression, aipw): least squares centres such a column beside the
  // intercept (a regression on it came out as the naive difference)
  const std::vector<std::string> methods = {"matching", "stratification", "ipw", "regression",
                                            "aipw"};
  for (const Target target : {Target::kAtt, Target::kAte}) {
    o.target = target;
    const EstimationReport e = estimate_all(near, methods, o, true);
    const EstimationReport f = estimate_all(far, methods, o, true);
    ASSERT_EQ(e.estimates.size(), methods.size());
    ASSERT_EQ(f.estimates.size(), methods.size());
    for (std::size_t m = 0; m < methods.size(); ++m) {
      EXPECT_NEAR(f.estimates[m].estimate, e.estimates[m].estimate, 1e-6 * e.estimates[m].se)
          << methods[m];
      EXPECT_NEAR(f.estimates[m].se, e.estimates[m].se, 1e-6 * e.estimates[m].se) << methods[m];
    }
  }
}

}  // namespace
}  // namespace causeway
