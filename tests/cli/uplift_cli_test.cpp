// `causeway uplift`: the scores file, the report, ids kept as text, and bad options.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "causeway/rng.h"
#include "cli/cli_support.h"

namespace causeway::testing {
namespace {

std::string simulated(std::size_t rows) {
  const std::string path = temp_path("uplift_" + std::to_string(rows) + ".csv");
  const CliResult r = run_cli("simulate uplift --n " + std::to_string(rows) +
                              " --seed 7 --with-truth --out " + path);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return path;
}

TEST(UpliftCli, WritesOneScoreRowPerCustomerAndADecileTable) {
  const std::string data = simulated(4000), scores = temp_path("scores.csv");
  const CliResult r = run_cli("uplift " + data +
                              " --treatment call --outcome renew --features motivation,usage_depth,"
                              "tenure_months --trees 200 --json --out " +
                              scores);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["rows"], 4000);
  EXPECT_EQ(j["deciles"].size(), 10u);
  EXPECT_LT(j["ate_ci_low"].get<double>(), j["ate_ci_high"].get<double>());
  ASSERT_EQ(j["averages"].size(), 3u);  // ate, att, atc, the first the same as "ate"
  EXPECT_EQ(j["averages"][0]["estimate"], j["ate"]);
  EXPECT_EQ(j["averages"][1]["target"], "att");
  EXPECT_EQ(j["averages"][1]["units"].get<int>() + j["averages"][2]["units"].get<int>(), 4000);
  EXPECT_EQ(j["linear_projection"].size(), 4u);  // intercept and three features
  EXPECT_TRUE(j["calibration"]["differential_se"].get<double>() > 0);
  double importance = 0;
  for (const auto& [name, v] : j["importance"].items()) importance += v.get<double>();
  EXPECT_NEAR(importance, 1.0, 1e-9);
  EXPECT_EQ(j["min_node_size"], 8);
  EXPECT_EQ(j["min_split_gain"], 2.0);
  EXPECT_EQ(j["min_node_size_rule"], "default");
  // The hurt share lies between those surely hurt and those possibly hurt; in this simulation
  // 30 of the 47 tenure months (64 % of customers) carry a true effect of -0.02.
  EXPECT_LE(j["share_hurt_low"].get<double>(), j["share_hurt"].get<double>());
  EXPECT_LE(j["share_hurt"].get<double>(), j["share_hurt_high"].get<double>());
  EXPECT_LT(j["share_hurt_low"].get<double>(), 30.0 / 47);
  EXPECT_GT(j["share_hurt_high"].get<double>(), 30.0 / 47);
  std::ifstream in(scores);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "row,predicted_uplift,ci_low,ci_high,uplift_decile");
  std::size_t rows = 0;
  while (std::getline(in, line)) {
    ++rows;
    std::stringstream fields(line);
    std::string id, tau, low, high, decile;
    std::getline(fields, id, ',');
    std::getline(fields, tau, ',');
    std::getline(fields, low, ',');
    std::getline(fields, high, ',');
    std::getline(fields, decile, ',');
    EXPECT_LE(std::stod(low), std::stod(tau));
    EXPECT_LE(std::stod(tau), std::stod(high));
    EXPECT_GE(std::stoi(decile), 1);
    EXPECT_LE(std::stoi(decile), 10);
  }
  EXPECT_EQ(rows, 4000u);
}

TEST(UpliftCli, IdsStayText) {
  const std::string csv = temp_path("ids.csv");
  {
    std::ofstream out(csv);
    out << "customer_id,x,t,y\n";
    for (int i = 0; i < 400; ++i)
      out << (i == 0 ? "007" : "C" + std::to_string(i)) << "," << i % 9 << "," << i % 2 << ","
          << (i * 7 % 5 > 2) << "\n";
  }
  const std::string scores = temp_path("ids_scores.csv");
  const CliResult r = run_cli("uplift " + csv + " --treatment t --outcome y --features x " +
                              "--trees 100 --out " + scores);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream in(scores);
  std::string header, first;
  std::getline(in, header);
  std::getline(in, first);
  EXPECT_EQ(header.substr(0, 12), "customer_id,");
  EXPECT_EQ(first.substr(0, 4), "007,");
}

