// The acceptance cases in ../shared/cases (README there) that concern loading, treatment coding,
// propensity models, matching and weighting. Each test is named after the case it pins.
#include <gtest/gtest.h>

#include <map>

#include "cli/cli_support.h"

namespace causeway::testing {
namespace {

constexpr double kTol = 1e-5;

TEST(Cases, C01_ZeroOneAndTrueFalseTreatmentGiveIdenticalNumbers) {
  for (const std::string t : {"offer_int", "offer_bool"}) {
    const std::string base = case_file("C01") + " --treatment " + t + " --outcome churned";
    EXPECT_NEAR(first_estimate(estimate_json(base + " --method naive")), -0.233333, kTol);
    const std::string ipw = base + " --common-causes tenure_long --method ipw --target ";
    EXPECT_NEAR(first_estimate(estimate_json(ipw + "ate")), -0.333333, kTol);
    EXPECT_NEAR(first_estimate(estimate_json(ipw + "att")), -0.388889, kTol);
    EXPECT_NEAR(first_estimate(estimate_json(ipw + "atc")), -0.300000, kTol);
    EXPECT_NEAR(first_estimate(estimate_json(base + " --common-causes tenure_long --method "
                                                    "stratification --target ate")),
                -0.333333, kTol);
  }
  const auto j = estimate_json(case_file("C01") +
                               " --treatment offer_bool --outcome churned "
                               "--method naive");
  EXPECT_EQ(j["coding"], "treated = true, control = false");
}

TEST(Cases, C02_TreatmentCodedOneTwoNeedsExplicitValues) {
  const std::string base = "estimate " + case_file("C02") + " --treatment arm --outcome churned";
  expect_refusal(base + " --method naive",
                 {"'arm' is not coded 0/1", "found values 1, 2", "--treated-value"});
  expect_refusal(base + " --method naive --control-value 0 --treated-value 2",
                 {"control value 0 does not occur in 'arm'"});
  const std::string ok = case_file("C02") + " --treatment arm --control-value 1 --treated-value 2";
  const auto churn = estimate_json(ok + " --outcome churned --method naive");
  EXPECT_NEAR(first_estimate(churn), -0.333333, kTol);
  EXPECT_EQ(churn["coding"], "treated = 2, control = 1");
  EXPECT_NEAR(first_estimate(estimate_json(ok + " --outcome monthly_spend --method naive")), 10.0,
              kTol);
}

TEST(Cases, C03_SingleTreatmentLevelIsRefusedByEveryMethod) {
  for (const std::string m : {"naive", "regression", "matching", "stratification", "ipw", "aipw"})
    expect_refusal("estimate " + case_file("C03") +
                       " --treatment offer --outcome churned --common-causes tenure_months "
                       "--method " +
                       m,
                   {"single level (1)", "10 rows", "10 treated, 0 control"});
}

TEST(Cases, C04_SeparationNamedByColumnAndLevel) {
  const std::string base = case_file("C04") +
                           " --treatment offer --outcome churned --common-causes "
                           "tenure_months,has_api_addon";
  const std::string finding =
      "has_api_addon = 1 occurs only among treated units (3 of 3 rows: S405, S409, S415)";
  for (const std::string m : {"ipw", "matching"})
    for (const std::string t : {"att", "ate"})
      expect_refusal("estimate " + base + " --method " + m + " --target " + t, {finding});
  const auto atc = estimate_json(base + " --method ipw --target atc");
  EXPECT_NE(atc["warnings"].dump().find(finding), std::string::npos);
  const auto ridge = estimate_json(base + " --method ipw --propensity-l2 1");
  EXPECT_LT(ridge["propensity"]["max_score"].get<double>(), 1.0);
  EXPECT_NE(ridge["warnings"].dump().find(finding), std::string::npos);
  const auto plain = estimate_json(case_file("C04") +
                                   " --treatment offer --outcome churned "
                                   "--common-causes tenure_months --method ipw");
  EXPECT_EQ(plain["warnings"].dump().find("separation"), std::string::npos);
}

TEST(Cases, C05_PropensityZeroRefusesTheAteButNotTheAtt) {
  const std::string base = case_file("C05") + " --treatment offer --outcome spend_next_month";
  EXPECT_NEAR(first_estimate(estimate_json(base + " --method naive")), -7.272727, kTol);
  for (const std::string m : {"ipw", "aipw"})
    expect_refusal("estimate " + base + " --common-causes region --method " + m + " --target ate",
                   {"cannot estimate the ate", "positivity fails", "region = north"});
  const auto att = estimate_json(base + " --common-causes region --method ipw --target att");
  EXPECT_NEAR(first_estimate(att), 10.0, 1e-9);
  EXPECT_NE(att["warnings"].dump().find("region = north"), std::string::npos);
  const auto trimmed = estimate_json(base +
                                     " --common-causes region --method ipw --target ate "
                                     "--trim 0.05");
  EXPECT_NEAR(first_estimate(trimmed), 10.0, 1e-9);
  const auto& e = trimmed["estimates"][0];
  EXPECT_EQ(e["n_treated"].get<int>() + e["n_control"].get<int>(), 10);
  EXPECT_EQ(e["details"]["trimmed"], 6);
  EXPECT_NE(e["notes"].dump().find("overlap population"), std::string::npos);
}

TEST(Cases, C07_MissingValuesNeverBecomeZero) {
  const std::string base = case_file("C07") + " --treatment offer --outcome churned";
  expect_refusal("estimate " + base + " --method naive",
                 {"'offer' has 1 missing value", "M1017", "'churned' has 1 missing value", "M1013",
                  "--drop-missing"});
  const auto naive = estimate_json(base + " --method naive --drop-missing");
  EXPECT_NEAR(first_estimate(naive), -0.444444, kTol);
  EXPECT_EQ(naive["rows_used"], 18);
  EXPECT_EQ(naive["dropped_rows"], nlohmann::json({"row 13 (id M1013)", "row 17 (id M1017)"}));
  const auto reg = estimate_json(base +
                                 " --common-causes tenure_months,monthly_spend "
                                 "--method regression --drop-missing");
  EXPECT_NEAR(first_estimate(reg), -0.447978, kTol);
  EXPECT_EQ(reg["n_treated"], 7);
  EXPECT_EQ(reg["n_control"], 9);
  EXPECT_EQ(reg["rows_dropped"], 4);
}

TEST(Cases, C08_SixRowsCannotFillFiveStrata) {
  const std::string base = case_file("C08") + " --treatment offer --outcome tickets_next";
  expect_refusal("estimate " + base +
                     " --common-causes tenure_months --method stratification "
                     "--strata 5",
                 {"stratification: 6 rows cannot fill 5 strata", "has no control unit"});
  const auto one = estimate_json(base +
                                 " --common-causes tenure_months --method stratification "
                                 "--strata 1");
  EXPECT_NEAR(first_estimate(one), -4.666667, kTol);
  EXPECT_NE(one["estimates"][0]["warnings"].dump().find("small sample"), std::string::npos);
  for (const std::string m : {"ipw", "matching", "aipw", "stratification"})
    expect_refusal("estimate " + base + " --common-causes logins_30d --method " + m,
                   {"'logins_30d' separates the arms completely"});
}

// The default method set lists what it cannot estimate instead of failing (or crashing, as an
// early build did when separation left no coefficient to print).
TEST(Cases, C08_DefaultMethodsUnderCompleteSeparationListRefusals) {
  const auto j = estimate_json(case_file("C08") +
                               " --treatment offer --outcome tickets_next "
                               "--common-causes tenure_months,logins_30d");
  EXPECT_EQ(j["estimates"].size(), 2u);  // naive and regression
  EXPECT_EQ(j["refused"].size(), 3u);    // matching, ipw, aipw
  EXPECT_NE(j["refused"].dump().find("separates the arms completely"), std::string::npos);
}

TEST(Cases, C05_StratificationLeavesOutUnitsWithoutCounterpart) {
  const std::string base =
      case_file("C05") + " --treatment offer --outcome spend_next_month --common-causes region";
  EXPECT_NEAR(first_estimate(estimate_json(base + " --method stratification")), 10.0, 1e-9);
  const auto trimmed = estimate_json(base +
                                     " --method matching,stratification --replace "
                                     "--target ate --trim 0.05");
  for (const auto& e : trimmed["estimates"]) {
    EXPECT_NEAR(e["estimate"].get<double>(), 10.0, 1e-9);
    EXPECT_EQ(e["details"]["trimmed"], 6);
  }
}

TEST(Cases, C04_LogitDistanceWithScoresOfOne) {
  const auto j = estimate_json(case_file("C04") +
                               " --treatment offer --outcome churned --common-causes "
                               "tenure_months,has_api_addon --method matching --target atc "
                               "--distance logit");
  EXPECT_TRUE(std::isfinite(first_estimate(j)));
  EXPECT_TRUE(std::isfinite(j["estimates"][0]["se"].get<double>()));
}

TEST(Cases, C10_ConstantAndDuplicateColumnsDroppedOutcomeRefused) {
  const std::string base = case_file("C10") + " --treatment offer --outcome spend_next_month";
  const auto reg = estimate_json(base +
                                 " --common-causes tenure_months,country,plan_code,"
                                 "plan_code_copy --method regression");
  EXPECT_NEAR(first_estimate(reg), 7.537945, kTol);
  EXPECT_NE(reg["warnings"].dump().find("country: constant (1 distinct value"), std::string::npos);
  EXPECT_NE(reg["warnings"].dump().find("plan_code_copy: identical to plan_code"),
            std::string::npos);
  EXPECT_NEAR(first_estimate(estimate_json(base + " --common-causes tenure_months,country,"
                                                  "plan_code,plan_code_copy --method regression "
                                                  "--categorical plan_code,plan_code_copy")),
              7.479276, kTol);
  expect_refusal("estimate " + base + " --common-causes tenure_months,plan_code,spend_next_month",
                 {"outcome 'spend_next_month' cannot be used as a covariate"});
  expect_refusal("estimate " + base + " --common-causes tenure_months,offer",
                 {"treatment 'offer' cannot be used as a covariate"});
  const auto ipw = estimate_json(base + " --common-causes tenure_months,country --method ipw");
  EXPECT_TRUE(std::isfinite(first_estimate(ipw)));
  EXPECT_NEAR(first_estimate(estimate_json(base + " --method naive")), 10.3, kTol);
}

TEST(Cases, C11_CaliperEdges) {
  const std::string base = case_file("C11") +
                           " --treatment offer --outcome spend_next_month --common-causes "
                           "tenure_months --method matching";
  const auto plain = estimate_json(base);
  EXPECT_NEAR(first_estimate(plain), 25.9, kTol);
  const auto& e = plain["estimates"][0];
  EXPECT_NE(e["warnings"].dump().find("no units were discarded"), std::string::npos);
  EXPECT_NEAR(e["details"]["balance"][0]["smd_before"].get<double>(), 2.900850, kTol);
  EXPECT_NEAR(e["details"]["balance"][0]["smd_after"].get<double>(), 2.900850, kTol);
  EXPECT_NEAR(plain["propensity"]["coefficients"]["(intercept)"].get<double>(), -5.892801, 1e-4);
  EXPECT_NEAR(plain["propensity"]["coefficients"]["tenure_months"].get<double>(), 0.213227, 1e-4);
  const std::string logit = base + " --distance logit --caliper-scale absolute";
  const auto repl = estimate_json(logit + " --replace --caliper 0.5");
  EXPECT_NEAR(first_estimate(repl), 0.0, 1e-9);
  EXPECT_EQ(repl["estimates"][0]["n_treated"], 2);
  EXPECT_NE(repl["estimates"][0]["warnings"].dump().find("dropped 8 treated"), std::string::npos);
  const auto pair = estimate_json(logit + " --caliper 0.5");
  EXPECT_NEAR(first_estimate(pair), 1.0, 1e-9);  // largest propensity first: L1213 gets L1220
  EXPECT_EQ(pair["estimates"][0]["n_treated"], 1);
  expect_refusal("estimate " + logit + " --caliper 0.1",
                 {"no treated unit has a match within the caliper 0.1", "0.213227"});
  expect_refusal("estimate " + base + " --caliper 0.005 --caliper-scale absolute", {"0.010036"});
}

TEST(Cases, C13_FewerControlsThanTreatedWithoutReplacement) {
  const std::string base = case_file("C13") +
                           " --treatment offer --outcome spend_next_month --common-causes "
                           "tenure_months --method matching";
  const auto att = estimate_json(base);
  const auto& e = att["estimates"][0];
  EXPECT_NEAR(e["estimate"].get<double>(), 11.0, kTol);
  EXPECT_EQ(e["n_treated"], 5);
  EXPECT_EQ(e["n_control"], 5);
  EXPECT_NE(e["warnings"].dump().find("5 controls for 8 treated"), std::string::npos);
  EXPECT_NE(e["warnings"].dump().find("U1301, U1313, U1304"), std::string::npos);
  EXPECT_NEAR(first_estimate(estimate_json(base + " --target atc")), 11.0, kTol);
  EXPECT_NEAR(first_estimate(estimate_json(base + " --replace")), 10.25, kTol);
  // On the logit scale U1309 is tied between U1305 and U1312: the tie shares the match.
  EXPECT_NEAR(first_estimate(estimate_json(base + " --replace --distance logit")), 10.625, kTol);
  const auto two = estimate_json(base + " --k 2");
  EXPECT_NE(two["estimates"][0]["notes"].dump().find("0 got 2, 5 got 1, 3 got 0"),
            std::string::npos);
}

TEST(Cases, C26_CategoricalCovariatesOneHotWithReferencePrinted) {
  const auto j = estimate_json(case_file("C26") +
                               " --treatment offer --outcome churned "
                               "--common-causes plan,region,tenure_months "
                               "--method naive,regression,ipw");
  EXPECT_NEAR(first_estimate(j), -0.208333, kTol);
  EXPECT_NE(j["encoding"].dump().find("plan: categorical, reference = basic"), std::string::npos);
  EXPECT_NE(j["encoding"].dump().find("region: categorical, reference = north"), std::string::npos);
  EXPECT_EQ(j["covariates"],
            nlohmann::json({"plan=plus", "plan=pro", "region=south", "tenure_months"}));
  // Balance per level, reference levels included, with C26's formulas (proportions for levels).
  const auto m = estimate_json(case_file("C26") +
                               " --treatment offer --outcome churned "
                               "--common-causes plan,region,tenure_months --method matching "
                               "--replace");
  const std::map<std::string, double> expected = {
      {"plan=basic", -1.091842},   {"plan=plus", 0.272166},    {"plan=pro", 0.755929},
      {"region=north", -0.426401}, {"region=south", 0.426401}, {"tenure_months", 1.179165}};
  const auto& balance = m["estimates"][0]["details"]["balance"];
  ASSERT_EQ(balance.size(), expected.size());
  for (const auto& row : balance)
    EXPECT_NEAR(row["smd_before"].get<double>(), expected.at(row["covariate"]), kTol)
        << row["covariate"];
}

}  // namespace
}  // namespace causeway::testing
