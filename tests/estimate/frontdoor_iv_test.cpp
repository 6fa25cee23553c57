// Front-door and instrumental-variable estimators on linear simulations with a hidden confounder
// u of treatment and outcome, where every backdoor estimate is biased and the truth is known.
#include <gtest/gtest.h>

#include <cmath>

#include "causeway/estimate/estimate.h"
#include "causeway/rng.h"

namespace causeway {
namespace {

// The 95 % intervals of R replications must cover the truth in 95 % of them: with R = 150 the
// binomial SE of the coverage is 0.018, so [0.89, 0.995] is three SEs below and (almost) the top.
constexpr int kReplications = 150;
constexpr double kCoverageLow = 0.89, kCoverageHigh = 0.995;

AnalysisData base(Eigen::Index n) {
  AnalysisData d;
  d.y.resize(n);
  d.t.resize(n);
  d.x.resize(n, 0);
  return d;
}

void count_arms(AnalysisData& d) {
  d.n_treated = static_cast<std::size_t>(d.t.sum());
  d.n_control = static_cast<std::size_t>(d.t.size()) - d.n_treated;
}

// u -> t, u -> y hidden; t -> m -> y. True effect 1.5 * 0.8 = 1.2.
constexpr double kFrontDoorTruth = 1.2;
AnalysisData frontdoor_sample(std::uint64_t seed, Eigen::Index n) {
  Rng rng(seed);
  AnalysisData d = base(n);
  d.m.resize(n, 1);
  d.m_names = {"m"};
  for (Eigen::Index i = 0; i < n; ++i) {
    const double u = rng.normal();
    d.t[i] = u + rng.normal() > 0 ? 1.0 : 0.0;
    d.m(i, 0) = 1.5 * d.t[i] + rng.normal();
    d.y[i] = 0.8 * d.m(i, 0) + 1.2 * u + rng.normal();
  }
  count_arms(d);
  return d;
}

// z -> t -> y, u -> t and u -> y hidden. Constant effect 2.
constexpr double kIvTruth = 2.0;
AnalysisData iv_sample(std::uint64_t seed, Eigen::Index n) {
  Rng rng(seed);
  AnalysisData d = base(n);
  d.z.resize(n, 1);
  d.z_names = {"z"};
  for (Eigen::Index i = 0; i < n; ++i) {
    const double u = rng.normal();
    d.z(i, 0) = rng.bernoulli(0.5) ? 1.0 : 0.0;
    d.t[i] = -0.5 + 1.2 * d.z(i, 0) + u + rng.normal() > 0 ? 1.0 : 0.0;
    d.y[i] = kIvTruth * d.t[i] + 1.5 * u + rng.normal();
  }
  count_arms(d);
  return d;
}

struct Summary {
  double coverage = 0, mean = 0, sd = 0;
};

template <class Sample>
Summary replicate(const std::string& method, Sample sample, double truth, int bootstrap) {
  EstimateOptions options;
  options.target = Target::kAte;
  options.bootstrap = bootstrap;
  options.threads = 2;
  int covered = 0;
  double sum = 0, sum_sq = 0;
  for (int r = 0; r < kReplications; ++r) {
    const AnalysisData d = sample(1000 + static_cast<std::uint64_t>(r));
    options.seed = 77 + static_cast<std::uint64_t>(r);
    auto e = estimate_effect(method, d, options);
    EXPECT_TRUE(e.ok()) << (e.ok() ? "" : e.status().message());
    if (!e.ok()) return {};
    covered += e.value().ci_low <= truth && truth <= e.value().ci_high;
    sum += e.value().estimate;
    sum_sq += e.value().estimate * e.value().estimate;
  }
  Summary s;
  s.coverage = covered / static_cast<double>(kReplications);
  s.mean = sum / kReplications;
  s.sd = std::sqrt(std::max(0.0, sum_sq / kReplications - s.mean * s.mean));
  return s;
}

TEST(FrontDoor, IntervalsCoverTheTruthWhereAdjustmentCannot) {
  const Summary s = replicate(
      "frontdoor", [](std::uint64_t seed) { return frontdoor_sample(seed, 1000); }, kFrontDoorTruth,
      200);
  EXPECT_GE(s.coverage, kCoverageLow);
  EXPECT_LE(s.coverage, kCoverageHigh);
  // Unbiased: the mean over replications within 3 standard errors of the mean.
  EXPECT_NEAR(s.mean, kFrontDoorTruth, 3 * s.sd / std::sqrt(kReplications));
  // The naive difference is far off on the same data (the hidden confounder at work).
  const AnalysisData d = frontdoor_sample(1, 1000);
  EstimateOptions options;
  const double naive = estimate_effect("naive", d, options).value().estimate;
  EXPECT_GT(naive - kFrontDoorTruth, 0.8);
}

TEST(FrontDoor, UsesBootstrapIntervalsByDefault) {
  const AnalysisData d = frontdoor_sample(5, 500);
  EstimateOptions options;
  const Estimate e = estimate_effect("frontdoor", d, options).value();
  EXPECT_NE(e.se_method.find("bootstrap, 500 replicates"), std::string::npos) << e.se_method;
  EXPECT_TRUE(e.details.contains("se_delta_method"));
}

TEST(Iv, IntervalsCoverTheTruth) {
  const Summary s = replicate(
      "iv", [](std::uint64_t seed) { return iv_sample(seed, 2000); }, kIvTruth, 0);
  EXPECT_GE(s.coverage, kCoverageLow);
  EXPECT_LE(s.coverage, kCoverageHigh);
  EXPECT_NEAR(s.mean, kIvTruth, 3 * s.sd / std::sqrt(kReplications));
}

TEST(Iv, OneBinaryInstrumentGivesTheWaldRatio) {
  const AnalysisData d = iv_sample(3, 3000);
  double y1 = 0, y0 = 0, t1 = 0, t0 = 0, n1 = 0, n0 = 0;
  for (Eigen::Index i = 0; i < d.y.size(); ++i) {
    if (d.z(i, 0) == 1.0)
      y1 += d.y[i], t1 += d.t[i], ++n1;
    else
      y0 += d.y[i], t0 += d.t[i], ++n0;
  }
  const double wald = (y1 / n1 - y0 / n0) / (t1 / n1 - t0 / n0);
  EstimateOptions options;
  const Estimate e = estimate_effect("iv", d, options).value();
  EXPECT_NEAR(e.estimate, wald, 1e-9 * std::abs(wald));
  EXPECT_NE(e.se_method.find("Wald"), std::string::npos);
  EXPECT_GT(e.details["first_stage_f"].get<double>(), 10.0);
  EXPECT_TRUE(e.warnings.empty() || e.warnings[0].find("weak") == std::string::npos);
}

TEST(Iv, WeakInstrumentIsFlagged) {
  Rng rng(9);
  AnalysisData d = base(400);
  d.z.resize(400, 1);
  d.z_names = {"z"};
  for (Eigen::Index i = 0; i < 400; ++i) {
    d.z(i, 0) = rng.bernoulli(0.5) ? 1.0 : 0.0;
    d.t[i] = 0.05 * d.z(i, 0) + rng.normal() > 0 ? 1.0 : 0.0;
    d.y[i] = d.t[i] + rng.normal();
  }
  count_arms(d);
  EstimateOptions options;
  const auto e = estimate_effect("iv", d, options);
  ASSERT_TRUE(e.ok()) << e.status().message();
  ASSERT_FALSE(e.value().warnings.empty());
  EXPECT_NE(e.value().warnings[0].find("weak instrument"), std::string::npos);
}

}  // namespace
}  // namespace causeway