TEST(UpliftCli, BadOptionsAreRefused) {
  const std::string data = simulated(500);
  const std::string base = "uplift " + data + " --treatment call --outcome renew ";
  expect_refusal(base + "--features tenure_months --trees 201", {"--trees must be even"});
  expect_refusal(base + "--features tenur", {"no column named 'tenur'"});
  expect_refusal(base + "--features tenure_months --trees 20", {"--trees must be at least 100"});
  expect_refusal(base + "--features tenure_months --metric qini", {"--metric judges a given"});
  expect_refusal(base + "--features tenure_months --base linear", {"--base sets the meta"});
  expect_refusal(base + "--features tenure_months --method t --trees 300",
                 {"--trees applies to the forest"});
  const CliResult score = run_cli(base + "--score tenure_months --holdout 0.3");
  EXPECT_EQ(score.exit_code, 2);
  EXPECT_NE(score.err.find("--holdout has no use with --score"), std::string::npos) << score.err;
  // Forest settings and a report a given score does not produce are refused, not ignored.
  const std::string report = temp_path("score_report.html");
  for (const std::string& option : {std::string("--min-split-gain 3"), "--report " + report}) {
    const CliResult r = run_cli(base + "--score tenure_months " + option);
    EXPECT_EQ(r.exit_code, 2) << option;
    const std::string name = option.substr(0, option.find(' '));
    EXPECT_NE(r.err.find(name + " has no use with --score"), std::string::npos) << r.err;
  }
  EXPECT_FALSE(std::filesystem::exists(report));
  expect_refusal(base + "--features tenure_months --method x --min-split-gain 1",
                 {"--min-split-gain applies to the forest"});
  expect_refusal(base + "--features tenure_months --min-split-gain -1", {"--min-split-gain"});
}

TEST(UpliftCli, AForestThatNeverSplitsSaysSo) {
  const std::string data = simulated(4000);
  const std::string model = temp_path("flat.model");
  const CliResult r = run_cli("uplift " + data +
                              " --treatment call --outcome renew --features tenure_months "
                              "--trees 100 --min-split-gain 1000 --quiet --json --save-model " +
                              model + " --out " + temp_path("flat_scores.csv"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["min_split_gain"], 1000.0);
  bool warned = false;
  for (const auto& w : j["warnings"])
    warned = warned || w.get<std::string>().find("made no split") != std::string::npos;
  EXPECT_TRUE(warned) << j["warnings"].dump();
  const CliResult scored =
      run_cli("score --model " + model + " " + data + " --out " + temp_path("flat_scored.csv"));
  ASSERT_EQ(scored.exit_code, 0) << scored.err;
  EXPECT_NE(scored.out.find("the model's forest made no split"), std::string::npos) << scored.out;
  const CliResult usual = run_cli("uplift " + data +
                                  " --treatment call --outcome renew --features tenure_months "
                                  "--trees 100 --quiet --json");
  ASSERT_EQ(usual.exit_code, 0) << usual.err;
  EXPECT_EQ(usual.out.find("made no split"), std::string::npos);
}

}  // namespace
}  // namespace causeway::testing

