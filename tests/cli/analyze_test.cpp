// `causeway analyze`: the four steps and a verdict, on the built-in data, LaLonde, a graph that
// makes the effect unidentifiable, and a fragile estimate with --fail-on-fragile.
#include <gtest/gtest.h>

#include "cli/cli_support.h"

namespace causeway::testing {
namespace {

// LaLonde with the common causes.
const std::string kLalonde = "analyze " + shared_path("data/lalonde/lalonde_matchit.csv") +
                             " --treatment treat --outcome re78 --common-causes age,educ,race,"
                             "married,nodegree,re74,re75";

void expect_four_steps(const std::string& out) {
  for (const char* part : {"== 1. model ==", "== 2. identify ==", "== 3. estimate ==",
                           "== 4. refute (the aipw estimate) ==", "== overall verdict: "})
    EXPECT_NE(out.find(part), std::string::npos) << "lacks " << part << "\n" << out;
}

TEST(AnalyzeCli, BuiltInDemoRunsTheWholeLoop) {
  const CliResult r = run_cli("analyze --quiet --simulations 20");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_four_steps(r.out);
  EXPECT_NE(r.out.find("truth          att         0.03451"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("placebo"), std::string::npos);
}

// A name on the command line that is no column is refused as estimate refuses it, naming the file
// and the columns (it was "the command line: graph node 'x' has no column in the data").
TEST(AnalyzeCli, AnUnknownColumnIsNamedWithTheFileAndItsColumns) {
  const std::string file = shared_path("data/lalonde/lalonde_matchit.csv");
  const CliResult r =
      run_cli("analyze " + file + " --treatment treat --outcome re78 --common-causes age,edu");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(file + ": no column named 'edu'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("the columns are:"), std::string::npos) << r.err;
}

TEST(AnalyzeCli, LalondeEndsInAVerdictAndJsonHasEveryStep) {
  const std::string base = kLalonde + " --quiet --simulations 20";
  const CliResult text = run_cli(base);
  ASSERT_EQ(text.exit_code, 0) << text.err;
  expect_four_steps(text.out);
  const CliResult json = run_cli(base + " --json");
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const auto j = nlohmann::json::parse(json.out);
  for (const char* key : {"model", "identification", "estimation", "refutation", "verdict"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_TRUE(j["verdict"] == "ROBUST" || j["verdict"] == "FRAGILE") << j["verdict"];
  EXPECT_EQ(j["refutation"]["refutations"].size(), 6u);
  // Exit code 3 for a fragile verdict only when asked.
  if (j["verdict"] == "FRAGILE") {
    EXPECT_EQ(run_cli(base + " --fail-on-fragile").exit_code, 3);
  }
}

TEST(AnalyzeCli, AnAdjustmentThatLeavesTheArmsApartIsFragile) {
  // 1:1 greedy matching on LaLonde leaves race=black at an SMD of about 0.97: whatever the
  // refuters say, the verdict cannot be ROBUST, and it says why.
  const CliResult r = run_cli(kLalonde + " --method matching --quiet --simulations 20 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["verdict"], "FRAGILE");
  EXPECT_NE(j["verdict_reasons"].dump().find("balance: after adjustment the arms still differ on"),
            std::string::npos)
      << j["verdict_reasons"].dump();
  EXPECT_NE(j["verdict_reasons"].dump().find("race=black"), std::string::npos);
}

TEST(AnalyzeCli, UnidentifiableGraphEndsTheAnalysisWithoutANumber) {
  const CliResult r = run_cli("analyze " + shared_path("cases/C17/input.csv") +
                              " --treatment offer --outcome churned --graph " +
                              shared_path("cases/C17/graph.dot") + " --quiet --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;  // a completed analysis, whatever the verdict
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["verdict"], "NOT IDENTIFIABLE");
  EXPECT_FALSE(j.contains("estimation"));
  EXPECT_NE(j["verdict_reasons"].dump().find("hedge"), std::string::npos);
}

TEST(AnalyzeCli, DemoDoesNotSilentlyIgnoreColumnOptions) {
  expect_refusal("analyze --treatment t --outcome y", {"built-in demo", "give the CSV"});
}

}  // namespace
}  // namespace causeway::testing
