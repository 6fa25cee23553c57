// The refuters on the retention simulation, on a planted failure, and against a refuter that
// would reuse the original fit.
#include "causeway/refute/refute.h"

#include <gtest/gtest.h>

#include "causeway/refute/run.h"
#include "causeway/rng.h"
#include "causeway/sim/simulate.h"
#include "support/fixtures.h"

namespace causeway {
namespace {

AnalysisData retention(std::size_t rows) {
  SimulationOptions sim;
  sim.rows = rows;
  return testing::sample_from(simulate(sim).value(),
                              {"call", "renew", {"motivation_proxy"}, {}, {}, false, {}, {}});
}

const Refutation& find(const std::vector<Refutation>& all, const std::string& name) {
  for (const auto& r : all)
    if (r.name == name) return r;
  throw std::runtime_error("no refuter " + name);
}

std::vector<Refutation> run(const AnalysisData& d, const std::string& method,
                            std::vector<std::string> refuters, int threads = 2) {
  EstimateOptions options;
  options.threads = threads;
  const Estimate original = estimate_effect(method, d, options).value();
  RefuteOptions ro;
  ro.refuters = std::move(refuters);
  auto r = refute(d, method, original, options, ro);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.status().message());
  return r.ok() ? std::move(r).value() : std::vector<Refutation>{};
}

TEST(Refute, RetentionSimulationPassesTheResamplingRefuters) {
  const AnalysisData d = retention(20000);
  const auto all = run(d, "ipw", {"placebo", "dummy-outcome", "random-common-cause", "subset"});
  for (const char* zero : {"placebo", "dummy-outcome"}) {
    const Refutation& r = find(all, zero);
    EXPECT_NEAR(r.mean, 0.0, 0.01) << zero;
    EXPECT_EQ(r.verdict, Verdict::kPass) << zero << ": " << r.reason;
    EXPECT_EQ(r.simulations, 100);
  }
  EstimateOptions options;
  const Estimate original = estimate_effect("ipw", d, options).value();
  for (const char* same : {"random-common-cause", "subset"}) {
    const Refutation& r = find(all, same);
    EXPECT_GE(r.mean, original.ci_low) << same;
    EXPECT_LE(r.mean, original.ci_high) << same;
    EXPECT_EQ(r.verdict, Verdict::kPass) << same << ": " << r.reason;
    EXPECT_GT(r.sd, 0) << same << ": every simulation gave the same number";
  }
  // The placebo p-value is never 0: its smallest value is 1 / (B + 1).
  const Refutation& placebo = find(all, "placebo");
  ASSERT_TRUE(placebo.p_value.has_value());
  EXPECT_GE(*placebo.p_value, 1.0 / 101);
}

TEST(Refute, RandomCommonCauseRefitsAndSaysWhenItCannotTest) {
  const AnalysisData d = retention(3000);
  // A refuter that reused the original fit would return the original number every time: the
  // new effects must vary, because every simulation refits with the extra covariate.
  const auto ipw_all = run(d, "ipw", {"random-common-cause"});
  const Refutation& ipw = find(ipw_all, "random-common-cause");
  EXPECT_GT(ipw.sd, 0);
  EXPECT_NE(ipw.verdict, Verdict::kFail) << ipw.reason;
  // The naive difference ignores covariates: the refuter says it cannot test it, not "pass".
  const auto naive_all = run(d, "naive", {"random-common-cause"});
  const Refutation& naive = find(naive_all, "random-common-cause");
  EXPECT_EQ(naive.verdict, Verdict::kInconclusive);
  EXPECT_NE(naive.reason.find("not applicable"), std::string::npos) << naive.reason;
}

TEST(Refute, SameSeedSameResultWithOneOrTwoThreads) {
  const AnalysisData d = retention(4000);
  const auto one = run(d, "ipw", {"placebo", "subset", "unobserved-common-cause"}, 1);
  const auto two = run(d, "ipw", {"placebo", "subset", "unobserved-common-cause"}, 2);
  ASSERT_EQ(one.size(), two.size());
  for (std::size_t i = 0; i < one.size(); ++i) {
    EXPECT_EQ(one[i].mean, two[i].mean) << one[i].name;
    EXPECT_EQ(one[i].sd, two[i].sd) << one[i].name;
    EXPECT_EQ(one[i].p_text, two[i].p_text) << one[i].name;
    ASSERT_EQ(one[i].grid.size(), two[i].grid.size());
    for (std::size_t c = 0; c < one[i].grid.size(); ++c)
      EXPECT_EQ(one[i].grid[c].effect, two[i].grid[c].effect);
  }
}

// A confounder h drives treatment and outcome and is left out; w is measured and twice as
// strong. The true effect is 0; the estimate is h's bias alone, so a confounder weaker than w
// erases it: the benchmark logic must call it fragile.
AnalysisData planted(std::uint64_t seed, Eigen::Index n) {
  Rng rng(seed);
  AnalysisData d;
  d.y.resize(n);
  d.t.resize(n);
  d.x.resize(n, 1);
  d.x_names = {"w"};
  d.x_value_labels = {{"", ""}};
  for (Eigen::Index i = 0; i < n; ++i) {
    const double w = rng.normal(), h = rng.normal();
    d.x(i, 0) = w;
    d.t[i] = 0.8 * w + 0.4 * h + rng.normal() > 0 ? 1.0 : 0.0;
    d.y[i] = 0.8 * w + 0.4 * h + rng.normal();
  }
  d.n_treated = static_cast<std::size_t>(d.t.sum());
  d.n_control = static_cast<std::size_t>(n) - d.n_treated;
  return d;
}

TEST(Refute, PlantedHiddenConfounderIsFlaggedFragile) {
  const AnalysisData d = planted(5, 5000);
  EstimateOptions options;
  RefuteOptions ro;
  ro.refuters = {"unobserved-common-cause"};
  auto report = run_refutation(d, "regression", options, ro);
  ASSERT_TRUE(report.ok()) << report.status().message();
  const RefutationReport& r = report.value();
  const Estimate& e = r.estimation.estimates.front();
  ASSERT_GT(e.ci_low, 0) << "the planted bias must make a clearly positive estimate";
  const Refutation& grid = r.refutations.front();
  EXPECT_EQ(grid.verdict, Verdict::kFail) << grid.reason;
  ASSERT_TRUE(r.sensitivity.robustness.has_value());
  const auto& benchmarks = r.sensitivity.robustness->benchmarks;
  ASSERT_EQ(benchmarks.size(), 1u);
  ASSERT_TRUE(benchmarks[0].k_erase.has_value());
  EXPECT_LE(*benchmarks[0].k_erase, 1.0);
  EXPECT_EQ(r.verdict, "FRAGILE");
}

TEST(Refute, RandomisedTreatmentWithAPrognosticCovariateIsNotCalledFragile) {
  // The call is a coin flip; x1 predicts the outcome strongly and the treatment not at all. A
  // hidden confounder as strong as x1 with the treatment (about 0) cannot erase the effect.
  Rng rng(21);
  const Eigen::Index n = 4000;
  AnalysisData d;
  d.y.resize(n);
  d.t.resize(n);
  d.x.resize(n, 1);
  d.x_names = {"x1"};
  d.x_value_labels = {{"", ""}};
  for (Eigen::Index i = 0; i < n; ++i) {
    d.x(i, 0) = rng.normal();
    d.t[i] = rng.bernoulli(0.5) ? 1.0 : 0.0;
    d.y[i] = 0.2 * d.t[i] + d.x(i, 0) + rng.normal();
  }
  d.n_treated = static_cast<std::size_t>(d.t.sum());
  d.n_control = static_cast<std::size_t>(n) - d.n_treated;
  RefuteOptions ro;
  ro.refuters = {"unobserved-common-cause"};
  auto report = run_refutation(d, "regression", EstimateOptions{}, ro);
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_NE(report.value().refutations[0].verdict, Verdict::kFail)
      << report.value().refutations[0].reason;
  EXPECT_EQ(report.value().verdict, "ROBUST");
}

TEST(Refute, OptionsAreCheckedBeforeAnyEstimation) {
  RefuteOptions ro;
  ro.refuters = {"placebo", "placebo"};
  EXPECT_THROW(checked_refuters(ro), Error);
  ro.refuters = {"placebo"};
  ro.simulations = 10;  // 1 / 11 > 0.05: no p-value could pass
  EXPECT_THROW(checked_refuters(ro), Error);
  ro.simulations = 100;
  ro.strength_treatment = {0.9};
  ro.strength_outcome = {0.9};
  EXPECT_THROW(checked_refuters(ro), Error);
}

TEST(Refute, InstrumentalEstimateIsNotPlaceboTested) {
  Rng rng(4);
  const Eigen::Index n = 2000;
  AnalysisData d;
  d.y.resize(n);
  d.t.resize(n);
  d.x.resize(n, 0);
  d.z.resize(n, 1);
  d.z_names = {"z"};
  for (Eigen::Index i = 0; i < n; ++i) {
    const double u = rng.normal();
    d.z(i, 0) = rng.bernoulli(0.5) ? 1.0 : 0.0;
    d.t[i] = d.z(i, 0) + u + rng.normal() > 0.5 ? 1.0 : 0.0;
    d.y[i] = d.t[i] + u + rng.normal();
  }
  d.n_treated = static_cast<std::size_t>(d.t.sum());
  d.n_control = static_cast<std::size_t>(n) - d.n_treated;
  const auto all = run(d, "iv", {"placebo", "subset"});
  EXPECT_EQ(find(all, "placebo").verdict, Verdict::kInconclusive);
  EXPECT_NE(find(all, "placebo").reason.find("not applicable"), std::string::npos);
  EXPECT_FALSE(find(all, "placebo").has_draws);
  EXPECT_TRUE(find(all, "subset").has_draws);
}

}  // namespace
}  // namespace causeway