namespace causeway::testing {
namespace {

TEST(UpliftCli, C24_DecileTableOfAGivenScore) {
  const CliResult r = run_cli("uplift " + case_file("C24") +
                              " --treatment offer --outcome renewed --score uplift_score --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  const double lift[] = {1.0, 0.5, 0.5, 0.0, 0.5, -0.5, 0.0, NAN, -0.5, NAN};
  const int treated[] = {2, 2, 1, 1, 1, 1, 1, 0, 1, 0};
  ASSERT_EQ(j["deciles"].size(), 10u);
  for (int d = 0; d < 10; ++d) {
    const auto& row = j["deciles"][static_cast<std::size_t>(d)];
    EXPECT_EQ(row["decile"], d + 1);
    EXPECT_EQ(row["treated"], treated[d]) << "decile " << d + 1;
    EXPECT_EQ(row["treated"].get<int>() + row["control"].get<int>(), 3);
    if (std::isnan(lift[d]))
      EXPECT_TRUE(row["lift"].is_null()) << "decile " << d + 1 << " must be n/a";
    else
      EXPECT_NEAR(row["lift"].get<double>(), lift[d], 1e-9) << "decile " << d + 1;
  }
  EXPECT_NEAR(j["deciles"][0]["score_high"].get<double>(), 0.990, 1e-9);
  EXPECT_NEAR(j["deciles"][9]["score_low"].get<double>(), 0.091, 1e-9);
  EXPECT_NEAR(j["total_lift"].get<double>(), 0.100000, 1e-6);
  EXPECT_NEAR(j["weighted_decile_lift"].get<double>(), 0.300000, 1e-6);
  EXPECT_NEAR(j["cumulative"][2]["lift"].get<double>(), 0.550000, 1e-6);  // top 30 %
  EXPECT_NEAR(j["cumulative"][4]["lift"].get<double>(), 0.464286, 1e-6);  // top 50 %
  const CliResult text = run_cli("uplift " + case_file("C24") +
                                 " --treatment offer --outcome renewed --score uplift_score");
  EXPECT_NE(text.out.find("n/a"), std::string::npos);
  EXPECT_EQ(text.out.find("nan"), std::string::npos);
}

TEST(UpliftCli, C23_QiniNeedsAZeroOneOutcome) {
  const std::string base = "uplift " + case_file("C23") +
                           " --treatment offer --score uplift_score --metric qini --outcome ";
  for (const auto& [outcome, parts] :
       {std::pair<std::string, std::vector<std::string>>{
            "spend_change", {"need a 0/1 outcome", "'spend_change' has 16 distinct values"}},
        {"renewed_code", {"coded 0/1", "'renewed_code' is coded 1, 2"}}}) {
    const CliResult r = run_cli(base + outcome);
    EXPECT_EQ(r.exit_code, 2) << outcome;
    EXPECT_EQ(r.out, "");
    for (const auto& p : parts) EXPECT_NE(r.err.find(p), std::string::npos) << r.err;
  }
}

TEST(UpliftCli, QiniPathFollowsRadcliffesFormula) {
  // Q(k) = Y_t(k) - Y_c(k) n_t(k) / n_c(k) over the top k (it reproduces C23's documented path
  // for sums of a continuous outcome). On C24: Q(0) = 0 and Q(30) = 6 renewed treated - 10
  // renewed controls x 10 treated / 20 controls = 1.
  const CliResult r =
      run_cli("uplift " + case_file("C24") +
              " --treatment offer --outcome renewed --score uplift_score --metric qini --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["qini"].size(), 31u);
  EXPECT_DOUBLE_EQ(j["qini"][0].get<double>(), 0.0);
  EXPECT_NEAR(j["qini"][30].get<double>(), 1.0, 1e-9);
}

}  // namespace
}  // namespace causeway::testing

namespace causeway::testing {
namespace {

// A small file with a categorical feature, for the model's round trip through the CLI.
std::string plans_file(const std::string& name, int rows, const std::string& odd_row = "") {
  const std::string path = temp_path(name);
  std::ofstream out(path);
  out << "customer_id,plan,usage,call,renew\n";
  const char* plans[] = {"basic", "plus", "pro"};
  for (int i = 0; i < rows; ++i) {
    if (i == 3 && !odd_row.empty()) {
      out << odd_row << "\n";
      continue;
    }
    out << "C" << i << "," << plans[i % 3] << "," << (i * 37 % 101) / 10.0 << "," << i % 2 << ","
        << ((i * 7 + i / 3) % 5 > 1) << "\n";
  }
  return path;
}

TEST(UpliftCli, SavedModelScoresNewCustomersAndRefusesWhatItCannotRead) {
  const std::string train = plans_file("plans_train.csv", 1200), model = temp_path("plans.cwm");
  const CliResult fit = run_cli("uplift " + train +
                                " --treatment call --outcome renew --features plan,usage "
                                "--trees 200 --quiet --save-model " +
                                model);
  ASSERT_EQ(fit.exit_code, 0) << fit.err;
  const std::string fresh = plans_file("plans_new.csv", 30), scores = temp_path("plans_s.csv");
  const CliResult s = run_cli("score " + fresh + " --model " + model + " --out " + scores);
  ASSERT_EQ(s.exit_code, 0) << s.err;
  EXPECT_NE(s.out.find("scored 30 customers"), std::string::npos) << s.out;
  std::ifstream in(scores);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "customer_id,predicted_uplift,ci_low,ci_high,uplift_decile");
  int rows = 0;
  while (std::getline(in, line)) {
    ++rows;
    EXPECT_EQ(line.find("nan"), std::string::npos) << line;
  }
  EXPECT_EQ(rows, 30);
  // An id that repeats cannot join the scores back: said, not silently written.
  {
    std::ifstream src(fresh);
    const std::string all{std::istreambuf_iterator<char>(src), {}};
    const std::size_t first_end = all.find('\n'), second_end = all.find('\n', first_end + 1);
    const std::string twice = temp_path("plans_twice.csv");
    std::ofstream(twice) << all << all.substr(first_end + 1, second_end - first_end);
    const CliResult dup = run_cli("score " + twice + " --model " + model + " --json --out " +
                                  temp_path("twice_scores.csv"));
    ASSERT_EQ(dup.exit_code, 0) << dup.err;
    EXPECT_EQ(nlohmann::json::parse(dup.out)["warnings"][0],
              "1 id of column 'customer_id' appears more than once; the scores cannot be joined "
              "back by id alone");
  }
  // Without --out the scores go to standard output, the same bytes.
  const CliResult piped = run_cli("score " + fresh + " --model " + model);
  std::ifstream again(scores);
  const std::string file{std::istreambuf_iterator<char>(again), {}};
  EXPECT_EQ(piped.out, file);
  // And the customers may come on standard input.
  EXPECT_EQ(run_cli("score - --model " + model + " < " + fresh).out, file);

