#include "data/treatment_coding.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/parallel.h"
#include "core/text.h"
#include "data/value_parse.h"

namespace causeway {
namespace {

bool value_matches(const Column& col, std::size_t row, const std::string& wanted) {
  if (col.label(row) == wanted) return true;
  double w;
  if (col.kind != ColumnKind::kCategorical && parse_number(wanted, w)) return col.values[row] == w;
  return false;
}

// A distinct value of the treatment column among kept rows: its label, first row, and how many
// rows hold it (counted only when the column has more than two values, at most 50).
struct ArmValue {
  std::string label;
  std::size_t first_row, rows;
};

std::vector<ArmValue> arm_values(const Column& col, const std::vector<bool>& keep) {
  // A treatment has few values: a short list beats a tree; stop past 50, or, for a boolean
  // column, once both values are seen.
  const std::size_t most = col.kind == ColumnKind::kBoolean ? 2 : 51;
  struct Seen {
    double value;
    std::size_t first_row, rows;
  };
  std::vector<Seen> seen;
  for (std::size_t r = 0; r < keep.size() && seen.size() < most; ++r) {
    if (!keep[r]) continue;
    const double v = col.values[r];
    bool known = false;  // no early exit: which value a row holds is unpredictable
    for (auto& s : seen) known |= s.value == v, s.rows += s.value == v;
    if (!known) seen.push_back({v, r, 1});
  }
  std::sort(seen.begin(), seen.end(),
            [](const Seen& a, const Seen& b) { return a.value < b.value; });
  std::vector<ArmValue> values;
  for (const auto& s : seen) values.push_back({col.label(s.first_row), s.first_row, s.rows});
  return values;
}

// The first 8 labels.
std::string list_labels(const std::vector<ArmValue>& values) {
  std::string out;
  for (std::size_t k = 0; k < values.size() && k < 8; ++k) out += (k ? ", " : "") + values[k].label;
  return out;
}

// The labels for a message: the first 8, then how many there are in all.
std::string all_labels(const std::vector<ArmValue>& values) {
  if (values.size() <= 8) return list_labels(values);
  return fmt::format("{}, ... ({} values)", list_labels(values),
                     values.size() > 50 ? "more than 50" : std::to_string(values.size()));
}

// What a treatment of more than two values holds, for its message: the first 8 values (with how
// many rows hold each, up to 50 values), and where the rarest first occurs; a value in under 1 %
// of the rows is more likely a typo than an arm.
std::string many_values(const Table& table, const std::vector<ArmValue>& values) {
  const std::string way_out =
      "pass both --treated-value and --control-value to compare two of them";
  if (values.size() > 50)
    return fmt::format("more than 50 values ({}, ...); {}", list_labels(values), way_out);
  const std::string counts = list_first(values.size(), 8, [&](std::size_t k) {
    return fmt::format("{}: {}", values[k].label, counted(values[k].rows, "row"));
  });
  const auto rarest = std::min_element(
      values.begin(), values.end(), [](const auto& a, const auto& b) { return a.rows < b.rows; });
  std::size_t rows = 0;
  for (const auto& v : values) rows += v.rows;
  const bool stray = rarest->rows * 100 < rows;
  return fmt::format(
      "{} values ({}; the rarest, {}, in {}, first in {}); {}{}", values.size(), counts,
      rarest->label, counted(rarest->rows, "row"), table.row_name(rarest->first_row), way_out,
      stray ? fmt::format(", or fix the rows of {} if it is a typo", rarest->label) : "");
}

void require_value_present(const Table& table, const Column& col, const std::vector<bool>& keep,
                           const std::string& value, const char* which) {
  for (std::size_t r = 0; r < keep.size(); ++r)
    if (keep[r] && value_matches(col, r, value)) return;
  throw Error(
      ErrorCode::kBadInput,
      fmt::format("{}: {} value {} does not occur in '{}' (its values: {}); check "
                  "--{}-value",
                  table.source, which, value, col.name, all_labels(arm_values(col, keep)), which));
}

// The counts of rows and of distinct values must allow two arms the run can name: 0/1-like
// values, or the values the user gave.
void check_arms(const Table& table, const Column& col, const AnalysisSpec& spec,
                const std::vector<ArmValue>& values, std::size_t kept, std::size_t dropped) {
  if (kept == 0)
    throw Error(ErrorCode::kBadInput,
                fmt::format("{}: no rows to analyse ({} read{})", table.source, table.rows,
                            table.rows ? ", all dropped for missing values" : ""));
  if (values.size() < 2) {
    const double v = values.empty() ? 0 : col.values[values[0].first_row];
    throw Error(ErrorCode::kNotIdentifiable,
                fmt::format("{}: treatment '{}' has a single level ({}) in all {} rows used: {} "
                            "treated, {} control; an effect cannot be estimated without both "
                            "arms{}",
                            table.source, col.name, values.empty() ? "none" : values[0].label, kept,
                            v != 0 ? kept : 0, v != 0 ? 0 : kept,
                            dropped > 0 ? fmt::format(" (--drop-missing dropped {} row{} with "
                                                      "missing values; the other arm may be "
                                                      "among them)",
                                                      dropped, dropped == 1 ? "" : "s")
                                        : ""));
  }
  if (values.size() > 2 && (!spec.treated_value || !spec.control_value))
    throw Error(ErrorCode::kBadInput, fmt::format("{}: treatment '{}' has {}", table.source,
                                                  col.name, many_values(table, values)));
  const bool self_coded = col.kind == ColumnKind::kBoolean;
  if (!spec.treated_value && !spec.control_value && (!self_coded || values.size() != 2))
    throw Error(ErrorCode::kBadInput,
                fmt::format("{}: treatment column '{}' is not coded 0/1, true/false or yes/no "
                            "(found values {}); pass --treated-value and --control-value",
                            table.source, col.name, all_labels(values)));
}

}  // namespace

std::vector<std::int8_t> code_treatment(const Table& table, const Column& col,
                                        const AnalysisSpec& spec, const std::vector<bool>& keep,
                                        AnalysisData& data) {
  const auto values = arm_values(col, keep);
  // The rows not kept are those dropped for missing values, so far the only ones dropped.
  check_arms(table, col, spec, values, table.rows - data.rows_dropped, data.rows_dropped);
  const std::string treated = spec.treated_value.value_or("");
  const std::string control = spec.control_value.value_or("");
  if (spec.treated_value) require_value_present(table, col, keep, treated, "treated");
  if (spec.control_value) require_value_present(table, col, keep, control, "control");
  std::vector<std::int8_t> arm(table.rows);
  bool both = false;  // a value named by both --treated-value and --control-value
  const bool parallel = table.rows >= kParallelRows;
  if (!spec.treated_value && !spec.control_value) {  // coded 0/1 by itself: 1 treated, 0 control
    const double* value = col.values.data();
    std::int8_t* out = arm.data();
    const bool all_kept = data.rows_dropped == 0;
#pragma omp parallel for schedule(static) if (parallel)
    for (std::size_t r = 0; r < table.rows; ++r)
      out[r] = static_cast<std::int8_t>(all_kept || keep[r] ? value[r] != 0 : -1);
  } else {
#pragma omp parallel for schedule(static) reduction(|| : both) if (parallel)
    for (std::size_t r = 0; r < table.rows; ++r) {
      if (!keep[r]) {
        arm[r] = -1;
        continue;
      }
      const bool is_treated =
          spec.treated_value ? value_matches(col, r, treated) : !value_matches(col, r, control);
      const bool is_control = spec.control_value ? value_matches(col, r, control) : !is_treated;
      both = both || (is_treated && is_control);
      // 1 treated, 0 control, -1 neither; without branches, which random arms would mispredict.
      arm[r] = static_cast<std::int8_t>(is_treated - (!is_treated & !is_control));
    }
  }
  if (both)
    throw Error(ErrorCode::kBadInput, "--treated-value and --control-value name the same value");
  for (const auto& v : values) {
    if (arm[v.first_row] < 0) continue;
    (arm[v.first_row] == 1 ? data.treated_label : data.control_label) = v.label;
  }
  return arm;
}

}  // namespace causeway
