// The default method set refuses matching without replacement when the other arm is too small to
// give every focal unit its match (greedy matching would pair the last ones with whatever is left:
// 0.32 for a true ATT of 0.035 here); named with --method, it runs with its warnings (case C13).
#include <gtest/gtest.h>

#include "cli/cli_support.h"

namespace causeway::testing {
namespace {

TEST(DefaultMethods, MatchingWithTooFewControlsIsRefusedNotReported) {
  const std::string csv = temp_path("more_treated.csv");
  // Seed 42 at 20,000 rows: 10,913 treated, 9,087 controls; the true ATT is 0.0345.
  ASSERT_EQ(run_cli("simulate retention --n 20000 --seed 42 --out " + csv).exit_code, 0);
  const std::string base =
      csv + " --treatment call --outcome renew --common-causes motivation_proxy";
  const nlohmann::json all = estimate_json(base);
  ASSERT_EQ(all["refused"].size(), 1u) << all.dump();
  EXPECT_EQ(all["refused"][0]["method"], "matching");
  const std::string reason = all["refused"][0]["reason"];
  for (const char* part : {"9087 controls", "10913 treated", "--replace", "--method matching"})
    EXPECT_NE(reason.find(part), std::string::npos) << reason << " lacks " << part;
  EXPECT_EQ(all["estimates"].size(), 4u);

  // With replacement it answers, close to the truth (its standard error is about 0.006).
  const nlohmann::json replaced = estimate_json(base + " --replace");
  EXPECT_TRUE(replaced["refused"].empty()) << replaced.dump();
  bool found = false;
  for (const auto& e : replaced["estimates"])
    if (e["method"] == "matching") {
      found = true;
      EXPECT_NEAR(e["estimate"].get<double>(), 0.0345, 4 * e["se"].get<double>());
    }
  EXPECT_TRUE(found);

  // Named, the greedy estimate is reported with the warning that says what it is.
  const nlohmann::json named = estimate_json(base + " --method matching");
  ASSERT_EQ(named["estimates"].size(), 1u);
  const std::string warnings = named["estimates"][0]["warnings"].dump();
  EXPECT_NE(warnings.find("9087 controls for 10913 treated"), std::string::npos) << warnings;
}

}  // namespace
}  // namespace causeway::testing