  const std::string base = "score --model " + model + " ";
  expect_refusal(base + plans_file("plans_level.csv", 30, "C3,gold,1.5,1,0"),
                 {"column 'plan', row 4 (id C3): level 'gold' never appeared", "basic, plus, pro"});
  expect_refusal(base + plans_file("plans_text.csv", 30, "C3,plus,lots,1,0"),
                 {"column 'usage' held numbers", "'lots' in row 4 (id C3)"});
  expect_refusal(base + plans_file("plans_missing.csv", 30, "C3,plus,,1,0"),
                 {"column 'usage' has 1 missing value (first at row 4 (id C3))"});
  expect_refusal("score " + fresh + " --model " + train, {"not a causeway model file"});
  expect_refusal("score " + fresh + " --model " + temp_path("absent.cwm"),
                 {"cannot open the model file"});
  expect_refusal("score " + fresh + " --model " + temp_path(""), {"is a folder"});
}

// A numeric feature read as levels (--categorical) has one level per number: a file that spells
// the numbers otherwise scores the same, and where a word makes the column text, the word is the
// unknown level named, not a number spelt differently.
TEST(UpliftCli, ANumberSpeltOtherwiseIsTheSameLevelWhenScored) {
  const auto tiers = [](const std::string& name, const std::vector<std::string>& spelling,
                        const std::string& odd_row = "") {
    const std::string path = temp_path(name);
    std::ofstream out(path);
    out << "customer_id,tier,usage,call,renew\n";
    for (int i = 0; i < 1200; ++i) {
      if (i == 3 && !odd_row.empty()) {
        out << odd_row << "\n";
        continue;
      }
      out << "C" << i << "," << spelling[static_cast<std::size_t>(i % 3)] << ","
          << (i * 37 % 101) / 10.0 << "," << i % 2 << "," << ((i * 7 + i / 3) % 5 > 1) << "\n";
    }
    return path;
  };
  const std::string model = temp_path("tiers.cwm");
  const CliResult fit = run_cli("uplift " + tiers("tiers_train.csv", {"1", "2", "12"}) +
                                " --treatment call --outcome renew --features tier,usage "
                                "--categorical tier --trees 200 --quiet --save-model " +
                                model);
  ASSERT_EQ(fit.exit_code, 0) << fit.err;
  const std::string base = "score --model " + model + " ";
  const CliResult plain = run_cli(base + tiers("tiers_plain.csv", {"1", "2", "12"}));
  const CliResult spelt = run_cli(base + tiers("tiers_spelt.csv", {"001", "2.0", "1.2e1"}));
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  ASSERT_EQ(spelt.exit_code, 0) << spelt.err;
  EXPECT_EQ(plain.out, spelt.out);
  expect_refusal(base + tiers("tiers_word.csv", {"001", "2.0", "12"}, "C3,abc,1.5,1,0"),
                 {"column 'tier', row 4 (id C3): level 'abc' never appeared", "1, 2, 12"});
}

}  // namespace
}  // namespace causeway::testing

namespace causeway::testing {
namespace {

TEST(UpliftCli, MetaLearnersWritePointPredictionsWithoutIntervals) {
  const std::string data = simulated(3000), scores = temp_path("meta_scores.csv");
  const std::string base = "uplift " + data +
                           " --treatment call --outcome renew --features motivation,usage_depth,"
                           "tenure_months --quiet ";
  const CliResult r = run_cli(base + "--method x --base linear --json --out " + scores);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["method"], "x");
  EXPECT_FALSE(j["intervals"].get<bool>());
  EXPECT_TRUE(j["share_hurt_low"].is_null());
  EXPECT_GE(j["share_hurt"].get<double>(), 0.0);
  EXPECT_EQ(j["deciles"].size(), 10u);
  std::ifstream in(scores);
  std::string header, first;
  std::getline(in, header);
  std::getline(in, first);
  EXPECT_EQ(header, "row,predicted_uplift,ci_low,ci_high,uplift_decile");
  EXPECT_NE(first.find(",,,"), std::string::npos) << first;  // empty interval, not a number
  expect_refusal(base + "--method t --save-model " + temp_path("meta.cwm"),
                 {"meta-learners cannot be saved"});
  for (const char* nuisance : {"boosting", "forest"}) {
    const CliResult n = run_cli(base + "--trees 200 --json --nuisance " + nuisance);
    ASSERT_EQ(n.exit_code, 0) << n.err;
    EXPECT_EQ(nlohmann::json::parse(n.out)["nuisance"], nuisance);
  }
}

}  // namespace
}  // namespace causeway::testing

