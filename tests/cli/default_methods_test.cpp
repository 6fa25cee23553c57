// The default method set refuses matching without replacement when the other arm is too small to
// give every focal unit its match (greedy matching would pair the last ones with whatever is left:
// 0.32 for a true ATT of 0.035 here); named with --method, it runs with its warnings (case C13).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <initializer_list>
#include <sstream>

#include "causeway/rng.h"
#include "cli/cli_support.h"

namespace causeway::testing {
namespace {

// A CSV in the test's folder: `header`, then `rows` lines, line i written by row(i, rng, out) with
// a generator seeded `seed`.
template <class Row>
std::string csv_file(const std::string& name, const char* header, int rows, std::uint64_t seed,
                     Row row) {
  const std::string path = temp_path(name);
  std::ofstream out(path);
  out << header << "\n";
  Rng rng(seed);
  for (int i = 0; i < rows; ++i) {
    row(i, rng, out);
    out << "\n";
  }
  return path;
}

// Each of `parts` is in `text`.
void expect_all(const std::string& text, std::initializer_list<const char*> parts) {
  for (const char* part : parts)
    EXPECT_NE(text.find(part), std::string::npos) << text << " lacks " << part;
}

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

// Where a covariate separates the arms, regression still returns a coefficient; it must say that
// the number is the linear model's extrapolation between the arms, not a comparison.
TEST(DefaultMethods, RegressionSaysWhenItExtrapolatesAcrossSeparatedArms) {
  const std::string csv =
      csv_file("separated.csv", "t,y,x,plan", 300, 8, [](int i, Rng& rng, std::ostream& out) {
        const double x = rng.normal();
        const int t = x > 0;
        // "gold" only among some treated rows: a level in one arm (quasi-separation)
        out << t << "," << 2 * t + x + rng.normal() << "," << x << ","
            << (t && i % 7 == 0 ? "gold" : (i % 2 ? "basic" : "plus"));
      });
  const std::string base = csv + " --treatment t --outcome y --method regression";
  const nlohmann::json complete = estimate_json(base + " --common-causes x");
  ASSERT_EQ(complete["estimates"].size(), 1u) << complete.dump();
  const std::string warned = complete["estimates"][0]["warnings"].dump();
  EXPECT_NE(warned.find("'x' separates the arms completely"), std::string::npos) << warned;
  EXPECT_NE(warned.find("extrapolation"), std::string::npos) << warned;

  const nlohmann::json level = estimate_json(base + " --common-causes plan");
  const std::string level_warned = level["estimates"][0]["warnings"].dump();
  EXPECT_NE(level_warned.find("plan = gold occurs among treated units only"), std::string::npos)
      << level_warned;

  // Arms that overlap (LaLonde): no such warning.
  const nlohmann::json lalonde = estimate_json(
      shared_path("data/lalonde/lalonde_matchit.csv") +
      " --treatment treat --outcome re78 --common-causes age,educ,race,married,nodegree,re74,re75 "
      "--method regression");
  EXPECT_EQ(lalonde["estimates"][0]["warnings"].dump().find("extrapolation"), std::string::npos);
}

// A run whose methods all fail ends with the failure and, after it, what the data's preparation
// warned of: here the stray code that is the failure's cause (a new user saw only the failure).
TEST(DefaultMethods, AFailedRunCarriesTheDataWarnings) {
  const std::string csv =
      csv_file("flag_typo.csv", "id,t,y,x,flag", 2000, 9, [](int i, Rng& rng, std::ostream& out) {
        const int t = i == 1500 || rng.uniform() < 0.5;  // the stray row treated: the ATT fails
        out << "c" << i << "," << t << "," << t + rng.normal() << "," << rng.normal() << ","
            << (i == 1500 ? "2" : (rng.uniform() < 0.5 ? "yes" : "no"));
      });
  const CliResult r =
      run_cli("estimate " + csv + " --treatment t --outcome y --common-causes x,flag --method ipw");
  EXPECT_EQ(r.exit_code, 2);
  expect_all(r.err,
             {"positivity fails for 1 unit whose", "The data had warnings, which may explain it",
              "'flag' is a yes/no (true/false) column in every row but 1 row ('2' in "
              "row 1501 (id c1500))"});
}

// A positivity failure names the separations that cause it for the target asked: for the ATT
// the level whose treated units have no controls, not the one whose controls have no treated
// units (those leave the ATT defined); with no finding to name, the advice names none either.
TEST(DefaultMethods, PositivityFailureNamesOnlyTheSeparationThatMatters) {
  const std::string csv = csv_file(
      "two_levels_alone.csv", "t,y,x,plan", 400, 10, [](int i, Rng& rng, std::ostream& out) {
        const int t = i % 2;
        const char* plan =
            i % 40 == 1 ? "gold" : (i % 40 == 2 ? "tin" : (i % 3 ? "basic" : "plus"));
        out << t << "," << t + rng.normal() << "," << rng.normal() << "," << plan;
      });
  const CliResult att =
      run_cli("estimate " + csv + " --treatment t --outcome y --common-causes x,plan --method ipw");
  EXPECT_EQ(att.exit_code, 2);
  EXPECT_NE(att.err.find("plan = gold occurs only among treated units"), std::string::npos)
      << att.err;
  EXPECT_EQ(att.err.find("tin"), std::string::npos) << att.err;
  EXPECT_NE(att.err.find("remove that covariate"), std::string::npos) << att.err;
  const CliResult atc = run_cli("estimate " + csv +
                                " --treatment t --outcome y --common-causes x,plan --method ipw "
                                "--target atc");
  EXPECT_EQ(atc.exit_code, 2);
  EXPECT_NE(atc.err.find("plan = tin occurs only among control units"), std::string::npos)
      << atc.err;
  EXPECT_EQ(atc.err.find("gold"), std::string::npos) << atc.err;

  // A level alone in one arm, and treated units a steep covariate leaves without controls: the
  // level explains one failing unit, the advice covers the others too.
  const std::string mixed = csv_file(
      "level_and_steep.csv", "t,y,x,lvl", 2000, 11, [](int i, Rng& rng, std::ostream& out) {
        const double x = rng.normal();
        const int t = i == 0 || rng.uniform() < 1 / (1 + std::exp(-8 * x));
        out << t << "," << x + t + rng.normal() << "," << x << ","
            << (i == 0 ? "z" : (rng.uniform() < 0.5 ? "a" : "b"));
      });
  const CliResult both = run_cli("estimate " + mixed +
                                 " --treatment t --outcome y --common-causes x,lvl --method ipw");
  EXPECT_EQ(both.exit_code, 2);
  expect_all(both.err, {"lvl = z occurs only among treated units",
                        "remove that covariate and, for the other units, remove or coarsen"});
}

// Named methods must all answer; when several cannot, the one message gives each one's reason, so
// that all can be fixed at once, and a reason shared with the first only by name.
TEST(DefaultMethods, EveryNamedMethodThatFailsIsReported) {
  const std::string csv =
      csv_file("gold_alone.csv", "t,y,x,plan", 400, 12, [](int i, Rng& rng, std::ostream& out) {
        const int t = i % 2;
        out << t << "," << t + rng.normal() << "," << rng.normal() << ","
            << (i % 40 == 1 ? "gold" : "basic");
      });
  const std::string base = "estimate " + csv + " --treatment t --outcome y --common-causes ";
  const CliResult all = run_cli(base + "x,plan --method ipw,naive,matching,iv");
  EXPECT_EQ(all.exit_code, 2);
  // named by its file, as every message about the data is
  EXPECT_NE(all.err.find(csv + ": ipw cannot estimate"), std::string::npos) << all.err;
  expect_all(all.err, {"ipw cannot estimate the att: positivity fails for 10 units",
                       "Also: matching fails for the same reason; iv needs an instrument"});
  const CliResult one = run_cli(base + "x --method ipw,iv");
  EXPECT_EQ(one.exit_code, 2);
  EXPECT_NE(one.err.find("iv needs an instrument"), std::string::npos) << one.err;
  EXPECT_EQ(one.err.find("Also"), std::string::npos) << one.err;
}

// Round-off is judged against the outcome's range, not its size: an effect of about 0.7 on an
// outcome near 1.7e12 (timestamps in milliseconds) printed as 0 in the table while the JSON had
// it right.
TEST(DefaultMethods, AnEffectOnAHugeOutcomeIsNotPrintedAsZero) {
  const std::string csv =
      csv_file("timestamps.csv", "t,x,y", 200, 13, [](int, Rng& rng, std::ostream& out) {
        const double x = rng.normal();
        const int t = rng.uniform() < 1 / (1 + std::exp(-x));
        out << t << "," << x << "," << fmt::format("{:.1f}", 1.7e12 + 0.7 * t + 0.3 * x);
      });
  const std::string args = csv + " --treatment t --outcome y --common-causes x --method naive";
  const double json = estimate_json(args)["estimates"][0]["estimate"].get<double>();
  ASSERT_GT(json, 0.3);
  const CliResult text = run_cli("estimate " + args);
  ASSERT_EQ(text.exit_code, 0) << text.err;
  const std::size_t row = text.out.find("\nnaive");
  ASSERT_NE(row, std::string::npos) << text.out;
  std::istringstream fields(text.out.substr(row));
  std::string method, target;
  double printed = 0;
  fields >> method >> target >> printed;
  EXPECT_NEAR(printed, json, 1e-4) << text.out;
}

}  // namespace
}  // namespace causeway::testing
