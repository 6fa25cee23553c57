#include "causeway/data/csv.h"

#include <gtest/gtest.h>

#include <cmath>

#include "support/fixtures.h"

namespace causeway {
namespace {

using testing::table_from;

TEST(Csv, DetectsCommaSemicolonTabAndPipe) {
  for (const char* text : {"a,b\n1,2\n", "a;b\n1;2\n", "a\tb\n1\t2\n", "a|b\n1|2\n"}) {
    const Table t = table_from(text);
    ASSERT_EQ(t.columns.size(), 2u) << text;
    EXPECT_EQ(t.columns[1].values[0], 2.0);
  }
}

TEST(Csv, ExplicitDelimiterOverridesDetection) {
  CsvOptions o;
  o.delimiter = ';';
  const Table t = table_from("a,x;b\n1,5;2\n", o);
  ASSERT_EQ(t.columns.size(), 2u);
  EXPECT_EQ(t.columns[0].name, "a,x");
}

TEST(Csv, AWrongDelimiterIsHintedAtWhenTheHeaderIsOneColumn) {
  CsvOptions o;
  o.delimiter = '\t';
  o.keep = {"treat"};
  const auto r = parse_csv("id,treat,age\n1,0,30\n", "x.csv", o);
  ASSERT_FALSE(r.ok());
  const std::string& m = r.status().message();
  EXPECT_NE(m.find("no column named 'treat'"), std::string::npos) << m;
  EXPECT_NE(m.find("single column: check the delimiter"), std::string::npos) << m;
  o.delimiter = ',';
  o.keep = {"treatment"};
  const auto two = parse_csv("id,treat,age\n1,0,30\n", "x.csv", o);
  ASSERT_FALSE(two.ok());
  EXPECT_EQ(two.status().message().find("check the delimiter"), std::string::npos);
}

TEST(Csv, ARaggedRowNamesTheDelimiterItWasSplitOn) {
  const auto detected = parse_csv("x|1|2|3,treat,y\n1,1,3\n", "p.csv", CsvOptions{});
  ASSERT_FALSE(detected.ok());
  EXPECT_NE(detected.status().message().find(
                "row 1 (line 2) has 1 field but the header has 4, split on '|' (the header's "
                "most frequent delimiter)"),
            std::string::npos)
      << detected.status().message();
  EXPECT_NE(detected.status().message().find("pass --delimiter"), std::string::npos);
  CsvOptions tab;
  tab.delimiter = '\t';
  const auto given = parse_csv("a\tb\n1\t2\t3\n", "t.csv", tab);
  ASSERT_FALSE(given.ok());
  EXPECT_NE(given.status().message().find("has 3 fields but the header has 2, split on tab;"),
            std::string::npos)
      << given.status().message();
}

TEST(Csv, QuotedFieldsKeepDelimitersQuotesAndNewlines) {
  const Table t = table_from("name,v\n\"Smith, J\",1\n\"say \"\"hi\"\"\",2\n\"two\nlines\",3\n");
  ASSERT_EQ(t.rows, 3u);
  const Column& c = *t.find("name");
  EXPECT_EQ(c.kind, ColumnKind::kCategorical);
  EXPECT_EQ(c.label(0), "Smith, J");
  EXPECT_EQ(c.label(1), "say \"hi\"");
  EXPECT_EQ(c.label(2), "two\nlines");
  EXPECT_EQ(t.find("v")->values[2], 3.0);
}

TEST(Csv, AcceptsCrlfAndByteOrderMark) {
  const Table t = table_from(
      "\xEF\xBB\xBF"
      "a,b\r\n1,2\r\n3,4\r\n");
  ASSERT_NE(t.find("a"), nullptr);
  EXPECT_EQ(t.rows, 2u);
  EXPECT_EQ(t.find("b")->values[1], 4.0);
}

TEST(Csv, InfersNumericBooleanAndCategorical) {
  const Table t = table_from(
      "x,flag,word,yn,tf,code\n1.5,0,b,yes,TRUE,1\n-2e3,1,a,No,false,0\n+3,1,c,YES,True,2\n");
  EXPECT_EQ(t.find("x")->kind, ColumnKind::kNumeric);
  EXPECT_DOUBLE_EQ(t.find("x")->values[1], -2000.0);
  EXPECT_DOUBLE_EQ(t.find("x")->values[2], 3.0);
  EXPECT_EQ(t.find("flag")->kind, ColumnKind::kBoolean);
  EXPECT_EQ(t.find("yn")->kind, ColumnKind::kBoolean);
  EXPECT_EQ(t.find("yn")->values[1], 0.0);
  EXPECT_EQ(t.find("tf")->kind, ColumnKind::kBoolean);
  EXPECT_EQ(t.find("tf")->values[0], 1.0);
  EXPECT_EQ(t.find("code")->kind, ColumnKind::kNumeric);
  const Column& w = *t.find("word");
  EXPECT_EQ(w.kind, ColumnKind::kCategorical);
  EXPECT_EQ(w.levels, (std::vector<std::string>{"a", "b", "c"}));  // sorted: a is the reference
  EXPECT_EQ(w.values[0], 1.0);
}

TEST(Csv, ForcedCategoricalReadsNumbersAsLevels) {
  CsvOptions o;
  o.categorical = {"code"};
  const Table t = table_from("code\n2\n10\n2\n-1.5\n1e1\n002\n-0\n0\n", o);
  const Column& c = *t.find("code");
  EXPECT_EQ(c.kind, ColumnKind::kCategorical);
  // As in a factor of numbers: in numeric order (the smallest is the reference, whatever the
  // others' spelling), one level per number, named by the number.
  EXPECT_EQ(c.levels, (std::vector<std::string>{"-1.5", "0", "2", "10"}));
  EXPECT_EQ(std::vector<double>(c.values.begin(), c.values.end()),
            (std::vector<double>{2, 3, 2, 0, 3, 2, 1, 1}));
}

TEST(Csv, LevelsWithAWordAmongNumbersAreInTextOrder) {
  CsvOptions o;
  o.categorical = {"code"};
  EXPECT_EQ(table_from("code\n2\n10\nnone\n", o).find("code")->levels,
            (std::vector<std::string>{"10", "2", "none"}));
  // and so do levels with a number beyond a double's range, which would all be "inf"
  EXPECT_EQ(table_from("code\n1e400\n1e500\n7\n1e-400\n", o).find("code")->levels,
            (std::vector<std::string>{"1e-400", "1e400", "1e500", "7"}));
}

// A line of only spaces or tabs holds no record, as an empty line does (it was a row of one field
// with advice to quote delimiters); in a tab-delimited file a line of tabs is a row of missing
// values.
TEST(Csv, LinesOfOnlySpacesAreSkippedAsBlankLinesAre) {
  const Table t = table_from("a,b\n1,2\n\n   \n\t \r\n3,4\n  ");
  ASSERT_EQ(t.rows, 2u);
  EXPECT_EQ(t.find("a")->values[1], 3.0);
  CsvOptions tabs;
  tabs.delimiter = '\t';
  const Table u = table_from("a\tb\n1\t2\n\t\n \n3\t4\n", tabs);
  ASSERT_EQ(u.rows, 3u);
  EXPECT_EQ(u.find("a")->missing_count(), 1u);
  // Before the header too, where they do not choose the delimiter (a tab there chose tab).
  for (const char* text :
       {"\t\na,b\n1,2\n", "\xEF\xBB\xBF \t \r\n\na,b\n1,2\n", "\t\na\tb\n1\t2\n"}) {
    const Table h = table_from(text);
    ASSERT_EQ(h.columns.size(), 2u) << text;
    EXPECT_EQ(h.rows, 1u);
  }
}

TEST(Csv, MissingTokensBecomeMissingNotZero) {
  const Table t = table_from("a,b\n,1\nNA,2\nNaN,3\nnull,4\n5,5\n");
  const Column& a = *t.find("a");
  EXPECT_EQ(a.kind, ColumnKind::kNumeric);
  EXPECT_EQ(a.missing_count(), 4u);
  EXPECT_EQ(a.values[4], 5.0);
}

TEST(Csv, KeepsOnlyRequestedColumnsAndFindsIdColumn) {
  CsvOptions o;
  o.keep = {"b"};
  const Table t = table_from("customer_id,a,b\nC1,1,2\nC2,3,4\n", o);
  ASSERT_EQ(t.columns.size(), 1u);
  EXPECT_EQ(t.id_column, "customer_id");
  EXPECT_EQ(t.row_name(1), "row 2 (id C2)");
  // A row whose id cell is empty is named by its number alone (was "row 2 (id )").
  EXPECT_EQ(table_from("customer_id,b\nC1,1\n,3\n", o).row_name(1), "row 2");
}

void expect_error(const std::string& text, const std::vector<std::string>& parts,
                  const CsvOptions& o = {}) {
  auto r = parse_csv(text, "bad.csv", o);
  ASSERT_FALSE(r.ok()) << text;
  EXPECT_NE(exit_code_for(r.status().code()), 1);
  for (const auto& p : parts)
    EXPECT_NE(r.status().message().find(p), std::string::npos)
        << r.status().message() << " lacks " << p;
}

TEST(Csv, RaggedRowNamesRowLineAndCounts) {
  expect_error("a,b\n1,2\n3\n", {"bad.csv", "row 2", "line 3", "1 field ", "header has 2"});
}

TEST(Csv, UnterminatedQuoteNamesLine) {
  expect_error("a,b\n1,2\n\"open,3\n", {"bad.csv", "line 3", "never closed"});
}

TEST(Csv, TextAfterClosingQuoteIsAnError) {
  expect_error("a,b\n\"x\"y,2\n", {"line 2"});
}

TEST(Csv, DuplicateAndEmptyHeaderNamesAreErrors) {
  expect_error("a,a\n1,2\n", {"'a' appears twice"});
  expect_error("a,,c\n1,2,3\n", {"header field 2 is empty"});
}

TEST(Csv, EmptyFileIsAnError) {
  expect_error("", {"empty"});
}

TEST(Csv, NonFiniteNumberNamesColumnAndRow) {
  expect_error("a,b\n1,2\ninf,3\n", {"column 'a'", "row 2", "'inf'"});
}

TEST(Csv, LineNumbersCountOldMacAndWindowsLineEnds) {
  // A lone carriage return ends a line as a line feed does; CR LF is one line end.
  expect_error("a,b\r1,2\r3,4\rinf,5\r", {"row 3 (line 4)", "'inf'"});
  expect_error("a,b\r\n1,2\r\n\r\n3\r\n", {"row 2 (line 4)"});
  expect_error("a,b\r1,\"x\ry\"\rinf,5\r", {"row 2 (line 4)"});  // row 1 spans lines 2-3
}

TEST(Csv, AValueWithALineBreakIsShownOnOneLine) {
  const Table t = table_from("a,b\n1,2\n\"x\ny\",3\n");
  EXPECT_EQ(t.find("a")->first_non_number, "x\\ny");  // as messages and reports show it
}

TEST(Csv, ABinaryFileIsNamedAsSuchNotBlamedOnTheDelimiter) {
  // A PNG's signature: its first line reads "\x89PNG"; NUL bytes follow.
  expect_error(std::string("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR", 16), {"NUL bytes"});
  expect_error("id,\x01x,y\n1,2,3\n", {"control characters"});
  // Bytes above 0x7f are still text (a Latin-1 header).
  const Table t = table_from("id,K\xfcndigung,y\n1,1,2\n2,0,3\n");
  EXPECT_EQ(t.columns.size(), 3u);
}

TEST(Csv, ALongValueIsCutInMessages) {
  const std::string value(5000, '9');
  expect_error("a,b\n1,2\n" + value + "e999,3\n", {"(5004 bytes in all)", "fix or remove"});
  const Table t = table_from("a,b\n1,2\nx" + value + ",3\n");
  EXPECT_LT(t.find("a")->first_non_number.size(), 100u);
}

TEST(Csv, UnderflowingNumberIsRefusedNotReadAsZero) {
  expect_error("a,b\n1,2\n1e-400,3\n", {"column 'a'", "row 2", "'1e-400'"});
}

TEST(Csv, UnknownKeptColumnSuggestsClosest) {
  CsvOptions o;
  o.keep = {"tenure_month"};
  expect_error("tenure_months,b\n1,2\n", {"no column named 'tenure_month'", "tenure_months"}, o);
}

TEST(Csv, MissingFileIsAnIoError) {
  auto r = read_csv("/nonexistent/file.csv", {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kIo);
  EXPECT_NE(r.status().message().find("/nonexistent/file.csv"), std::string::npos);
}

TEST(Csv, ReadsHillstromWithQuotedCommasAndThreeArms) {
  const Table t = testing::table_at(testing::shared_path("data/hillstrom/hillstrom.csv"));
  EXPECT_EQ(t.rows, 64000u);
  const Column& seg = *t.find("history_segment");
  EXPECT_EQ(seg.kind, ColumnKind::kCategorical);
  EXPECT_EQ(seg.levels.size(), 7u);
  EXPECT_EQ(t.find("segment")->levels.size(), 3u);
}

}  // namespace
}  // namespace causeway