namespace causeway::testing {
namespace {

TEST(UpliftCli, GivenScoreOnTargetedDataWarnsThatTheLiftsAreConfounded) {
  // In the retention simulation the call goes to motivated customers: a score that tracks
  // motivation sorts the treated into the top deciles, so raw decile lifts are confounded.
  const std::string data = temp_path("targeted.csv");
  ASSERT_EQ(run_cli("simulate retention --n 4000 --seed 3 --out " + data).exit_code, 0);
  const CliResult r = run_cli("uplift " + data +
                              " --treatment call --outcome renew --score motivation_proxy --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["warnings"].size(), 1u);
  EXPECT_NE(j["warnings"][0].get<std::string>().find("looks targeted"), std::string::npos);
  // The uplift simulation calls customers regardless of tenure: no warning.
  const CliResult u = run_cli("uplift " + simulated(4000) +
                              " --treatment call --outcome renew --score tenure_months --json");
  ASSERT_EQ(u.exit_code, 0) << u.err;
  EXPECT_TRUE(nlohmann::json::parse(u.out)["warnings"].empty());
}

TEST(UpliftCli, OneTwoCodedOutcomeIsNamedAsCodesNotRates) {
  const CliResult r = run_cli("uplift " + case_file("C23") +
                              " --treatment offer --outcome renewed_code --score uplift_score");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("mean_t"), std::string::npos);
  EXPECT_EQ(r.out.find("rate_t"), std::string::npos);
  EXPECT_NE(unwrapped(r.out).find("'renewed_code' is coded 1, 2, not 0/1"), std::string::npos);
}

}  // namespace
}  // namespace causeway::testing

