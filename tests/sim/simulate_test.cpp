#include "causeway/sim/simulate.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "support/cli_runner.h"

namespace causeway {
namespace {

double mean_of(const Column& c) {
  double s = 0;
  for (double v : c.values) s += v;
  return s / static_cast<double>(c.values.size());
}

// Population figures of DESIGN.md: share called 0.5400, true ATT 0.03454, ATE 0.03383. A sample
// of n rows has them within 4 standard errors.
TEST(Simulate, RetentionMatchesThePopulationFigures) {
  SimulationOptions o;
  o.rows = 400000;
  o.with_truth = true;
  const Table t = simulate(o).value();
  const double n = static_cast<double>(o.rows);
  const double called = mean_of(*t.find("call"));
  EXPECT_NEAR(called, 0.5400, 4 * std::sqrt(0.54 * 0.46 / n));
  const SampleTruth truth = sample_truth(t).value();
  const Column& effect = *t.find("true_effect");
  double ss = 0;
  for (double v : effect.values) ss += (v - truth.ate) * (v - truth.ate);
  const double sd = std::sqrt(ss / n);
  // + 5e-6: the published figures are rounded to five decimals.
  EXPECT_NEAR(truth.ate, 0.03383, 4 * sd / std::sqrt(n) + 5e-6);
  EXPECT_NEAR(truth.att, 0.03454, 4 * sd / std::sqrt(called * n) + 5e-6);
}

TEST(Simulate, UpliftHasTheThreeTenureGroups) {
  SimulationOptions o;
  o.scenario = "uplift";
  o.rows = 200000;
  o.with_truth = true;
  const Table t = simulate(o).value();
  const Column& tau = *t.find("true_effect");
  const Column& tenure = *t.find("tenure_months");
  std::size_t young = 0;
  for (std::size_t i = 0; i < t.rows; ++i) {
    const double expected = tenure.values[i] < 6 ? 0.30 : tenure.values[i] < 18 ? 0.05 : -0.02;
    ASSERT_EQ(tau.values[i], expected);
    ASSERT_GE(tenure.values[i], 1);
    ASSERT_LE(tenure.values[i], 47);
    young += tenure.values[i] < 6;
  }
  const double share = static_cast<double>(young) / static_cast<double>(o.rows);
  EXPECT_NEAR(share, 5.0 / 47.0, 4 * std::sqrt(0.106 * 0.894 / 200000.0));
}

TEST(Simulate, SameSeedSameFileAndTheFileReadsBack) {
  const std::string a = testing::temp_path("sim_a.csv"), b = testing::temp_path("sim_b.csv");
  for (const auto& path : {a, b})
    ASSERT_EQ(testing::run_cli("simulate retention --n 1000 --seed 5 --with-truth --out " + path)
                  .exit_code,
              0);
  EXPECT_EQ(testing::read_text_file(a), testing::read_text_file(b));
  EXPECT_EQ(testing::read_text_file(a).substr(0, 40), "call,renew,motivation_proxy,true_effect\n");
  const auto r = testing::run_cli("estimate " + a +
                                  " --treatment call --outcome renew "
                                  "--common-causes motivation_proxy --json");
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

}  // namespace
}  // namespace causeway
