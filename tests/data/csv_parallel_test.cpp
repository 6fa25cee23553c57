// A large file without quotes is read by several threads at once: the table, and any message,
// must be the one a single thread gives.
#include <gtest/gtest.h>
#include <omp.h>

#include <cmath>
#include <cstring>
#include <string>

#include "causeway/data/csv.h"

namespace causeway {
namespace {

// Reads `text` with `threads` threads.
Result<Table> parse_with(const std::string& text, int threads) {
  const int before = omp_get_max_threads();
  omp_set_num_threads(threads);
  Result<Table> r = parse_csv(text, "big.csv", CsvOptions{});
  omp_set_num_threads(before);
  return r;
}

bool same_values(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() &&
         (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
}

void expect_same_table(const Table& one, const Table& many) {
  ASSERT_EQ(one.rows, many.rows);
  EXPECT_EQ(one.id_column, many.id_column);
  EXPECT_EQ(one.row_ids, many.row_ids);
  ASSERT_EQ(one.columns.size(), many.columns.size());
  for (std::size_t j = 0; j < one.columns.size(); ++j) {
    const Column &a = one.columns[j], &b = many.columns[j];
    SCOPED_TRACE(a.name);
    EXPECT_EQ(a.kind, b.kind);
    EXPECT_EQ(a.levels, b.levels);
    EXPECT_TRUE(same_values(a.values, b.values));  // NaN cells included, bit for bit
    EXPECT_EQ(a.number_count, b.number_count);
    EXPECT_EQ(a.first_non_number, b.first_non_number);
    EXPECT_EQ(a.first_non_number_row, b.first_non_number_row);
    EXPECT_EQ(a.present_count, b.present_count);
  }
}

// About 12 MB: numbers, 0/1, a boolean spelled "1" early and "yes"/"no" later, a column that
// turns to text in its last quarter, missing cells, blank lines and CRLF line ends.
std::string big_file(const std::string& last_line) {
  std::string text = "customer_id,x,flag,answer,mixed,level\r\n";
  const int rows = 400000;
  for (int i = 0; i < rows; ++i) {
    text += "C" + std::to_string(i) + "," + std::to_string(i * 0.37 - 5000) + ",";
    text += (i % 3 == 0 ? "1" : "0");
    text += std::string(",") + (i < 10 ? "1" : i % 2 ? "yes" : "no") + ",";
    text += i > rows * 3 / 4 && i % 1000 == 7 ? "n/a" : i % 97 == 0 ? "" : std::to_string(i % 13);
    text += std::string(",") + "abcde"[i % 5] + "\r\n";
    if (i % 50000 == 0) text += "\r\n";  // a blank line
  }
  return text + last_line;
}

TEST(CsvParallel, ManyThreadsReadTheSameTableAsOne) {
  const std::string text = big_file("");
  ASSERT_GT(text.size(), std::size_t{8} << 20);  // large enough to be read in pieces
  const Result<Table> one = parse_with(text, 1), two = parse_with(text, 2),
                      three = parse_with(text, 3);
  ASSERT_TRUE(one.ok() && two.ok() && three.ok());
  expect_same_table(one.value(), two.value());
  expect_same_table(one.value(), three.value());
  const Column* mixed = one.value().find("mixed");
  ASSERT_NE(mixed, nullptr);
  EXPECT_EQ(mixed->kind, ColumnKind::kCategorical);  // turned to text late in the file
  EXPECT_EQ(mixed->first_non_number, "n/a");
  EXPECT_EQ(one.value().find("answer")->kind, ColumnKind::kBoolean);
}

TEST(CsvParallel, AFaultLateInTheFileIsReportedWithItsRowAndLine) {
  const std::string text = big_file("C-last,1,0,yes,3\r\n");  // one field short
  const Result<Table> one = parse_with(text, 1), two = parse_with(text, 2);
  ASSERT_FALSE(one.ok());
  ASSERT_FALSE(two.ok());
  EXPECT_EQ(one.status().message(), two.status().message());
  EXPECT_NE(one.status().message().find("row 400001 (line 400010)"), std::string::npos)
      << one.status().message();
}

TEST(CsvParallel, AFileWithQuotesIsReadInOnePieceAndStillRight) {
  std::string text = big_file("\"C-q\",1,0,yes,3,\"a,b\"\r\n");
  const Result<Table> one = parse_with(text, 1), two = parse_with(text, 2);
  ASSERT_TRUE(one.ok() && two.ok());
  expect_same_table(one.value(), two.value());
  EXPECT_EQ(one.value().find("level")->levels.back(), "e");
  EXPECT_EQ(one.value().find("level")->levels.front(), "a");
}

}  // namespace
}  // namespace causeway
