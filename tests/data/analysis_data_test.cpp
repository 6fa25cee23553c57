#include "causeway/data/analysis_data.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "support/fixtures.h"

namespace causeway {
namespace {

using testing::table_from;

Status fails(const std::string& csv, const AnalysisSpec& spec) {
  auto r = prepare_analysis(table_from(csv), spec);
  EXPECT_FALSE(r.ok());
  return r.ok() ? Status(ErrorCode::kInternal, "no error") : r.status();
}

void expect_has(const Status& s, const std::vector<std::string>& parts) {
  for (const auto& p : parts)
    EXPECT_NE(s.message().find(p), std::string::npos) << s.message() << " lacks " << p;
}

TEST(AnalysisData, ZeroOneAndTrueFalseCodeTheSameArms) {
  const Table t = table_from("a,b,y\n1,true,3\n0,false,4\n1,TRUE,5\n0,False,6\n");
  const AnalysisData x = testing::sample_from(t, {"a", "y", {}, {}, {}, false, {}, {}});
  const AnalysisData y = testing::sample_from(t, {"b", "y", {}, {}, {}, false, {}, {}});
  EXPECT_EQ(x.t, y.t);
  EXPECT_EQ(y.treated_label, "true");
  EXPECT_EQ(y.coding(), "treated = true, control = false");
}

TEST(AnalysisData, OtherCodingNeedsValuesAndChecksThem) {
  const std::string csv = "arm,y\n1,3\n2,4\n1,5\n2,6\n";
  expect_has(fails(csv, {"arm", "y", {}, {}, {}, false, {}, {}}),
             {"'arm' is not coded 0/1", "found values 1, 2", "--treated-value"});
  expect_has(fails(csv, {"arm", "y", {}, "2", "0", false, {}, {}}),
             {"control value 0 does not occur in 'arm'"});
  const AnalysisData d =
      testing::sample_from(table_from(csv), {"arm", "y", {}, "2", "1", false, {}, {}});
  EXPECT_EQ(d.n_treated, 2u);
  EXPECT_EQ(d.t[1], 1.0);
  // --treated-value alone picks the other value as control.
  EXPECT_EQ(
      testing::sample_from(table_from(csv), {"arm", "y", {}, "2", {}, false, {}, {}}).n_control,
      2u);
}

TEST(AnalysisData, TextArmsAndThreeArmsNeedBothValues) {
  const std::string csv = "seg,y\nA,1\nB,2\nC,3\nA,4\nB,5\n";
  expect_has(fails(csv, {"seg", "y", {}, "A", {}, false, {}, {}}), {"3 values", "--control-value"});
  const AnalysisData d =
      testing::sample_from(table_from(csv), {"seg", "y", {}, "A", "C", false, {}, {}});
  EXPECT_EQ(d.rows(), 3u);
  EXPECT_EQ(d.rows_dropped, 2u);
  ASSERT_FALSE(d.warnings.empty());
  EXPECT_NE(d.warnings[0].find("2 rows belong to neither"), std::string::npos);
}

TEST(AnalysisData, SingleArmIsRefusedWithCounts) {
  expect_has(fails("t,y\n1,0\n1,1\n1,0\n", {"t", "y", {}, {}, {}, false, {}, {}}),
             {"single level (1)", "3 rows", "3 treated, 0 control"});
}

TEST(AnalysisData, SingleArmAfterDroppingMissingIsRefused) {
  expect_has(fails("t,y\n1,0\n0,\n1,1\n", {"t", "y", {}, {}, {}, true, {}, {}}),
             {"single level", "2 rows used", "--drop-missing dropped 1 row with"});
  // Without a drop, no word about it.
  const Status none = fails("t,y\n1,0\n1,1\n", {"t", "y", {}, {}, {}, true, {}, {}});
  EXPECT_EQ(none.message().find("--drop-missing dropped"), std::string::npos) << none.message();
}

TEST(AnalysisData, MissingValuesNameColumnCountAndRows) {
  const std::string csv = "id,t,y,x\nA,1,1,\nB,0,,2\nC,1,0,3\nD,0,1,4\nE,1,0,5\n";
  expect_has(fails(csv, {"t", "y", {"x"}, {}, {}, false, {}, {}}),
             {"'y' has 1 missing value (row 2 (id B))", "'x' has 1 missing value (row 1 (id A))",
              "--drop-missing"});
  const AnalysisData d =
      testing::sample_from(table_from(csv), {"t", "y", {"x"}, {}, {}, true, {}, {}});
  EXPECT_EQ(d.rows(), 3u);
  EXPECT_EQ(d.rows_dropped, 2u);
  EXPECT_EQ(d.dropped_rows, (std::vector<std::string>{"row 1 (id A)", "row 2 (id B)"}));
}

// The CSV reader counts each column's missing cells as it reads them, so that the check needs no
// pass of its own; a table built otherwise (no count) is checked by reading its columns.
TEST(AnalysisData, MissingCellsAreFoundWhetherOrNotTheReaderCountedThem) {
  const std::string csv = "id,t,y,x\nA,1,1,\nB,0,,2\nC,1,0,3\nD,0,1,4\nE,1,0,5\n";
  const Table counted = table_from(csv);
  Table uncounted = counted;
  for (Column& c : uncounted.columns) {
    ASSERT_TRUE(c.missing.has_value()) << c.name;
    EXPECT_EQ(*c.missing, static_cast<std::size_t>(std::count_if(c.values.begin(), c.values.end(),
                                                                 [](double v) { return v != v; })))
        << c.name;
    c.missing.reset();
  }
  for (const Table* t : {&counted, static_cast<const Table*>(&uncounted)}) {
    const auto r = prepare_analysis(*t, {"t", "y", {"x"}, {}, {}, false, {}, {}});
    ASSERT_FALSE(r.ok());
    expect_has(r.status(), {"'y' has 1 missing value (row 2 (id B))",
                            "'x' has 1 missing value (row 1 (id A))"});
  }
}

// A covariate that is the outcome under another name, or rescaled, makes every adjusted estimate
// 0 +- 0 (it printed 0.00000 [0.00000, 0.00000] with no word of why): it is named.
TEST(AnalysisData, ACovariateReproducingTheOutcomeIsNamed) {
  const std::string csv =
      "t,y,x,yy,cents\n1,2.5,3,2.5,250\n0,1,2,1,100\n1,5,1,5,500\n0,0,4,0,0\n1,3,2,3,300\n";
  for (const std::string copy : {"yy", "cents"}) {
    const AnalysisData d =
        testing::sample_from(table_from(csv), {"t", "y", {"x", copy}, {}, {}, false, {}, {}});
    std::string all;
    for (const auto& w : d.warnings) all += w + "\n";
    EXPECT_NE(all.find("covariate '" + copy + "' reproduces the outcome 'y'"), std::string::npos)
        << all;
    EXPECT_EQ(all.find("covariate 'x' reproduces"), std::string::npos) << all;
  }
  // A column on a large offset varies by less than 1e-9 of its size: it is near every line
  // through its own points, but not on this one (it was named a copy).
  const std::string offset =
      "t,y,x\n1,2.5,1.000000000003\n0,1,1.000000000001\n1,5,1.000000000004\n0,0,1.000000000002\n"
      "1,3,1.000000000005\n0,1.5,1.000000000001\n";
  const AnalysisData d =
      testing::sample_from(table_from(offset), {"t", "y", {"x"}, {}, {}, false, {}, {}});
  for (const auto& w : d.warnings) EXPECT_EQ(w.find("reproduces the outcome"), std::string::npos);
}

// The coding of a yes/no outcome is said with its spellings; of 1.0/0.0, not ("1 = 1.0").
TEST(AnalysisData, OnlyAWordOutcomeHasItsCodingSaid) {
  const auto coding = [](const std::string& yes, const std::string& no) {
    const std::string csv = "t,y\n1," + yes + "\n0," + no + "\n1," + no + "\n0," + yes + "\n";
    return testing::sample_from(table_from(csv), {"t", "y", {}, {}, {}, false, {}, {}})
        .outcome_coding;
  };
  EXPECT_EQ(coding("Yes", "No"), "1 = Yes, 0 = No");
  EXPECT_EQ(coding("true", "false"), "1 = true, 0 = false");
  EXPECT_EQ(coding("1.0", "0.0"), "");
  EXPECT_EQ(coding("1", "0"), "");
}

// A yes/no column written partly as 0/1 ("yes" and "1" for the same value) reads as one column,
// with a warning that counts each kind; a column written one way only has none.
TEST(AnalysisData, AFlagWrittenBothInWordsAndAsNumbersIsSaid) {
  const auto warnings = [](const std::string& csv) {
    const AnalysisData d =
        testing::sample_from(table_from(csv), {"t", "y", {"x"}, {}, {}, false, {}, {}});
    return fmt::format("{}", fmt::join(d.warnings, " | "));
  };
  const std::string mixed = warnings("t,y,x\nyes,1,no\nno,2,no\n1,3,yes\nno,4,1\nyes,5,0\n");
  EXPECT_NE(mixed.find("'t' is written in words in 4 rows and as 0/1 in 1 row"), std::string::npos)
      << mixed;
  EXPECT_NE(mixed.find("'x' is written in words in 3 rows and as 0/1 in 2 rows"), std::string::npos)
      << mixed;
  const std::string plain = warnings("t,y,x\nyes,1,0\nno,2,0\nyes,3,1\nno,4,1\nno,5,0\n");
  EXPECT_EQ(plain.find("written in words"), std::string::npos) << plain;
  // The arms are named in one kind of spelling: the words when both values have one (a "1"
  // first gave "treated = 1, control = no"), else the numbers.
  const auto coding = [](const std::string& csv) {
    return testing::sample_from(table_from(csv), {"t", "y", {}, {}, {}, false, {}, {}}).coding();
  };
  EXPECT_EQ(coding("t,y\n1,1\nno,2\nyes,3\nno,4\n"), "treated = yes, control = no");
  EXPECT_EQ(coding("t,y\n1,1\n0,2\nyes,3\n0,4\n"), "treated = 1, control = 0");
}

TEST(AnalysisData, RolesAreChecked) {
  const std::string csv = "t,y,x\n1,1,1\n0,2,2\n1,3,4\n";
  expect_has(fails(csv, {"t", "y", {"x", "y"}, {}, {}, false, {}, {}}),
             {"outcome 'y' cannot be used as a covariate"});
  expect_has(fails(csv, {"t", "y", {"t"}, {}, {}, false, {}, {}}),
             {"treatment 't' cannot be used as a covariate"});
  expect_has(fails(csv, {"t", "y", {"xx"}, {}, {}, false, {}, {}}),
             {"no column named 'xx'", "'x'"});
  expect_has(fails(csv, {"t", "t", {}, {}, {}, false, {}, {}}), {"both treatment and outcome"});
  expect_has(fails("t,y\n1,a\n0,b\n", {"t", "y", {}, {}, {}, false, {}, {}}),
             {"outcome 'y' holds text"});
}

TEST(AnalysisData, CategoricalOneHotAgainstFirstSortedLevel) {
  const AnalysisData d = testing::sample_from(
      table_from("t,y,plan\n1,1,pro\n0,2,basic\n1,3,plus\n0,4,basic\n0,1,pro\n1,2,basic\n"),
      {"t", "y", {"plan"}, {}, {}, false, {}, {}});
  EXPECT_EQ(d.x_names, (std::vector<std::string>{"plan=plus", "plan=pro"}));
  ASSERT_EQ(d.encoding.size(), 1u);
  EXPECT_NE(d.encoding[0].find("reference = basic"), std::string::npos);
  EXPECT_EQ(d.x(0, 1), 1.0);
  EXPECT_EQ(d.x(1, 0), 0.0);
}

TEST(AnalysisData, ConstantAndDuplicateCovariatesAreDroppedWithWarnings) {
  const AnalysisData d =
      testing::sample_from(testing::table_at(testing::shared_path("cases/C10/input.csv")),
                           {"offer",
                            "spend_next_month",
                            {"tenure_months", "country", "plan_code", "plan_code_copy"},
                            {},
                            {},
                            false,
                            {},
                            {}});
  EXPECT_EQ(d.x_names, (std::vector<std::string>{"tenure_months", "plan_code"}));
  ASSERT_EQ(d.warnings.size(), 2u);
  EXPECT_NE(d.warnings[0].find("country: constant"), std::string::npos);
  EXPECT_NE(d.warnings[1].find("plan_code_copy: identical to plan_code"), std::string::npos);
}

TEST(AnalysisData, LinearCombinationIsNamed) {
  expect_has(fails("t,y,a,b,c\n1,1,1,2,3\n0,2,2,1,3\n1,3,3,5,8\n0,4,4,4,8\n1,5,0,1,1\n",
                   {"t", "y", {"a", "b", "c"}, {}, {}, false, {}, {}}),
             {"'c' is a linear combination", "a, b"});
}

TEST(AnalysisData, CovariateReproducingTheTreatmentIsNamed) {
  expect_has(fails("t,y,x,z\n1,2,1,5\n0,1,0,3\n1,3,1,2\n0,2,0,8\n1,4,1,1\n0,0,0,4\n",
                   {"t", "y", {"z", "x"}, {}, {}, false, {}, {}}),
             {"'x' is a linear combination", "the treatment 't'"});
}

TEST(AnalysisData, HugeValuesAskForRescaling) {
  expect_has(
      fails("t,y,x\n1,2,1e160\n0,1,0\n1,3,1\n0,2,3\n", {"t", "y", {"x"}, {}, {}, false, {}, {}}),
      {"'x' holds 1e+160 in row 1", "rescale"});
}

TEST(AnalysisData, TinyScalesAskForRescaling) {
  expect_has(fails("t,y,x\n1,2,1e-158\n0,1,3e-158\n1,3,2e-158\n0,2,5e-158\n",
                   {"t", "y", {"x"}, {}, {}, false, {}, {}}),
             {"'x' holds no value larger than 5e-158", "multiply"});
  expect_has(
      fails("t,y\n1,1e-200\n0,2e-200\n1,3e-200\n0,1e-200\n", {"t", "y", {}, {}, {}, false, {}, {}}),
      {"outcome 'y' holds no value larger than"});
}

TEST(AnalysisData, NumbersWithOneTypoAreNotCategories) {
  expect_has(fails("t,y,age\n1,2,30\n0,1,12x\n1,3,25\n0,2,40\n",
                   {"t", "y", {"age"}, {}, {}, false, {}, {}}),
             {"'age' holds numbers except for '12x' in row 2", "--categorical age"});
}

TEST(AnalysisData, NoRowsLeftIsNamed) {
  expect_has(fails("t,y\n", {"t", "y", {}, {}, {}, false, {}, {}}), {"no rows to analyse"});
}

TEST(AnalysisData, IdentifierCannotBeACovariate) {
  std::string csv = "customer_id,code,t,y\n";
  for (int i = 0; i < 12; ++i)
    csv += "C" + std::to_string(i) + ",K" + std::to_string(i) + "," + std::to_string(i % 2) + "," +
           std::to_string(i % 3) + "\n";
  expect_has(fails(csv, {"t", "y", {"customer_id"}, {}, {}, false, {}, {}}),
             {"'customer_id' is the column that names the rows"});
  expect_has(fails(csv, {"t", "y", {"code"}, {}, {}, false, {}, {}}), {"looks like an identifier"});
}

// A 0/1 column with a stray code in a few rows is more likely a typo than a count: warned, with
// the value and its row; a column where other values are common, or a true flag, is not.
TEST(AnalysisData, StrayCodesInAFlagColumnAreWarnedOf) {
  std::string csv = "id,t,y,flag,visits,x\n";
  for (int i = 0; i < 3000; ++i)
    csv += "C" + std::to_string(i) + "," + std::to_string(i % 2) + "," +
           std::to_string(i == 2500 ? 2 : (i / 3) % 2) + "," +
           std::to_string(i == 1234 ? 2 : (i / 5) % 2) + "," + std::to_string(i % 4) + "," +
           std::to_string(i % 7) + ".5\n";
  const AnalysisData d = testing::sample_from(
      table_from(csv), {"t", "y", {"flag", "visits", "x"}, {}, {}, false, {}, {}});
  std::vector<std::string> stray;
  for (const auto& w : d.warnings)
    if (w.find("is 0 or 1 in every row but") != std::string::npos) stray.push_back(w);
  ASSERT_EQ(stray.size(), 2u) << ::testing::PrintToString(d.warnings);
  EXPECT_NE(stray[0].find("outcome 'y' is 0 or 1 in every row but 1 (2 in row 2501 (id C2500))"),
            std::string::npos)
      << stray[0];
  EXPECT_NE(stray[0].find("not binary"), std::string::npos) << stray[0];
  EXPECT_NE(stray[1].find("covariate 'flag' is 0 or 1 in every row but 1 (2 in row 1235 (id "
                          "C1234)): a typo?"),
            std::string::npos)
      << stray[1];
}

// The same for a yes/no column with a stray word or number: it is read as a categorical whose
// reference may be the stray level; warned, with the value and its row. A true three-level
// column (or one whose other values are common) is not.
TEST(AnalysisData, StrayLevelsInAYesNoColumnAreWarnedOf) {
  std::string csv = "t,y,yn,plan\n";
  for (int i = 0; i < 2000; ++i)
    csv += std::to_string(i % 2) + "," + std::to_string(i % 7) + "," +
           (i == 20 ? "2" : ((i / 3) % 2 ? "yes" : "no")) + "," +
           (i % 3 == 0 ? "basic" : (i % 3 == 1 ? "yes" : "no")) + "\n";
  const AnalysisData d =
      testing::sample_from(table_from(csv), {"t", "y", {"yn", "plan"}, {}, {}, false, {}, {}});
  std::vector<std::string> stray;
  for (const auto& w : d.warnings)
    if (w.find("is a yes/no (true/false) column in every row but") != std::string::npos)
      stray.push_back(w);
  ASSERT_EQ(stray.size(), 1u) << ::testing::PrintToString(d.warnings);
  EXPECT_NE(stray[0].find("covariate 'yn' is a yes/no (true/false) column in every row but 1 row "
                          "('2' in row 21): a typo?"),
            std::string::npos)
      << stray[0];
  EXPECT_NE(stray[0].find("with '2' as its reference level"), std::string::npos) << stray[0];
}

TEST(AnalysisData, AStrayTreatmentValueIsCountedAndItsRowNamed) {
  std::string csv = "id,t,y\n";
  for (int i = 0; i < 3000; ++i)
    csv += "C" + std::to_string(i) + "," + (i == 1234 ? "2" : std::to_string(i % 2)) + ",1.5\n";
  expect_has(fails(csv, {"t", "y", {}, {}, {}, false, {}, {}}),
             {"'t' has 3 values (0: 1499 rows, 1: 1500 rows, 2: 1 row; the rarest, 2, in 1 row, "
              "first in row 1235 (id C1234))",
              "--treated-value", "or fix the rows of 2 if it is a typo"});
  // Many values: the first 8 counted, how many more, and the rarest even when it is not among
  // them; no typo advice where no value is rare.
  std::string many = "t,y\n";
  for (int i = 0; i < 1100; ++i)
    many += std::to_string(i % 11 == 0 && i > 0 ? 99 : i % 10) + ",1\n";
  const Status m = fails(many, {"t", "y", {}, {}, {}, false, {}, {}});
  expect_has(
      m, {"has 11 values (0: ", "7: ", " and 3 more; the rarest, 99, in 99 rows, first in row 12"});
  EXPECT_EQ(m.message().find("typo"), std::string::npos) << m.message();
  std::string wide = "t,y\n";
  for (int i = 0; i < 600; ++i) wide += std::to_string(i % 60) + ",1\n";
  expect_has(fails(wide, {"t", "y", {}, {}, {}, false, {}, {}}),
             {"more than 50 values (0, 1, 2, 3, 4, 5, 6, 7, ...); pass both --treated-value"});
}

TEST(AnalysisData, AStrayCodeInAYesNoOutcomeIsNamed) {
  std::string csv = "id,t,won\n";
  for (int i = 0; i < 3000; ++i)
    csv += "C" + std::to_string(i) + "," + std::to_string(i % 2) + "," +
           (i == 777 || i == 2000 ? "2" : (i == 1500 ? "maybe" : (i % 3 ? "yes" : "no"))) + "\n";
  const Status s = fails(csv, {"t", "won", {}, {}, {}, false, {}, {}});
  expect_has(s, {"outcome 'won' is yes/no (true/false) in every row but 3 rows ('2' first in row "
                 "778 (id C777), 'maybe' first in row 1501 (id C1500))",
                 "fix those rows"});
  EXPECT_EQ(s.message().find("holds text"), std::string::npos) << s.message();
  // Text that is not yes/no keeps the general message.
  expect_has(fails("t,y\n1,a\n0,b\n1,a\n", {"t", "y", {}, {}, {}, false, {}, {}}),
             {"outcome 'y' holds text"});
}

}  // namespace
}  // namespace causeway
