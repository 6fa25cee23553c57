#include "causeway/data/table.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/parallel.h"
#include "core/text.h"

namespace causeway {

const char* column_kind_name(ColumnKind kind) {
  switch (kind) {
    case ColumnKind::kNumeric:
      return "numeric";
    case ColumnKind::kBoolean:
      return "boolean";
    case ColumnKind::kCategorical:
      return "categorical";
  }
  return "?";
}

std::size_t Column::missing_count() const {
  if (missing) return *missing;
  std::size_t count = 0;
  const std::size_t n = values.size();
#pragma omp parallel for schedule(static) reduction(+ : count) if (n >= kParallelRows)
  for (std::size_t r = 0; r < n; ++r) count += std::isnan(values[r]);
  return count;
}

std::string Column::label(std::size_t row) const {
  const double v = values[row];
  if (std::isnan(v)) return "(missing)";
  if (kind == ColumnKind::kNumeric) return fmt::format("{}", v);
  return levels[static_cast<std::size_t>(v)];
}

const Column* Table::find(const std::string& name) const {
  for (const auto& c : columns)
    if (c.name == name) return &c;
  return nullptr;
}

Column* Table::find(const std::string& name) {
  for (auto& c : columns)
    if (c.name == name) return &c;
  return nullptr;
}

std::string Table::row_name(std::size_t row) const {
  if (row < row_ids.size() && !row_ids[row].empty())  // a row without an id is named by number
    return fmt::format("row {} (id {})", row + 1, row_ids[row]);
  return fmt::format("row {}", row + 1);
}

std::string Table::column_list() const {
  return list_first(columns.size(), 20, [&](std::size_t k) { return columns[k].name; });
}

namespace {

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t sub = prev[j - 1] + (std::tolower(a[i - 1]) != std::tolower(b[j - 1]));
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

std::string closest_name(const std::vector<std::string>& names, const std::string& name) {
  // The one name that begins with what was typed ("--treat" for "--treatment", "motivation" for
  // "motivation_proxy"), when only one does and the start is not a character or two.
  if (name.size() >= 3) {
    const auto starts = [&name](const std::string& c) { return c.starts_with(name); };
    if (std::count_if(names.begin(), names.end(), starts) == 1)
      return *std::find_if(names.begin(), names.end(), starts);
  }
  // Twice the edit distance, one less when one name starts with the other (a typo at the end
  // is the commonest kind). A name that keeps none of the given one's characters is no
  // suggestion ('t' for 'z').
  std::string best;
  std::size_t best_score = 2 * (std::max<std::size_t>(2, name.size() / 3) + 1);
  for (const auto& c : names) {
    const bool prefix = c.starts_with(name) || name.starts_with(c);
    const std::size_t distance = edit_distance(name, c);
    if (distance >= std::max(name.size(), c.size())) continue;
    const std::size_t score = 2 * distance - (prefix ? 1 : 0);
    if (score < best_score) best_score = score, best = c;
  }
  return best;
}

std::string mixed_spellings(const Column& col) {
  if (col.kind != ColumnKind::kBoolean || col.number_count == 0 ||
      col.number_count >= col.present_count)
    return "";
  return fmt::format(
      "'{}' is written in words in {} and as 0/1 in {}: read as one yes/no column, 1 as yes "
      "(true) and 0 as no (false); check that the numbers mean what the words do",
      col.name, counted(col.present_count - col.number_count, "row"),
      counted(col.number_count, "row"));
}

std::string closest_column(const Table& table, const std::string& name) {
  std::vector<std::string> names;
  for (const auto& c : table.columns) names.push_back(c.name);
  return closest_name(names, name);
}

}  // namespace causeway
