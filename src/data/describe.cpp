#include "causeway/data/describe.h"

#include <fmt/format.h>

#include <cmath>
#include <set>
#include <string_view>

#include "core/text.h"

namespace causeway {
namespace {

constexpr std::size_t kDistinctCap = 1000;

ColumnSummary summarise(const Table& table, const Column& col) {
  ColumnSummary s;
  s.name = col.name;
  s.kind = column_kind_name(col.kind);
  std::set<double> distinct;
  bool first = true;
  for (std::size_t r = 0; r < col.values.size(); ++r) {
    const double v = col.values[r] + 0.0;  // -0 is 0 (shown as 0 in the range)
    if (std::isnan(v)) {
      if (s.missing++ < 10) s.missing_rows.push_back(table.row_name(r));
      continue;
    }
    if (distinct.size() < kDistinctCap) distinct.insert(v);
    s.min = first ? v : std::min(s.min, v);
    s.max = first ? v : std::max(s.max, v);
    first = false;
  }
  s.distinct = distinct.size();
  if (col.kind == ColumnKind::kCategorical)
    s.levels.assign(
        col.levels.begin(),
        col.levels.begin() + static_cast<long>(std::min<std::size_t>(col.levels.size(), 10)));
  return s;
}

void add_warnings(const Table& table, const std::vector<ColumnSummary>& summaries,
                  std::vector<std::string>& warnings) {
  if (table.rows == 0) {
    warnings.push_back("the file has a header but no data rows");
    return;
  }
  std::set<std::string_view> ids;
  std::size_t repeated = 0;
  for (const auto& id : table.row_ids) repeated += !ids.insert(id).second;
  if (repeated > 0)
    warnings.push_back(fmt::format("id column '{}' repeats {} values", table.id_column, repeated));
  for (std::size_t j = 0; j < table.columns.size(); ++j) {
    const Column& col = table.columns[j];
    const ColumnSummary& s = summaries[j];
    if (s.distinct == 1)
      warnings.push_back(fmt::format(
          "{}: constant (1 distinct value, {})", col.name,
          col.kind == ColumnKind::kNumeric ? fmt::format("{}", s.min) : one_line(col.label(0))));
    if (std::string mixed = mixed_spellings(col); !mixed.empty())
      warnings.push_back(std::move(mixed));
    if (col.kind == ColumnKind::kCategorical && col.number_count > 0 &&
        col.number_count * 2 >= col.present_count)
      warnings.push_back(fmt::format("{}: numbers except for '{}' in {}", col.name,
                                     col.first_non_number,
                                     table.row_name(col.first_non_number_row - 1)));
    if (col.kind == ColumnKind::kCategorical && s.distinct == col.present_count &&
        col.present_count > 10 && col.name != table.id_column)
      warnings.push_back(
          fmt::format("{}: every value distinct: an identifier, not a covariate", col.name));
    for (std::size_t k = 0; k < j; ++k) {
      const Column& other = table.columns[k];
      if (other.kind == col.kind && other.levels == col.levels &&
          std::equal(
              col.values.begin(), col.values.end(), other.values.begin(),
              [](double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); })) {
        warnings.push_back(fmt::format("{}: identical to {}", col.name, other.name));
        break;
      }
    }
  }
}

}  // namespace

TableSummary describe(const Table& table) {
  TableSummary t;
  t.source = table.source;
  t.rows = table.rows;
  t.id_column = table.id_column;
  for (const auto& col : table.columns) t.columns.push_back(summarise(table, col));
  add_warnings(table, t.columns, t.warnings);
  return t;
}

}  // namespace causeway
