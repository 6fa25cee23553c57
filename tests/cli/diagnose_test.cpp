// `causeway diagnose`: overlap of the propensity scores and covariate balance, pinned on cases
// C05 (a level never treated) and C26 (text covariates), and on LaLonde against SMDs computed
// here by hand from the file.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "cli/cli_support.h"

namespace causeway::testing {
namespace {

constexpr double kTol = 1e-5;

nlohmann::json diagnose_json(const std::string& args) {
  const CliResult r = run_cli("diagnose " + args + " --json");
  EXPECT_EQ(r.exit_code, 0) << args << "\n" << r.err;
  EXPECT_EQ(r.out.find("nan"), std::string::npos) << r.out;
  return r.exit_code == 0 ? nlohmann::json::parse(r.out) : nlohmann::json::object();
}

const nlohmann::json& row_of(const nlohmann::json& report, const std::string& covariate) {
  for (const auto& row : report["balance"])
    if (row["covariate"] == covariate) return row;
  ADD_FAILURE() << "no balance row for " << covariate;
  static const nlohmann::json none = nlohmann::json::object();
  return none;
}

// The help lists only what diagnose takes: --method, --graph and --bootstrap, which it refuses
// with a reason, were listed beside the rest (--method "default: naive,regression,...").
TEST(Diagnose, ItsHelpListsOnlyWhatItTakes) {
  const CliResult help = run_cli("diagnose --help");
  ASSERT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--common-causes"), std::string::npos) << help.out;
  for (const char* refused : {"--method", "--graph", "--bootstrap"}) {
    EXPECT_EQ(help.out.find(refused), std::string::npos) << refused << "\n" << help.out;
    const CliResult r = run_cli("diagnose x.csv --treatment t --outcome y " + std::string(refused) +
                                (std::string(refused) == "--bootstrap" ? " 10" : " x"));
    EXPECT_EQ(r.exit_code, 2) << refused;
    EXPECT_NE(r.err.find("diagnose"), std::string::npos) << r.err;  // refused with a reason
  }
}

TEST(Diagnose, C26_BalancePerLevelOfTextCovariates) {
  const auto j = diagnose_json(case_file("C26") +
                               " --treatment offer --outcome churned "
                               "--common-causes plan,region,tenure_months");
  struct Expected {
    double treated, control, smd;
  };
  const std::map<std::string, Expected> expected = {
      {"plan=basic", {0.125, 0.583333, -1.091842}},
      {"plan=plus", {0.375, 0.25, 0.272166}},
      {"plan=pro", {0.5, 0.166667, 0.755929}},
      {"region=north", {0.375, 0.583333, -0.426401}},
      {"region=south", {0.625, 0.416667, 0.426401}},
      {"tenure_months", {24.125, 12.916667, 1.179165}}};
  ASSERT_EQ(j["balance"].size(), expected.size());
  for (const auto& [name, e] : expected) {
    const auto& row = row_of(j, name);
    EXPECT_NEAR(row["mean_treated"].get<double>(), e.treated, kTol) << name;
    EXPECT_NEAR(row["mean_control"].get<double>(), e.control, kTol) << name;
    EXPECT_NEAR(row["smd_before"].get<double>(), e.smd, kTol) << name;
    EXPECT_EQ(row["flagged"], std::abs(e.smd) > 0.1 || row["flagged"].get<bool>()) << name;
  }
  // Levels are proportions: the variance ratio is p_t (1 - p_t) / (p_c (1 - p_c)).
  EXPECT_NEAR(row_of(j, "plan=basic")["variance_ratio_before"].get<double>(),
              0.125 * 0.875 / (0.583333 * 0.416667), 1e-4);
  // The text output reads the same levels (C26: no crash on a text covariate).
  const CliResult text = run_cli("diagnose " + case_file("C26") +
                                 " --treatment offer --outcome churned "
                                 "--common-causes plan,region,tenure_months --balance");
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("plan=basic"), std::string::npos) << text.out;
  EXPECT_EQ(text.out.find("overlap of the propensity scores"), std::string::npos);
}

TEST(Diagnose, C05_OverlapNamesTheLevelNoTreatedCustomerHas) {
  const std::string base =
      case_file("C05") + " --treatment offer --outcome spend_next_month --common-causes region";
  const auto att = diagnose_json(base);
  const auto& o = att["overlap"];
  EXPECT_NEAR(o["min_score"]["treated"].get<double>(), 0.5, kTol);
  EXPECT_NEAR(o["max_score"]["treated"].get<double>(), 0.5, kTol);
  EXPECT_EQ(o["min_score"]["control"].get<double>(), 0.0);
  EXPECT_NEAR(o["max_score"]["control"].get<double>(), 0.5, kTol);
  EXPECT_EQ(o["outside_common_support"]["control"], 6);
  EXPECT_EQ(o["outside_common_support"]["treated"], 0);
  ASSERT_EQ(o["violations"].size(), 1u);
  EXPECT_EQ(o["violations"][0], "no treated customer has region = north (6 control customers do)");
  EXPECT_NE(att["warnings"].dump().find("positivity: no treated customer has region = north"),
            std::string::npos);
  // The ATT's weights exist (north controls weigh 0); the ATE's do not, and say why.
  EXPECT_TRUE(att["effective_sample_size"].is_object());
  const auto ate = diagnose_json(base + " --target ate");
  EXPECT_TRUE(ate["effective_sample_size"].is_null());
  EXPECT_NE(ate["weighting"].get<std::string>().find("not defined: 6 units"), std::string::npos);
  for (const auto& row : ate["balance"]) EXPECT_TRUE(row["smd_weighted"].is_null());
  const CliResult text = run_cli("diagnose " + base + " --target ate");
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_EQ(text.out.find("nan"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("no treated customer has region = north"), std::string::npos);
}

// The columns of a small CSV without quotes, by name.
std::map<std::string, std::vector<std::string>> read_columns(const std::string& path) {
  std::ifstream in(path);
  std::string line, field;
  std::getline(in, line);
  std::vector<std::string> names;
  for (std::stringstream s(line); std::getline(s, field, ',');) names.push_back(field);
  std::map<std::string, std::vector<std::string>> out;
  while (std::getline(in, line)) {
    std::stringstream s(line);
    for (const auto& name : names) std::getline(s, field, ','), out[name].push_back(field);
  }
  return out;
}

TEST(Diagnose, LalondeStandardisedDifferencesMatchAHandComputation) {
  const std::string file = shared_path("data/lalonde/lalonde_matchit.csv");
  const auto j = diagnose_json(file +
                               " --treatment treat --outcome re78 --common-causes "
                               "age,educ,race,married,nodegree,re74,re75");
  auto cols = read_columns(file);
  const auto& treat = cols["treat"];
  // SMD with the pooled standard deviation of the two unadjusted arms: sample variances for
  // numbers, p(1 - p) for indicators.
  const auto smd = [&](const std::vector<double>& x, bool indicator) {
    double n[2] = {0, 0}, sum[2] = {0, 0}, ss[2] = {0, 0};
    for (std::size_t i = 0; i < x.size(); ++i) {
      const int a = treat[i] == "1";
      n[a] += 1, sum[a] += x[i];
    }
    const double mean[2] = {sum[0] / n[0], sum[1] / n[1]};
    for (std::size_t i = 0; i < x.size(); ++i) {
      const int a = treat[i] == "1";
      ss[a] += (x[i] - mean[a]) * (x[i] - mean[a]);
    }
    double var[2];
    for (int a = 0; a < 2; ++a) var[a] = indicator ? mean[a] * (1 - mean[a]) : ss[a] / (n[a] - 1);
    return (mean[1] - mean[0]) / std::sqrt((var[0] + var[1]) / 2);
  };
  const auto numbers = [&](const std::string& name) {
    std::vector<double> x;
    for (const auto& v : cols[name]) x.push_back(std::stod(v));
    return x;
  };
  const auto level = [&](const std::string& value) {
    std::vector<double> x;
    for (const auto& v : cols["race"]) x.push_back(v == value ? 1.0 : 0.0);
    return x;
  };
  for (const std::string name : {"age", "educ", "re74", "re75"})
    EXPECT_NEAR(row_of(j, name)["smd_before"].get<double>(), smd(numbers(name), false), 1e-9)
        << name;
  for (const std::string name : {"married", "nodegree"})
    EXPECT_NEAR(row_of(j, name)["smd_before"].get<double>(), smd(numbers(name), true), 1e-9)
        << name;
  for (const std::string value : {"black", "hispan", "white"})
    EXPECT_NEAR(row_of(j, "race=" + value)["smd_before"].get<double>(), smd(level(value), true),
                1e-9)
        << value;
  // Matching on the score and weighting both move race=black, the worst covariate, towards 0.
  const auto& black = row_of(j, "race=black");
  EXPECT_GT(black["smd_before"].get<double>(), 1.5);
  EXPECT_LT(std::abs(black["smd_weighted"].get<double>()), black["smd_before"].get<double>());
  EXPECT_LT(std::abs(black["smd_matched"].get<double>()), black["smd_before"].get<double>());
}

TEST(Diagnose, TrimmingKeepsBalanceOnTheUntrimmedRows) {
  // --trim used to hand the balance table weights of the trimmed rows only (a crash).
  const std::string lalonde = shared_path("data/lalonde/lalonde_matchit.csv") +
                              " --treatment treat --outcome re78 --common-causes "
                              "age,educ,race,married,nodegree,re74,re75";
  const auto trimmed = diagnose_json(lalonde + " --trim 0.093");
  const auto whole = diagnose_json(lalonde);
  ASSERT_EQ(trimmed["balance"].size(), whole["balance"].size());
  for (std::size_t k = 0; k < whole["balance"].size(); ++k) {
    // Before adjustment nothing is trimmed; the weighted sample loses the extreme scores.
    EXPECT_EQ(trimmed["balance"][k]["smd_before"], whole["balance"][k]["smd_before"]);
    EXPECT_TRUE(trimmed["balance"][k]["smd_matched"].is_number());
    EXPECT_NE(trimmed["balance"][k]["smd_weighted"], whole["balance"][k]["smd_weighted"]);
  }
  EXPECT_NE(trimmed["matching"].get<std::string>().find("176 treated"), std::string::npos)
      << trimmed["matching"];
  const auto c05 = diagnose_json(case_file("C05") +
                                 " --treatment offer --outcome spend_next_month --common-causes "
                                 "region --target att --trim 0.146 --replace");
  EXPECT_TRUE(c05["effective_sample_size"].is_object());
}

TEST(Diagnose, CompleteSeparationHasNoCommonSupport) {
  const std::string path = temp_path("separated.csv");
  {
    std::ofstream out(path);
    out << "tenure,treated,renewed\n";
    for (int i = 0; i < 40; ++i) out << i << "," << (i >= 30 ? 1 : 0) << "," << i % 2 << "\n";
  }
  const std::string args = path + " --treatment treated --outcome renewed --common-causes tenure";
  const auto j = diagnose_json(args);
  EXPECT_NE(j["warnings"].dump().find("no common support"), std::string::npos) << j["warnings"];
  const CliResult text = run_cli("diagnose " + args);
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_EQ(text.out.find("no trimming needed"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("no common support"), std::string::npos) << text.out;
}

TEST(Diagnose, AnalyzeCallsAnAteFragileWhenALevelIsNeverTreated) {
  const std::string base = "analyze " + case_file("C05") +
                           " --treatment offer --outcome spend_next_month --common-causes region "
                           "--quiet --json --target ";
  const CliResult ate = run_cli(base + "ate");
  ASSERT_EQ(ate.exit_code, 0) << ate.err;
  const auto j = nlohmann::json::parse(ate.out);
  EXPECT_EQ(j["verdict"], "FRAGILE");
  EXPECT_NE(j["verdict_reasons"].dump().find("positivity fails for the ATE"), std::string::npos);
  // The ATT needs controls wherever there are treated customers, which region = north does not
  // break: no positivity reason there.
  const CliResult att = run_cli(base + "att");
  ASSERT_EQ(att.exit_code, 0) << att.err;
  EXPECT_EQ(att.out.find("positivity fails"), std::string::npos);
}

TEST(Diagnose, ColoursItsWarningsOnlyWhenAsked) {
  const std::string base = "diagnose " + case_file("C26") +
                           " --treatment offer --outcome churned --common-causes plan --color ";
  EXPECT_NE(run_cli(base + "always").out.find("\033[33mwarnings:"), std::string::npos);
  EXPECT_EQ(run_cli(base + "never").out.find('\033'), std::string::npos);
  EXPECT_EQ(run_cli(base + "auto").out.find('\033'), std::string::npos);  // not a terminal
}

TEST(Diagnose, RefusesWhatItCannotUse) {
  const std::string base = "diagnose " + case_file("C26") + " --treatment offer --outcome churned";
  expect_refusal(base + " --common-causes plan --method ipw", {"diagnose estimates no effect"});
  expect_refusal(base, {"--common-causes"});
  expect_refusal(base + " --common-causes plan,nosuch", {"nosuch"});
}

}  // namespace
}  // namespace causeway::testing
