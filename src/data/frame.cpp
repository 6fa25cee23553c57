#include "causeway/data/frame.h"

#include <fmt/format.h>

#include <cmath>
#include <unordered_map>

#include "data/column_plan.h"
#include "data/value_parse.h"

namespace causeway {
namespace {

std::string number_text(double v) {
  return fmt::format("{}", v);
}

// The i-th cell of a column as text, for a column read by the text rules.
std::string cell_text(const FrameColumn& c, std::size_t i) {
  if (!c.numeric) return c.cells[i];
  return std::isnan(c.numbers[i]) ? std::string() : number_text(c.numbers[i]);
}

void check_shape(const std::vector<FrameColumn>& columns, std::size_t rows,
                 const std::string& source) {
  std::unordered_map<std::string, std::size_t> seen;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    const FrameColumn& c = columns[i];
    if (c.name.empty())
      throw Error(
          ErrorCode::kBadInput,
          fmt::format("{}: column {} has an empty name; every column needs a name", source, i + 1));
    if (auto [it, fresh] = seen.try_emplace(c.name, i); !fresh)
      throw Error(ErrorCode::kBadInput,
                  fmt::format("{}: column '{}' appears twice (columns {} and {}); rename one",
                              source, c.name, it->second + 1, i + 1));
    if (!c.absent && c.size() != rows)
      throw Error(ErrorCode::kInternal, fmt::format("{}: column '{}' has {} values for {} rows",
                                                    source, c.name, c.size(), rows));
  }
}

// A numeric column as read_csv would type it, without going through text.
void read_numbers(ColumnPlan& plan, std::span<const double> numbers, const std::string& source) {
  Column& col = plan.column;
  col.values.reserve(numbers.size());
  for (std::size_t i = 0; i < numbers.size(); ++i) {
    const double v = numbers[i];
    if (!std::isnan(v)) {
      if (!std::isfinite(v)) not_finite(source, col.name, i + 1, 0, number_text(v));
      ++plan.present, ++col.number_count;
      if (v != 0.0 && v != 1.0) plan.all_zero_one = false;
    }
    col.values.push_back(v);
  }
  plan.bool_spelling[0].assign(1, '0');
  plan.bool_spelling[1].assign(1, '1');
}

void read_cells(ColumnPlan& plan, const FrameColumn& c, std::size_t rows,
                const std::string& source) {
  for (std::size_t i = 0; i < rows; ++i) observe(plan, cell_text(c, i), source, i + 1, 0);
  plan.column.kind = decide_kind(plan);
  if (plan.all_numeric && plan.present > 0) return;
  plan.column.values.clear();
  for (std::size_t i = 0; i < rows; ++i) store(plan, cell_text(c, i), source, i + 1, 0);
}

}  // namespace

Result<Table> read_frame(const std::vector<FrameColumn>& columns, std::size_t rows,
                         const std::string& source, const CsvOptions& options) {
  return guarded([&] {
    check_shape(columns, rows, source);
    std::vector<std::string_view> header;
    for (const auto& c : columns) header.emplace_back(c.name);
    std::vector<ColumnPlan> plans = plan_columns(header, options, source);
    const long id_field = find_id_field(header, options, source);
    Table table;
    table.source = source;
    table.rows = rows;
    if (id_field >= 0 && !columns[static_cast<std::size_t>(id_field)].absent) {
      const FrameColumn& id = columns[static_cast<std::size_t>(id_field)];
      table.id_column = id.name;
      table.row_ids.reserve(rows);
      for (std::size_t i = 0; i < rows; ++i)
        table.row_ids.push_back(std::string(trim(cell_text(id, i))));
    }
    for (auto& plan : plans) {
      const FrameColumn& c = columns[plan.field];
      if (c.absent)
        throw Error(ErrorCode::kInternal,
                    fmt::format("{}: column '{}' is used but was not handed over", source, c.name));
      if (c.numeric && !plan.forced_text) {
        read_numbers(plan, c.numbers, source);
        plan.column.kind = decide_kind(plan);
      } else {
        read_cells(plan, c, rows, source);
      }
      plan.column.present_count = plan.present;
      plan.column.missing = rows - plan.present;
      finish(plan);
      table.columns.push_back(std::move(plan.column));
    }
    return table;
  });
}

}  // namespace causeway
