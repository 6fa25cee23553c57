// A file large enough to be read by several threads gives the same table, and the same error
// message, as one thread reading it.
#include <gtest/gtest.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "causeway/data/csv.h"
#include "data/csv_parts.h"
#include "support/delicate_numbers.h"

namespace causeway {
namespace {

// Rows enough for a body of several megabytes (more than one thread's share).
constexpr int kRows = 120000;

Result<Table> parse_with(const std::string& text, int threads, const CsvOptions& options = {}) {
  const int before = omp_get_max_threads();
  omp_set_num_threads(threads);
  Result<Table> r = parse_csv(text, "big.csv", options);
  omp_set_num_threads(before);
  return r;
}

bool same_values(const ColumnValues& a, const ColumnValues& b) {
  return a.size() == b.size() &&
         (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
}

void expect_same(const std::string& text, const CsvOptions& options = {}) {
  const auto one = parse_with(text, 1, options);
  const auto several = parse_with(text, 4, options);
  ASSERT_EQ(one.ok(), several.ok());
  if (!one.ok()) {
    EXPECT_EQ(one.status().message(), several.status().message());
    return;
  }
  const Table &a = one.value(), &b = several.value();
  ASSERT_EQ(a.rows, b.rows);
  EXPECT_EQ(a.row_ids, b.row_ids);
  EXPECT_EQ(a.id_column, b.id_column);
  ASSERT_EQ(a.columns.size(), b.columns.size());
  for (std::size_t j = 0; j < a.columns.size(); ++j) {
    const Column &x = a.columns[j], &y = b.columns[j];
    SCOPED_TRACE(x.name);
    EXPECT_EQ(x.kind, y.kind);
    EXPECT_TRUE(same_values(x.values, y.values));
    EXPECT_EQ(x.levels, y.levels);
    EXPECT_EQ(x.number_count, y.number_count);
    EXPECT_EQ(x.first_non_number, y.first_non_number);
    EXPECT_EQ(x.first_non_number_row, y.first_non_number_row);
    EXPECT_EQ(x.present_count, y.present_count);
    EXPECT_EQ(x.missing, y.missing);
    EXPECT_EQ(x.missing, static_cast<std::size_t>(std::count_if(x.values.begin(), x.values.end(),
                                                                [](double v) { return v != v; })));
  }
}

// customer_id, a number, a 0/1 flag, a yes/no flag, a text column, with missing cells, blank
// lines and lines of spaces; `row(i)` may replace any line.
template <class Row>
std::string big_file(const char* eol, Row row) {
  std::string text = std::string("customer_id,usage,called,renewed,plan") + eol;
  for (int i = 0; i < kRows; ++i) {
    std::string line = row(i);
    if (line.empty()) {
      line = "C" + std::to_string(i) + "," + (i % 97 == 0 ? "" : std::to_string(i * 0.37 - 5)) +
             "," + std::to_string(i % 3 == 0) + "," + (i % 2 ? "Yes" : "no") + "," +
             (i % 5 == 0 ? "gold" : "basic");
    }
    text += line + eol;
    if (i % 10007 == 0) text += eol;                        // blank lines are skipped
    if (i % 10009 == 0) text += std::string(" \t ") + eol;  // and lines of only spaces
  }
  return text;
}

std::string plain(int) {
  return "";
}

TEST(CsvParallel, ATypicalFileReadsAsOneThreadReadsIt) {
  expect_same(big_file("\n", plain));
  expect_same(big_file("\r\n", plain));
  expect_same(big_file("\r", plain));  // old Mac line ends: one part, or bounded parts
  const std::string text = big_file("\n", plain);
  expect_same(text.substr(0, text.size() - 1));  // no final line end
}

// A line feed, a carriage return and the two together each end one line, wherever they fall in the
// sixteen-byte steps of the count; a last line without an end counts too.
TEST(CsvParallel, RecordBoundCountsEachLineEndOnce) {
  EXPECT_EQ(record_bound(""), 0u);
  EXPECT_EQ(record_bound("a"), 1u);
  EXPECT_EQ(record_bound("a\n"), 1u);
  EXPECT_EQ(record_bound("a\r\nb\r\n"), 2u);
  EXPECT_EQ(record_bound("a\rb\r"), 2u);
  EXPECT_EQ(record_bound("a\r\r\nb"), 3u);
  std::string text;
  for (int i = 0; i < 1000; ++i)
    text += std::string(static_cast<std::size_t>(i % 23 + 1), 'x') + (i % 3 == 0   ? "\r\n"
                                                                      : i % 3 == 1 ? "\r"
                                                                                   : "\n");
  EXPECT_EQ(record_bound(text), 1000u);
  EXPECT_EQ(record_bound(text + "tail"), 1001u);
}

// Line ends of every kind in one file: each thread's share of the columns is sized by its count
// of line ends, which must bound its records however the lines end.
TEST(CsvParallel, MixedLineEndsReadAsOneThreadReadsThem) {
  const std::string lf = big_file("\n", plain);
  const char* const ends[] = {"\n", "\r\n", "\r", "\r\r\n"};  // the last: a line, a blank line
  std::string mixed;
  std::size_t line = 0;
  for (char c : lf) c == '\n' ? mixed += ends[line++ % 4] : mixed += c;
  expect_same(mixed);
  const auto table = parse_with(mixed, 4);
  ASSERT_TRUE(table.ok()) << table.status().message();
  EXPECT_EQ(table.value().rows, static_cast<std::size_t>(kRows));
}

TEST(CsvParallel, KeptColumnsAndNoIdColumn) {
  CsvOptions o;
  o.keep = {"usage", "plan"};
  o.id_column = "-";
  expect_same(big_file("\n", plain), o);
}

TEST(CsvParallel, AColumnThatTurnsToTextLateIsReadAsText) {
  const auto late_text = [](int i) {
    return i == kRows - 3 ? std::string("C,oops,1,yes,gold") : std::string();
  };
  expect_same(big_file("\n", late_text));
  const Table t = parse_with(big_file("\n", late_text), 4).value();
  EXPECT_EQ(t.find("usage")->first_non_number_row, static_cast<std::size_t>(kRows - 2));
}

TEST(CsvParallel, BooleanSpellingsFollowTheFirstRows) {
  // 0/1 early, words late: the column is read as yes/no and 0/1 as the serial pass reads it.
  const std::string plan = ",basic plan billed every month";  // rows long enough for parts
  const auto words_late = [&](int i) {
    if (i < kRows / 2) return std::string("C,1,1,") + (i % 2 ? "1" : "0") + plan;
    return std::string("C,1,1,") + (i % 2 ? "yes" : "no") + plan;
  };
  expect_same(big_file("\n", words_late));
  const auto ones_late = [&](int i) {
    if (i < kRows / 2) return std::string("C,1,1,") + (i % 2 ? "true" : "false") + plan;
    return std::string("C,1,1,") + (i % 2 ? "1" : "0") + plan;
  };
  expect_same(big_file("\n", ones_late));
  EXPECT_EQ(parse_with(big_file("\n", ones_late), 4).value().find("renewed")->levels,
            (std::vector<std::string>{"false", "true"}));
}

TEST(CsvParallel, ErrorsLateInTheFileNameTheirRowAndLine) {
  const auto ragged = [](int i) { return i == kRows - 10 ? std::string("C,1,0") : std::string(); };
  const auto r = parse_with(big_file("\n", ragged), 4);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("row " + std::to_string(kRows - 9) + " (line"),
            std::string::npos)
      << r.status().message();
  expect_same(big_file("\n", ragged));
  const auto overflow = [](int i) {
    return i == kRows - 10 ? std::string("C,1e400,0,yes,gold") : std::string();
  };
  expect_same(big_file("\n", overflow));
}

TEST(CsvParallel, QuotedFieldsWithLineBreaksAnywhere) {
  const auto quoted = [](int i) {
    return i == kRows / 2 ? std::string("C,1,0,yes,\"gold\n,plus\"") : std::string();
  };
  expect_same(big_file("\n", quoted));
  EXPECT_EQ(parse_with(big_file("\n", quoted), 4).value().find("plan")->levels.size(), 3u);
}

TEST(CsvParallel, NumbersReadExactlyAsTheGeneralParserReadsThem) {
  // Every value read in parallel parts must carry the same bits as in one thread, including where
  // rounding is delicate or the plain-decimal path gives up (tests/data/value_parse_test.cpp
  // checks those bits against strtod).
  std::string text = "id,v\n";
  for (int i = 0; i < kRows; ++i)
    text += "C" + std::to_string(i) + "," +
            testing::kDelicateNumbers[i % std::size(testing::kDelicateNumbers)] + "\n";
  expect_same(text);
  const Table t = parse_with(text, 4).value();
  EXPECT_EQ(t.find("v")->kind, ColumnKind::kNumeric);
}

}  // namespace
}  // namespace causeway
