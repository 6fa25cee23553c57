#include "causeway/data/describe.h"

#include <gtest/gtest.h>

#include <map>

#include "cli/cli_support.h"
#include "support/fixtures.h"

namespace causeway {
namespace {

// C07 item 1: per-column missing counts with the row ids, exit 0.
TEST(Describe, C07_MissingCountsPerColumnWithRowIds) {
  const TableSummary s = describe(testing::table_at(testing::shared_path("cases/C07/input.csv")));
  ASSERT_EQ(s.columns.size(), 5u);
  const std::map<std::string, std::string> expected = {{"tenure_months", "row 5 (id M1005)"},
                                                       {"monthly_spend", "row 9 (id M1009)"},
                                                       {"offer", "row 17 (id M1017)"},
                                                       {"churned", "row 13 (id M1013)"}};
  for (const auto& c : s.columns) {
    if (c.name == "customer_id") continue;
    EXPECT_EQ(c.missing, 1u) << c.name;
    ASSERT_EQ(c.missing_rows.size(), 1u);
    EXPECT_EQ(c.missing_rows[0], expected.at(c.name));
  }
}

// C10 item 1: constant and duplicated columns are named.
TEST(Describe, C10_ConstantAndIdenticalColumnsWarned) {
  const TableSummary s = describe(testing::table_at(testing::shared_path("cases/C10/input.csv")));
  ASSERT_EQ(s.warnings.size(), 2u);
  EXPECT_EQ(s.warnings[0], "country: constant (1 distinct value, DE)");
  EXPECT_EQ(s.warnings[1], "plan_code_copy: identical to plan_code");
}

// A yes/no column with a few 0/1 cells is said to be one, as estimate says it.
TEST(Describe, AFlagWrittenBothInWordsAndAsNumbersIsSaid) {
  const TableSummary s =
      describe(testing::table_from("vip,spend\nyes,1\nno,2\n1,3\nno,4\nyes,5\n"));
  ASSERT_EQ(s.warnings.size(), 1u);
  EXPECT_EQ(s.warnings[0].rfind("'vip' is written in words in 4 rows and as 0/1 in 1 row", 0), 0u)
      << s.warnings[0];
}

TEST(Describe, CommandPrintsJson) {
  const auto r = testing::run_cli("describe " + testing::case_file("C07") + " --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["rows"], 20);
  EXPECT_EQ(j["columns"][1]["missing"], 1);
}

// The text's first line counts in words: "1 row, 1 column" (was "1 rows, 1 columns"); each column
// keeps to its line.
TEST(Describe, TextCountsRowsAndColumnsInWords) {
  const std::string one = testing::write_temp_file("one_row.csv", "a\n1\n");
  const auto r = testing::run_cli("describe " + one);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.substr(0, r.out.find('\n')), one + ": 1 row, 1 column");
  // A level holding a line break is shown on the table's line, not breaking it.
  const auto broken =
      testing::run_cli("describe " + testing::write_temp_file("nl.csv", "a,b\n\"x\ny\",1\nz,2\n"));
  ASSERT_EQ(broken.exit_code, 0) << broken.err;
  EXPECT_NE(broken.out.find("categorical          0         2  x\\ny, z\n"), std::string::npos)
      << broken.out;
}

}  // namespace
}  // namespace causeway