namespace causeway::testing {
namespace {

TEST(UpliftCli, NewUsersBadInputsEndInOneClearMessage) {
  // Built from a new user's report: each of these crashed, printed NaN or answered silently.
  const std::string data = temp_path("newuser.csv");
  {
    std::ofstream out(data);
    out << "customer_id,plan,plan=pro,motivation,call,renew\n";
    const char* plans[] = {"basic", "pro", "team", "gold"};
    for (int i = 0; i < 2000; ++i)
      out << "C" << i << "," << plans[i % 4] << "," << (i * 13 % 29) / 7.0 << ","
          << (i * 37 % 101) / 50.0 - 1 << "," << (i % 4 == 3 ? 1 : (i / 4) % 2) << ","
          << ((i * 7 + i / 3) % 5 > 1) << "\n";
  }
  const std::string base = "uplift " + data + " --treatment call --outcome renew --trees 100 ";
  // A column named like a level of another column.
  expect_refusal(base + "--features plan,plan=pro",
                 {"two covariates would be called 'plan=pro'", "rename one of the columns"});
  // Every plan=gold customer is treated: their effects are not identified.
  expect_refusal(base + "--features motivation,plan",
                 {"plan = gold occurs only among treated", "per-customer effects need treated"});
  expect_refusal(base + "--features motivation --save-model " + temp_path("refused.json"),
                 {"--save-model and --out name the same file"});
  expect_refusal(base + "--features motivation --holdout 1e-300", {"holds out no customer"});
  {
    const std::string flat = temp_path("flat_score.csv");
    std::ofstream out(flat);
    out << "s,call,renew\n";
    for (int i = 0; i < 200; ++i) out << "0.5," << i % 2 << "," << (i % 3 == 0) << "\n";
  }
  const CliResult flat = run_cli("uplift " + temp_path("flat_score.csv") +
                                 " --treatment call --outcome renew --score s");
  EXPECT_EQ(flat.exit_code, 2);
  EXPECT_NE(flat.err.find("--score 's' is constant"), std::string::npos) << flat.err;
  // A header-only file to score.
  const std::string model = temp_path("newuser.cwm"), empty = temp_path("empty.csv");
  ASSERT_EQ(run_cli(base + "--features motivation --quiet --save-model " + model).exit_code, 0);
  std::ofstream(empty) << "customer_id,motivation\n";
  expect_refusal("score " + empty + " --model " + model, {"no rows to score"});
}

// An outcome far from 0 for its spread (timestamps near 1.7e12) is modelled less its midpoint, as
// estimate does: the same forest and effects as without the offset (272 of 400 customers changed
// decile before), and a score's evaluation gives the arms' means on the outcome's own scale.
TEST(UpliftCli, AnOutcomeFarFromZeroGivesTheEffectsItGivesWithoutTheOffset) {
  constexpr double kOffset = 1.7e12;
  const auto file = [](const std::string& name, double offset) {
    const std::string path = temp_path(name);
    std::ofstream out(path);
    out << "id,t,x1,x2,y\n";
    Rng rng(31);
    for (int i = 0; i < 600; ++i) {
      const double x1 = std::round(4 * rng.normal()), x2 = std::round(4 * rng.normal());
      const int t = rng.uniform() < 0.5;
      // quarters: exact beside 1.7e12, where a double resolves 2^-12
      const double y = std::round(4 * (x1 + (1 + 0.5 * x2) * t + rng.normal())) / 4;
      out << i << "," << t << "," << x1 << "," << x2 << "," << fmt::format("{}", offset + y)
          << "\n";
    }
    return path;
  };
  const std::string near = file("uplift_near.csv", 0), far = file("uplift_far.csv", kOffset);
  const auto deciles = [](const std::string& scores) {
    std::ifstream in(scores);
    std::string line, all;
    std::getline(in, line);  // header
    while (std::getline(in, line)) all += line.substr(line.rfind(',') + 1) + " ";
    return all;
  };
  const std::string args = " --treatment t --outcome y --features x1,x2 --trees 200 --quiet --json";
  const CliResult a = run_cli("uplift " + near + args + " --out " + temp_path("near_s.csv"));
  const CliResult b = run_cli("uplift " + far + args + " --out " + temp_path("far_s.csv"));
  ASSERT_EQ(a.exit_code, 0) << a.err;
  ASSERT_EQ(b.exit_code, 0) << b.err;
  const auto ja = nlohmann::json::parse(a.out), jb = nlohmann::json::parse(b.out);
  const double se = ja["ate_se"].get<double>();
  EXPECT_NEAR(jb["ate"].get<double>(), ja["ate"].get<double>(), 1e-6 * se);
  EXPECT_EQ(deciles(temp_path("far_s.csv")), deciles(temp_path("near_s.csv")));
  const std::string score = " --treatment t --outcome y --score x1 --json";
  const auto ea = nlohmann::json::parse(run_cli("uplift " + near + score).out);
  const auto eb = nlohmann::json::parse(run_cli("uplift " + far + score).out);
  EXPECT_NEAR(eb["deciles"][0]["lift"].get<double>(), ea["deciles"][0]["lift"].get<double>(), 1e-9);
  EXPECT_NEAR(eb["deciles"][0]["rate_control"].get<double>() - kOffset,
              ea["deciles"][0]["rate_control"].get<double>(), 1e-3);
}

}  // namespace
}  // namespace causeway::testing
