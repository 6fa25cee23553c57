#include "data/column_plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/text.h"
#include "data/value_parse.h"

namespace causeway {

bool looks_like_id(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
  return lower == "id" || (lower.size() > 3 && lower.ends_with("_id"));
}

[[noreturn]] void not_finite(const std::string& source, const std::string& column, std::size_t row,
                             std::size_t line, std::string_view token) {
  throw Error(
      ErrorCode::kBadInput,
      fmt::format("{}: column '{}', row {}{}: '{}' is not a finite number, or its magnitude is "
                  "beyond what a double holds (0, or about 4.9e-324 to 1.8e308); fix or remove "
                  "the value",
                  source, column, row, line > 0 ? fmt::format(" (line {})", line) : "",
                  one_line(token)));
}

void observe_general(ColumnPlan& plan, std::string_view token, const std::string& source,
                     std::size_t row, std::size_t line) {
  if (!starts_like_number(token) && is_missing_token(token)) {
    if (plan.all_numeric) plan.keep(NAN);
    return;
  }
  ++plan.present;
  double value;
  if (!plan.forced_text && parse_number(token, value)) {
    if (plan.all_numeric && !std::isfinite(value))
      not_finite(source, plan.column.name, row, line, trim(token));
    return take_number(plan, value, token);
  }
  if (plan.all_numeric) {
    plan.all_numeric = false;
    plan.column.values = {};
  }
  plan.all_zero_one = false;
  if (parse_bool_text(token) < 0) plan.all_bool_text = false;
  if (plan.column.first_non_number_row == 0) {
    plan.column.first_non_number = one_line(trim(token));  // for messages: on one line
    plan.column.first_non_number_row = row;
  }
}

ColumnKind decide_kind(const ColumnPlan& plan) {
  if (plan.forced_text) return ColumnKind::kCategorical;
  if (plan.present > 0 && plan.all_numeric)
    return plan.all_zero_one ? ColumnKind::kBoolean : ColumnKind::kNumeric;
  if (plan.present > 0 && plan.all_bool_text) return ColumnKind::kBoolean;
  if (plan.present == 0) return ColumnKind::kNumeric;
  return ColumnKind::kCategorical;
}

void store(ColumnPlan& plan, std::string_view token, const std::string& source, std::size_t row,
           std::size_t line) {
  Column& col = plan.column;
  if (is_missing_token(token)) {
    col.values.push_back(NAN);
    return;
  }
  token = trim(token);
  if (col.kind == ColumnKind::kCategorical) {
    auto [it, inserted] = plan.level_index.try_emplace(
        std::string(token), static_cast<std::uint32_t>(plan.seen_levels.size()));
    if (inserted) plan.seen_levels.emplace_back(token);
    col.values.push_back(it->second);
    return;
  }
  double value = 0;
  const bool number = parse_number(token, value);
  if (number) {
    if (!std::isfinite(value)) not_finite(source, col.name, row, line, token);
  } else {
    value = parse_bool_text(token);
  }
  // A word names the value better than a 0 or 1 met before it: "treated = yes", not "= 1".
  std::string& spelling = plan.bool_spelling[value != 0];
  if (col.kind == ColumnKind::kBoolean &&
      (spelling.empty() || (!number && starts_like_number(spelling))))
    spelling = std::string(token);
  col.values.push_back(value);
}

// Recodes categorical levels from first-seen order to sorted order.
void finish(ColumnPlan& plan) {
  Column& col = plan.column;
  if (col.kind == ColumnKind::kBoolean) {
    col.levels = {plan.bool_spelling[0].empty() ? "0" : plan.bool_spelling[0],
                  plan.bool_spelling[1].empty() ? "1" : plan.bool_spelling[1]};
    // A word for one value only (0/1 with a stray "yes"): both said as numbers, not "yes" and 0.
    if (starts_like_number(col.levels[0]) != starts_like_number(col.levels[1]))
      col.levels = {"0", "1"};
    return;
  }
  if (col.kind != ColumnKind::kCategorical) return;
  const std::vector<std::string>& text = plan.seen_levels;  // in the order first seen
  // Levels that are all numbers (a numeric column read with --categorical) are numbers, as in a
  // factor of numbers in R or pandas: in numeric order (2, 3, ..., 10, not "10" first), one level
  // per number however it is spelt ("7", "007" and "7.0"), named by the number ("7"), so that
  // another file spelling it otherwise names the same level. Others are text, in text order.
  std::vector<double> number(text.size());
  bool numbers = true;
  for (std::size_t i = 0; i < text.size() && numbers; ++i)  // 1e400 is no number a double has
    numbers = parse_number(text[i], number[i]) && std::isfinite(number[i]);
  std::vector<std::uint32_t> order(text.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](auto a, auto b) {
    if (numbers) return number[a] != number[b] ? number[a] < number[b] : a < b;
    return text[a] < text[b];
  });
  std::vector<double> recode(order.size());
  for (std::size_t k = 0; k < order.size(); ++k) {
    const bool same = numbers && k > 0 && number[order[k]] == number[order[k - 1]];
    if (!same)
      col.levels.push_back(numbers ? fmt::format("{}", number[order[k]] + 0.0)  // -0 is 0
                                   : text[order[k]]);
    recode[order[k]] = static_cast<double>(col.levels.size() - 1);
  }
  for (double& v : col.values)
    if (!std::isnan(v)) v = recode[static_cast<std::size_t>(v)];
}

