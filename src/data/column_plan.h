// How a column's cells become a typed Column: the rules every table source shares (CSV files
// and tables handed over in memory, such as the Python module's DataFrames).
//
// A column is read in up to two passes. observe() classifies every cell and, while the column is
// all numbers, stores its value; decide_kind() then picks numeric, boolean-like (0/1,
// true/false, yes/no) or categorical; a column that is not all numbers is stored by a second
// pass of store(); finish() sorts categorical levels (the first in sorted order is the reference)
// and records a boolean column's spellings. `line` in messages is the file line, 0 for none.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "causeway/data/csv.h"
#include "causeway/data/table.h"
#include "data/value_parse.h"

namespace causeway {

struct ColumnPlan {
  std::size_t field = 0;  // position in the record
  Column column;
  bool all_numeric = true, all_zero_one = true, all_bool_text = true, forced_text = false;
  std::size_t present = 0;
  std::unordered_map<std::string, std::uint32_t> level_index;  // first-seen order
  std::vector<std::string> seen_levels;
  std::string bool_spelling[2];
  // Where observe() writes a number: appended to column.values, or, for a part of a file read by
  // one of several threads, into that part's own place in the column, from `out` on.
  double* out = nullptr;

  void keep(double value) {
    if (out)
      *out++ = value;
    else
      column.values.push_back(value);
  }
};

// A column named id or *_id (any case): never a covariate unless named, and names rows.
bool looks_like_id(std::string_view name);
[[noreturn]] void not_finite(const std::string& source, const std::string& column, std::size_t row,
                             std::size_t line, std::string_view token);
// observe() for any cell but a lone 0 or 1 or a plain number in a column of numbers.
void observe_general(ColumnPlan& plan, std::string_view token, const std::string& source,
                     std::size_t row, std::size_t line);
// What observe() records of a cell that is the finite number `value`, spelt `token`.
inline void take_number(ColumnPlan& plan, double value, std::string_view token) {
  ++plan.column.number_count;
  // 0 and 1 fit a boolean column spelled with words too ("yes", "1", "no"). Without a branch:
  // which of the two a 0/1 cell holds is unpredictable.
  const bool zero_one = (value == 0.0) | (value == 1.0);
  plan.all_zero_one = plan.all_zero_one & zero_one;
  plan.all_bool_text = plan.all_bool_text & zero_one;
  if (!plan.all_numeric) return;
  plan.keep(value);
  if (plan.all_zero_one && plan.bool_spelling[value != 0].empty())
    plan.bool_spelling[value != 0] = std::string(trim(token));
}
// First pass: classifies the token and, while the column is all numbers, stores its value, so a
// file of numbers needs no second pass. A lone 0 or 1, the cell of a flag column, is read here,
// inline, without the general reader ('0' | 1 is '1': no branch on which of the two it is, which
// is unpredictable).
inline void observe(ColumnPlan& plan, std::string_view token, const std::string& source,
                    std::size_t row, std::size_t line) {
  if (token.size() != 1 || (token[0] | 1) != '1' || plan.forced_text) {
    // A plain number in a column of numbers, the cells of a measurement, is read here too.
    double value;
    if (!plan.all_numeric || plan.forced_text || !plain_number(token, value))
      return observe_general(plan, token, source, row, line);
    ++plan.present;
    return take_number(plan, value, token);
  }
  ++plan.present;
  ++plan.column.number_count;
  if (!plan.all_numeric) return;
  const int v = token[0] - '0';
  plan.keep(v);
  if (plan.all_zero_one && plan.bool_spelling[v].empty()) plan.bool_spelling[v].assign(1, token[0]);
}
ColumnKind decide_kind(const ColumnPlan& plan);
void store(ColumnPlan& plan, std::string_view token, const std::string& source, std::size_t row,
           std::size_t line);
void finish(ColumnPlan& plan);
// The plans of the columns `options` keeps, in header order; a kept or --categorical name that is
// not in the header fails with the list of columns (and the closest name).
std::vector<ColumnPlan> plan_columns(const std::vector<std::string_view>& header,
                                     const CsvOptions& options, const std::string& source);
// The field naming rows (--id-column, or a column named id or *_id), or -1.
long find_id_field(const std::vector<std::string_view>& header, const CsvOptions& options,
                   const std::string& source);

}  // namespace causeway
