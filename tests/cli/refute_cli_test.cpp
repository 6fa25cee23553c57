// `causeway refute` on case C21: every refuter says what it tests, how many simulations ran, a
// p-value with its resolution and what pass and fail mean.
#include <gtest/gtest.h>

#include <map>

#include "cli/cli_support.h"

namespace causeway::testing {
namespace {

const std::string kBase = "refute " + case_file("C21") +
                          " --treatment offer --outcome spend_next_month --common-causes "
                          "tenure_months,family_plan --method regression --simulations 100 "
                          "--seed 3 --quiet";

TEST(RefuteCli, C21_RegressionEstimate) {
  const auto j = estimate_json(case_file("C21") +
                               " --treatment offer --outcome spend_next_month --common-causes "
                               "tenure_months,family_plan --method regression");
  EXPECT_NEAR(first_estimate(j), 6.418090, 1e-5);
}

TEST(RefuteCli, C21_EveryRefuterExplainsItself) {
  const std::map<std::string, std::string> null_words = {
      {"placebo", "the estimator returns 0 when the treatment is replaced by a random permutation"},
      {"random-common-cause", "adding an independent random covariate"},
      {"subset", "random 80 % subsets"},
      {"bootstrap", "resamples drawn with replacement"}};
  for (const auto& [refuter, words] : null_words) {
    const CliResult r = run_cli(kBase + " --refuters " + refuter);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string out = unwrapped(r.out);
    for (const std::string& part :
         {std::string("6.418090"), std::string("B = 100"), words, std::string("seed 3"),
          std::string("PASS = no evidence of a problem with the estimate"),
          std::string("FAIL = the refuter found a problem"),
          std::string("None of these tests whether the effect differs from 0")})
      EXPECT_NE(out.find(part), std::string::npos) << refuter << " lacks: " << part << "\n"
                                                   << r.out;
    EXPECT_EQ(out.find("p = 0 "), std::string::npos) << r.out;
    EXPECT_EQ(out.find("p = 0:"), std::string::npos) << r.out;
    // Same seed, byte-identical output.
    EXPECT_EQ(run_cli(kBase + " --refuters " + refuter).out, r.out) << refuter;
  }
}

TEST(RefuteCli, C21_NewEffectsAndTheirSpread) {
  const CliResult r = run_cli(kBase + " --refuters random-common-cause,subset,bootstrap --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_NEAR(j["estimate"]["estimate"].get<double>(), 6.418090, 1e-5);
  EXPECT_EQ(j["seed"], "3");
  const auto& refs = j["refutations"];
  ASSERT_EQ(refs.size(), 3u);
  EXPECT_NEAR(refs[0]["new_effect"].get<double>(), 6.418090, 1.0);
  for (const auto& x : refs) {
    EXPECT_GT(x["new_effect_sd"].get<double>(), 0) << x["name"];
    EXPECT_EQ(x["simulations"], 100);
    EXPECT_GE(x["p_value"].get<double>(), 1.0 / 101) << x["name"];
    EXPECT_TRUE(x["verdict"] == "pass" || x["verdict"] == "fail" || x["verdict"] == "inconclusive");
  }
}

TEST(RefuteCli, PlaceboAtTheSmallestPValueSaysSo) {
  // A strong effect: no permutation of 100 comes close, so p is 1 / 101, printed with its
  // resolution.
  const CliResult r = run_cli("refute " + shared_path("data/lalonde/lalonde_matchit.csv") +
                              " --treatment treat --outcome re78 --common-causes age,educ,race,"
                              "married,nodegree,re74,re75 --method regression --refuters placebo "
                              "--simulations 100 --quiet");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string out = unwrapped(r.out);
  const bool smallest =
      out.find("p = 0.0099 (smallest attainable with B = 100)") != std::string::npos;
  const bool ordinary = out.find("p = 0.") != std::string::npos;
  EXPECT_TRUE(smallest || ordinary) << r.out;
}

TEST(RefuteCli, BadRefuterOptionsAreRefused) {
  expect_refusal(kBase + " --refuters placebo,nonsense", {"unknown refuter 'nonsense'"});
  expect_refusal(kBase + " --method regression,ipw", {"one --method"});
  expect_refusal(kBase + " --refuters unobserved-common-cause --confounder-strength-treatment 2",
                 {"--confounder-strength-treatment '2'"});
  expect_refusal(kBase +
                     " --refuters unobserved-common-cause --confounder-strength-treatment 0.8 "
                     "--confounder-strength-outcome 0.8",
                 {"their squares must sum to less than 1"});
}

}  // namespace
}  // namespace causeway::testing
