// `causeway uplift --nuisance-columns Y_HAT,W_HAT`: predictions made elsewhere (the Python
// module's scikit-learn models) in place of the built-in nuisance models.
#include <gtest/gtest.h>

#include <cmath>

#include "causeway/data/csv.h"
#include "cli/cli_support.h"

namespace causeway::testing {
namespace {

// The uplift simulation (DESIGN.md) with its true nuisances as two more columns: the propensity
// logistic(0.2 + 1.1 motivation - 0.1 usage_depth) and the renewal probability
// clip(0.5 + 0.2 motivation + 0.1 usage_depth + tau e, 0.01, 0.99) averaged over the arms.
std::string with_true_nuisances(double& mean_effect) {
  const std::string data = temp_path("uplift_truth.csv");
  const CliResult sim = run_cli("simulate uplift --n 20000 --seed 21 --with-truth --out " + data);
  EXPECT_EQ(sim.exit_code, 0) << sim.err;
  const Table t = read_csv(data, {}).value();
  const auto col = [&](const char* name) { return t.find(name)->values; };
  const auto m = col("motivation"), u = col("usage_depth"), tau = col("true_effect"),
             w = col("call"), y = col("renew");
  std::string text = "motivation,usage_depth,tenure_months,call,renew,y_hat,w_hat\n";
  const auto tenure = col("tenure_months");
  const auto clip = [](double p) { return std::min(0.99, std::max(0.01, p)); };
  mean_effect = 0;
  for (std::size_t i = 0; i < t.rows; ++i) {
    const double e = 1 / (1 + std::exp(-(0.2 + 1.1 * m[i] - 0.1 * u[i])));
    const double base = 0.5 + 0.2 * m[i] + 0.1 * u[i];
    const double y_hat = e * clip(base + tau[i]) + (1 - e) * clip(base);
    text += std::to_string(m[i]) + "," + std::to_string(u[i]) + "," + std::to_string(tenure[i]) +
            "," + std::to_string(w[i]) + "," + std::to_string(y[i]) + "," + std::to_string(y_hat) +
            "," + std::to_string(e) + "\n";
    mean_effect += clip(base + tau[i]) - clip(base);
  }
  mean_effect /= static_cast<double>(t.rows);
  return write_temp_file("nuisance.csv", text);
}

TEST(NuisanceColumns, TrueNuisancesGiveAnAverageEffectWithinItsInterval) {
  double truth = 0;
  const std::string data = with_true_nuisances(truth);
  const CliResult r = run_cli("uplift " + data +
                              " --treatment call --outcome renew --features motivation,"
                              "usage_depth,tenure_months --nuisance-columns y_hat,w_hat "
                              "--trees 200 --quiet --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["nuisance"], "given (--nuisance-columns)");
  // The sample's mean effect (clipping included) against the doubly robust ATE: within three
  // of its standard errors.
  EXPECT_NEAR(j["ate"].get<double>(), truth, 3 * j["ate_se"].get<double>());
  EXPECT_GT(j["ate_se"].get<double>(), 0.0);
}

TEST(NuisanceColumns, BadPredictionsAreRefusedByColumnAndRow) {
  const std::string good = "x,t,y,yh,wh\n";
  std::string rows;
  for (int i = 0; i < 400; ++i)
    rows += std::to_string(i % 7) + "," + std::to_string(i % 2) + "," + std::to_string(i % 3 == 0) +
            ",0.4,0.5\n";
  const std::string base = " --treatment t --outcome y --features x --trees 100 --quiet ";
  const std::string data = write_temp_file("n_ok.csv", good + rows);
  expect_refusal("uplift " + data + base + "--nuisance-columns yh", {"takes two columns"});
  expect_refusal("uplift " + data + base + "--nuisance-columns yh,wh --holdout 0.3",
                 {"--nuisance-columns cannot be combined with --holdout"});
  expect_refusal("uplift " + data + base + "--nuisance-columns yh,wh --nuisance forest",
                 {"--nuisance and --nuisance-columns"});
  expect_refusal("uplift " + data + base + "--nuisance-columns yh,x", {"'x' is also"});
  expect_refusal("uplift " + data + base + "--nuisance-columns wh,wh", {"one column twice"});
  for (const char* certain : {"1", "0", "1.0"}) {
    std::string sure = rows;
    sure.replace(sure.find("0.4,0.5\n"), 8, std::string("0.4,") + certain + "\n");
    expect_refusal(
        "uplift " + write_temp_file("n_sure.csv", good + sure) + base + "--nuisance-columns yh,wh",
        {"'wh', row 1", "strictly between 0 and 1", "positivity"});
  }
  expect_refusal("uplift " + data + base + "--nuisance-columns yh,nope", {"no column named"});
  std::string bad = rows;
  bad.replace(bad.find("0.4,0.5\n"), 8, "0.4,1.5\n");
  expect_refusal(
      "uplift " + write_temp_file("n_range.csv", good + bad) + base + "--nuisance-columns yh,wh",
      {"'wh', row 1", "1.5 is not a probability"});
  std::string text = rows;
  text.replace(text.find("0.4,0.5\n"), 8, "high,0.5\n");
  expect_refusal(
      "uplift " + write_temp_file("n_text.csv", good + text) + base + "--nuisance-columns yh,wh",
      {"'yh' holds text ('high', row 1)"});
  std::string missing = rows;
  missing.replace(missing.find("0.4,0.5\n"), 8, "0.4,\n");
  expect_refusal("uplift " + write_temp_file("n_missing.csv", good + missing) + base +
                     "--nuisance-columns yh,wh",
                 {"'wh', row 1", "missing"});
}

TEST(NuisanceColumns, NearCertainTreatmentPredictionsAreClippedAndSaid) {
  std::string text = "x,t,y,yh,wh\n";
  for (int i = 0; i < 400; ++i)
    text += std::to_string(i % 7) + "," + std::to_string(i % 2) + "," + std::to_string(i % 3 == 0) +
            ",0.4," + (i < 3 ? "0.995" : "0.5") + "\n";
  const CliResult r = run_cli("uplift " + write_temp_file("n_clip.csv", text) +
                              " --treatment t --outcome y --features x --trees 100 --quiet "
                              "--nuisance-columns yh,wh --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string warnings = nlohmann::json::parse(r.out)["warnings"].dump();
  EXPECT_NE(warnings.find("3 of 400 treatment predictions"), std::string::npos) << warnings;
}

}  // namespace
}  // namespace causeway::testing