std::vector<ColumnPlan> plan_columns(const std::vector<std::string_view>& header,
                                     const CsvOptions& options, const std::string& source) {
  std::vector<ColumnPlan> plans;
  // A missing column the command needs is reported first, an option naming one after.
  for (const auto& name : options.keep) {
    auto it = std::find(header.begin(), header.end(), name);
    if (it == header.end()) {
      Table names;
      for (auto h : header) {
        names.columns.emplace_back();
        names.columns.back().name = std::string(h);
      }
      const std::string near = closest_column(names, name);
      // One column only: the header was most likely split on the wrong character.
      const std::string hint =
          header.size() == 1
              ? " (the header reads as a single column: check the delimiter; --delimiter takes "
                "',' ';' '|' or tab, and without it the header's most frequent one is used)"
              : "";
      throw Error(ErrorCode::kMissingColumn,
                  fmt::format("{}: no column named '{}'{}; the columns are: {}{}", source, name,
                              near.empty() ? "" : fmt::format(" (did you mean '{}'?)", near),
                              names.column_list(), hint));
    }
  }
  for (const auto& name : options.categorical)
    if (std::find(header.begin(), header.end(), name) == header.end())
      throw Error(ErrorCode::kMissingColumn,
                  fmt::format("{}: --categorical names '{}', which is not a column; the columns "
                              "are: {}",
                              source, name, list_first(header.size(), 20, [&](std::size_t k) {
                                return std::string(header[k]);
                              })));
  for (std::size_t i = 0; i < header.size(); ++i) {
    const std::string name(header[i]);
    const bool keep = options.keep.empty() || std::find(options.keep.begin(), options.keep.end(),
                                                        name) != options.keep.end();
    if (!keep) continue;
    ColumnPlan plan;
    plan.field = i;
    plan.column.name = name;
    plan.forced_text = options.categorical.count(name) > 0;
    plan.column.forced_categorical = plan.forced_text;
    plans.push_back(std::move(plan));
  }
  return plans;
}

long find_id_field(const std::vector<std::string_view>& header, const CsvOptions& options,
                   const std::string& source) {
  if (options.id_column == "-") return -1;
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (options.id_column.empty() ? looks_like_id(header[i]) : header[i] == options.id_column)
      return static_cast<long>(i);
  }
  if (!options.id_column.empty())
    throw Error(
        ErrorCode::kMissingColumn,
        fmt::format("{}: --id-column '{}' is not a column of the file", source, options.id_column));
  return -1;
}

}  // namespace causeway
