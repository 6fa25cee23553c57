#include "causeway/data/analysis_data.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <regex>
#include <set>
#include <string_view>
#include <unordered_map>

#include "core/text.h"
#include "data/covariate_encoding.h"
#include "data/treatment_coding.h"
#include "data/value_parse.h"

namespace causeway {
namespace {

const Column& require_column(const Table& table, const std::string& name, const char* role) {
  if (name.empty())
    throw Error(ErrorCode::kBadInput, fmt::format("no {} column given; pass --{}", role, role));
  if (const Column* c = table.find(name)) return *c;
  const std::string near = closest_column(table, name);
  throw Error(ErrorCode::kMissingColumn,
              fmt::format("{}: no column named '{}' ({}){}; the columns are: {}", table.source,
                          name, role, near.empty() ? "" : fmt::format("; did you mean '{}'?", near),
                          table.column_list()));
}

// A text column most of whose values are numbers holds a typo, not categories.
// `covariate`: whether --categorical is a way out (it applies to common causes only).
bool decimal_comma_number(const std::string& v) {
  static const std::regex pattern("^ *[-+]?[0-9]+,[0-9]+ *$");
  return std::regex_match(v, pattern);
}

void reject_stray_text(const Table& table, const Column& col, bool covariate) {
  // Every level a number written with a decimal comma (a semicolon file from a European locale):
  // read as text, they would become categories without a word.
  if (col.kind == ColumnKind::kCategorical && !col.forced_categorical && !col.levels.empty() &&
      std::all_of(col.levels.begin(), col.levels.end(), decimal_comma_number))
    throw Error(ErrorCode::kBadInput,
                fmt::format("{}: column '{}' holds numbers written with a decimal comma ('{}'); "
                            "causeway reads '.' as the decimal mark and no thousands separators: "
                            "rewrite them as {}{}",
                            table.source, col.name, col.levels.front(),
                            std::regex_replace(col.levels.front(), std::regex(","), "."),
                            covariate ? fmt::format(", or pass --categorical {} to keep them "
                                                    "as levels",
                                                    col.name)
                                      : ""));
  if (col.kind != ColumnKind::kCategorical || col.number_count == 0 ||
      col.number_count * 2 < col.present_count)
    return;
  const std::size_t others = col.present_count - col.number_count - 1;
  const std::string& value = col.first_non_number;
  const bool decimal_comma = value.find(',') != std::string::npos &&
                             value.find_first_not_of("0123456789,.-+ ") == std::string::npos;
  const std::string fix =
      decimal_comma ? "causeway reads '.' as the decimal mark and no thousands separators: "
                      "rewrite such numbers as 1234.5"
      : covariate   ? fmt::format(
                          "fix the value, or pass --categorical {} to read the column as "
                            "levels",
                          col.name)
                  : "fix the value";
  throw Error(ErrorCode::kBadInput,
              fmt::format("{}: column '{}' holds numbers except for '{}' in {}{}; {}", table.source,
                          col.name, value, table.row_name(col.first_non_number_row - 1),
                          others ? fmt::format(" and {} more", others) : "", fix));
}

void check_roles(const Table& table, const AnalysisSpec& spec) {
  if (spec.treatment == spec.outcome)
    throw Error(ErrorCode::kBadInput,
                fmt::format("'{}' is given as both treatment and outcome", spec.treatment));
  std::set<std::string> seen;
  for (const auto& c : spec.covariates) {
    if (c.empty())
      throw Error(ErrorCode::kBadInput,
                  "--common-causes has an empty name (two commas in a row?); list the columns "
                  "separated by single commas");
    if (c == spec.outcome)
      throw Error(ErrorCode::kBadInput,
                  fmt::format("{}: outcome '{}' cannot be used as a covariate; remove it from "
                              "--common-causes",
                              table.source, c));
    if (c == spec.treatment)
      throw Error(ErrorCode::kBadInput,
                  fmt::format("{}: treatment '{}' cannot be used as a covariate; remove it from "
                              "--common-causes",
                              table.source, c));
    if (!seen.insert(c).second)
      throw Error(ErrorCode::kBadInput,
                  fmt::format("covariate '{}' is listed twice in --common-causes", c));
    reject_stray_text(table, require_column(table, c, "common cause"), true);
    if (c == table.id_column)
      throw Error(ErrorCode::kBadInput,
                  fmt::format("{}: '{}' is the column that names the rows; it cannot be a common "
                              "cause (pass --id-column - if it is a real covariate)",
                              table.source, c));
  }
}

std::vector<const Column*> used_columns(const Table& table, const AnalysisSpec& spec) {
  std::vector<const Column*> cols = {&require_column(table, spec.treatment, "treatment"),
                                     &require_column(table, spec.outcome, "outcome")};
  for (const auto& c : spec.covariates) cols.push_back(table.find(c));
  for (const auto& c : spec.mediators) cols.push_back(&require_column(table, c, "mediator"));
  for (const auto& c : spec.instruments) cols.push_back(&require_column(table, c, "instrument"));
  return cols;
}

// Mediators and instruments: no overlap with each other, the treatment, the outcome or the
// common causes, and no stray text in a numeric column.
void check_other_roles(const Table& table, const AnalysisSpec& spec) {
  std::map<std::string, std::string> role_of;
  for (const auto& c : spec.covariates) role_of[c] = "a common cause";
  role_of[spec.treatment] = "the treatment";
  role_of[spec.outcome] = "the outcome";
  for (const auto* list : {&spec.mediators, &spec.instruments}) {
    const std::string role = list == &spec.mediators ? "a mediator" : "an instrument";
    for (const auto& c : *list) {
      if (c.empty())
        throw Error(ErrorCode::kBadInput,
                    fmt::format("--{} has an empty name (two commas in a row?)",
                                list == &spec.mediators ? "mediators" : "instruments"));
      if (const auto it = role_of.find(c); it != role_of.end())
        throw Error(ErrorCode::kBadInput,
                    fmt::format("'{}' is given as {} and is also {}; give each column one role", c,
                                role, it->second == role ? "listed twice" : it->second));
      role_of[c] = role;
      reject_stray_text(table, require_column(table, c, role.substr(role.find(' ') + 1).c_str()),
                        false);
    }
  }
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  for (std::size_t at = 0; (at = text.find(from, at)) != std::string::npos; at += to.size())
    text.replace(at, from.size(), to);
}

// Once a used column is in the sample its values are not read again: freeing them as the sample
// grows keeps the table and the sample from both being held whole.
void release_values(Table& table, const std::vector<std::string>& names) {
  for (const auto& name : names)
    if (Column* c = table.find(name)) ColumnValues().swap(c->values);
}

// Encodes one list of role columns through the common causes' encoder, into its own matrix; its
// messages are reworded for the role, and a constant or duplicated column is an error (a
// mediator or instrument that does not vary can carry or move nothing).
void encode_role(const Table& table, const std::vector<std::string>& names, const char* noun,
                 const char* option, const RowMap& rows, AnalysisData& data, Eigen::MatrixXd& out,
                 std::vector<std::string>& out_names) {
  if (names.empty()) return;
  const auto reworded = [&](std::string m) {
    replace_all(m, "--common-causes", option);
    replace_all(m, "from the common causes", fmt::format("from {}", option));
    replace_all(m, "a common cause", fmt::format("a {}", noun));
    replace_all(m, "covariate '", fmt::format("{} '", noun));
    return m;
  };
  AnalysisData part;
  part.t = data.t;
  part.y = data.y;
  part.treatment = data.treatment;
  try {
    encode_covariates(table, names, rows, part);
  } catch (const Error& e) {
    throw Error(e.code(), reworded(e.message()));
  }
  if (!part.warnings.empty())
    throw Error(ErrorCode::kBadInput,
                fmt::format("{}; a {} must vary", reworded(part.warnings.front()), noun));
  out = std::move(part.x);
  out_names = std::move(part.x_names);
}

std::string first_rows(const Table& table, const std::vector<std::size_t>& rows) {
  return list_first(rows.size(), 5, [&](std::size_t k) { return table.row_name(rows[k]); });
}

// Rows to keep after the missing-value policy; throws when values are missing and the user did
// not ask to drop them.
std::vector<bool> apply_missing_policy(const Table& table, const AnalysisSpec& spec,
                                       AnalysisData& data) {
  std::vector<bool> keep(table.rows, true);
  std::vector<std::string> problems;
  std::vector<std::size_t> dropped;
  for (const Column* col : used_columns(table, spec)) {
    if (col->missing_count() == 0) continue;
    std::vector<std::size_t> rows;
    for (std::size_t r = 0; r < table.rows; ++r)
      if (std::isnan(col->values[r])) rows.push_back(r), keep[r] = false;
    if (!rows.empty())
      problems.push_back(fmt::format("'{}' has {} missing value{} ({})", col->name, rows.size(),
                                     rows.size() > 1 ? "s" : "", first_rows(table, rows)));
  }
  if (problems.empty()) return keep;
  for (std::size_t r = 0; r < table.rows; ++r)
    if (!keep[r]) dropped.push_back(r);
  if (!spec.drop_missing)
    throw Error(ErrorCode::kBadInput,
                fmt::format("{}: missing values in the columns used: {}; fill them in, or pass "
                            "--drop-missing to drop {}",
                            table.source, fmt::join(problems, "; "),
                            dropped.size() == 1 ? "this row"
                                                : fmt::format("these {} rows", dropped.size())));
  data.rows_dropped += dropped.size();
  for (std::size_t k = 0; k < dropped.size() && k < 100; ++k)
    data.dropped_rows.push_back(table.row_name(dropped[k]));
  data.warnings.push_back(fmt::format("--drop-missing dropped {} of {} rows: {}", dropped.size(),
                                      table.rows, first_rows(table, dropped)));
  return keep;
}

// A yes/no (true/false) outcome with a few other values (a 2 typed for a 1): the error names
// those values and their first rows, not the words.
void reject_stray_outcome_levels(const Table& table, const Column& col) {
  bool word[2] = {false, false};
  std::vector<bool> other(col.levels.size(), false);
  for (std::size_t l = 0; l < col.levels.size(); ++l)
    if (const int b = parse_bool_text(col.levels[l]); b >= 0)
      word[b] = true;
    else
      other[l] = true;
  if (!word[0] || !word[1]) return;
  std::size_t rows = 0;
  std::vector<std::size_t> first_rows;  // the first row of each other value, in file order
  std::vector<bool> seen(col.levels.size(), false);
  for (std::size_t r = 0; r < col.values.size(); ++r) {
    if (std::isnan(col.values[r])) continue;
    const auto level = static_cast<std::size_t>(col.values[r]);
    if (!other[level]) continue;
    ++rows;
    if (!seen[level]) seen[level] = true, first_rows.push_back(r);
  }
  if (rows == 0) return;
  throw Error(
      ErrorCode::kBadInput,
      fmt::format("{}: outcome '{}' is yes/no (true/false) in every row but {} ({}); a binary "
                  "outcome holds yes/no, true/false or 0/1 only: fix {}",
                  table.source, col.name, counted(rows, "row"),
                  list_first(first_rows.size(), 5,
                             [&](std::size_t k) {
                               return fmt::format("'{}' first in {}", col.label(first_rows[k]),
                                                  table.row_name(first_rows[k]));
                             }),
                  rows > 1 ? "those rows" : "that row"));
}

void check_outcome(const Table& table, const Column& col) {
  reject_stray_text(table, col, false);
  if (col.kind != ColumnKind::kCategorical) return;
  reject_stray_outcome_levels(table, col);
  throw Error(ErrorCode::kBadInput,
              fmt::format("{}: outcome '{}' holds text ('{}' in {}); recode it as numbers, "
                          "or as 0/1, true/false or yes/no for a binary outcome",
                          table.source, col.name, col.first_non_number,
                          table.row_name(col.first_non_number_row - 1)));
}

// Whether x = a y + b (a != 0) in every row, within round-off: the outcome itself, or rescaled.
// Round-off is judged against the step between the two rows that fix the line (a column on a
// large offset, 1.000000000xxx or timestamps, is not within 1e-9 of its own size everywhere by
// chance). Most columns leave the line at once: no pass over them.
bool follows_outcome(const Eigen::VectorXd& y, const Eigen::Ref<const Eigen::VectorXd>& x) {
  const Eigen::Index n = y.size();
  Eigen::Index k = 1;  // the first row whose outcome differs from the first row's
  while (k < n && y[k] == y[0]) ++k;
  if (k == n) return false;
  const double step = x[k] - x[0], a = step / (y[k] - y[0]), b = x[0] - a * y[0];
  if (!(a != 0) || !std::isfinite(a) || !std::isfinite(b)) return false;
  // the rounding of a y + b itself, and a relative 1e-9 of the line's step
  const double slack = 1e-9 * std::abs(step);
  for (Eigen::Index i = 0; i < n; ++i) {
    const double fitted = a * y[i] + b;
    const double rounding = 4e-16 * (std::abs(a * y[i]) + std::abs(b));
    if (!(std::abs(x[i] - fitted) <= slack + rounding)) return false;
  }
  return true;
}

// A covariate that is the outcome under another name (or the outcome rescaled) leaves the
// treatment nothing to explain: every adjusted estimate comes out 0 with a standard error of 0.
// Said, not refused: an outcome made by a formula from a covariate is a test, not a mistake.
void warn_of_copies_of_the_outcome(AnalysisData& data) {
  for (Eigen::Index j = 0; j < data.x.cols(); ++j)
    if (follows_outcome(data.y, data.x.col(j)))
      data.warnings.push_back(fmt::format(
          "covariate '{}' reproduces the outcome '{}' in every row (it is the outcome, or the "
          "outcome rescaled): adjusting for it leaves the treatment nothing to explain, so the "
          "adjusted estimates are 0 by construction; a common cause is measured before the "
          "treatment: remove it from --common-causes unless that is intended",
          data.x_names[static_cast<std::size_t>(j)], data.outcome));
}

}  // namespace

std::string AnalysisData::row_name(std::size_t i) const {
  if (i < row_ids.size() && !row_ids[i].empty()) return row_ids[i];
  return fmt::format("row {}", source_row(i) + 1);
}

std::string AnalysisData::coding() const {
  return fmt::format("treated = {}, control = {}", treated_label, control_label);
}

Result<AnalysisData> prepare_analysis(Table table, const AnalysisSpec& spec) {
  return guarded([&]() -> AnalysisData {
    AnalysisData data;
    data.source = table.source;
    data.treatment = spec.treatment;
    data.outcome = spec.outcome;
    data.rows_read = table.rows;
    const Column& treatment = require_column(table, spec.treatment, "treatment");
    const Column& outcome = require_column(table, spec.outcome, "outcome");
    check_roles(table, spec);
    check_other_roles(table, spec);
    for (const std::string* role : {&spec.treatment, &spec.outcome})
      if (*role == table.id_column && !table.id_column.empty())
        throw Error(
            ErrorCode::kBadInput,
            fmt::format("{}: '{}' cannot be both the id column and the {}; pass another "
                        "--id-column (or - for none)",
                        table.source, *role, role == &spec.treatment ? "treatment" : "outcome"));
    for (const Column* c : {&treatment, &outcome})
      if (c->forced_categorical)
        throw Error(ErrorCode::kBadInput,
                    fmt::format("--categorical applies to common causes; '{}' is the {}", c->name,
                                c == &treatment ? "treatment" : "outcome"));
    check_outcome(table, outcome);
    // A yes/no (true/false) outcome is read as 1/0: said, with the spellings. One of numbers
    // (1.0/0.0) needs no saying.
    if (outcome.kind == ColumnKind::kBoolean && parse_bool_text(outcome.levels[1]) == 1)
      data.outcome_coding = fmt::format("1 = {}, 0 = {}", outcome.levels[1], outcome.levels[0]);
    reject_stray_text(table, treatment, false);
    for (const Column* col : used_columns(table, spec))
      if (col != nullptr)
        if (std::string w = mixed_spellings(*col); !w.empty()) data.warnings.push_back(w);
    std::vector<bool> keep = apply_missing_policy(table, spec, data);
    const std::vector<std::int8_t> arm = code_treatment(table, treatment, spec, keep, data);
    // The analysed rows' positions in the file, also how messages name them: listed only when
    // some are left out.
    std::size_t analysed = 0, treated = 0;
#pragma omp parallel for schedule(static) reduction(+ : analysed, treated) \
    if (table.rows >= kParallelRows)
    for (std::size_t r = 0; r < table.rows; ++r) analysed += arm[r] >= 0, treated += arm[r] == 1;
    std::vector<std::uint32_t> rows;
    if (analysed < table.rows) {
      rows.reserve(analysed);
      for (std::size_t r = 0; r < table.rows; ++r)
        if (arm[r] >= 0) rows.push_back(static_cast<std::uint32_t>(r));
    }
    const RowMap map = analysed < table.rows ? RowMap(rows) : RowMap(table.rows);
    // Rows not kept for missing values are of no arm too; the rest of no arm are other values.
    const std::size_t other_arms = table.rows - data.rows_dropped - analysed;
    if (other_arms > 0) {
      data.rows_dropped += other_arms;
      data.warnings.push_back(fmt::format(
          "{} {} to neither the treated ({}) nor the control ({}) value of '{}' "
          "and {} not used",
          counted(other_arms, "row"), other_arms == 1 ? "belongs" : "belong", data.treated_label,
          data.control_label, spec.treatment, other_arms == 1 ? "is" : "are"));
    }
    const std::size_t n = map.size();
    data.y.resize(n);
    data.t.resize(n);
    // The threads share the copy, and the first touch (page faults) of the new columns.
#pragma omp parallel for schedule(static) if (n >= kParallelRows)
    for (std::size_t i = 0; i < n; ++i) {
      data.y[i] = outcome.values[map[i]];
      data.t[i] = arm[map[i]];
    }
    if (n == 0)
      throw Error(ErrorCode::kBadInput, fmt::format("{}: no rows to analyse ({} read, {} dropped)",
                                                    table.source, table.rows, data.rows_dropped));
    // A boolean column holds 0 and 1 only: neither too large nor too small, and binary.
    const bool boolean_outcome = outcome.kind == ColumnKind::kBoolean;
    if (!boolean_outcome) check_scale(data.y, "outcome '" + spec.outcome + "'", map, table);
    if ((data.y.array() == data.y[0]).all())
      throw Error(ErrorCode::kBadInput,
                  fmt::format("{}: outcome '{}' is constant ({} in every row used): there is no "
                              "variation for the treatment to have changed",
                              table.source, spec.outcome, outcome.label(map[0])));
    release_values(table, {spec.treatment, spec.outcome});
    data.n_treated = treated;
    data.n_control = n - data.n_treated;
    data.binary_outcome = boolean_outcome;
    if (!boolean_outcome)
      if (const std::string w = stray_codes(
              data.y, "outcome '" + spec.outcome + "'",
              "so the outcome is not binary (aipw fits a linear, not a logistic, outcome model)",
              map, table, &data.binary_outcome);
          !w.empty())
        data.warnings.push_back(w);
    if (!table.row_ids.empty()) {
      std::unordered_map<std::string_view, std::size_t> first_seen;
      std::size_t duplicates = 0;
      std::string example;
      for (std::size_t i = 0; i < n; ++i) {
        const std::size_t r = map[i];
        data.row_ids.push_back(table.row_ids[r]);
        const auto [it, fresh] = first_seen.try_emplace(table.row_ids[r], r);
        if (fresh) continue;
        if (++duplicates == 1)
          example = fmt::format("'{}' in rows {} and {}", table.row_ids[r], it->second + 1, r + 1);
      }
      if (duplicates > 0)
        data.warnings.push_back(
            fmt::format("id column '{}' repeats {} values (e.g. {}): messages "
                        "naming rows by id can be ambiguous, and a customer "
                        "counted twice weighs twice",
                        table.id_column, duplicates, example));
    }
    encode_covariates(table, spec.covariates, map, data);
    warn_of_copies_of_the_outcome(data);
    for (Eigen::Index j = 0; j < data.x.cols(); ++j) {
      const auto& labels = data.x_value_labels[static_cast<std::size_t>(j)];
      if (!labels[1].empty()) continue;  // a boolean or a level: 0/1 by construction
      if (const std::string w = stray_codes(
              data.x.col(j), "covariate '" + data.x_names[static_cast<std::size_t>(j)] + "'",
              "so it enters the models as a count, not as a 0/1 flag", map, table);
          !w.empty())
        data.warnings.push_back(w);
    }
    release_values(table, spec.covariates);
    encode_role(table, spec.mediators, "mediator", "--mediators", map, data, data.m, data.m_names);
    release_values(table, spec.mediators);
    encode_role(table, spec.instruments, "instrument", "--instruments", map, data, data.z,
                data.z_names);
    data.source_rows = std::move(rows);  // empty when every row is analysed
    return data;
  });
}

std::optional<AnalysisData> with_outcome_near_zero(const AnalysisData& data) {
  return with_outcome_near_zero(
      data, value_range(data.y.data(), static_cast<std::size_t>(data.y.size())));
}

std::optional<AnalysisData> with_outcome_near_zero(const AnalysisData& data,
                                                   std::pair<double, double> range) {
  if (data.y.size() == 0) return std::nullopt;
  const auto [low, high] = range;
  const double middle = low / 2 + high / 2;
  if (!(std::abs(middle) > 1e4 * (high - low))) return std::nullopt;
  AnalysisData out = data;
  // Every outcome is within a factor of 2 of `middle`: each difference is exact (Sterbenz).
  out.y.array() -= middle;
  out.outcome_shift = data.outcome_shift + middle;
  return out;
}

AnalysisData subsample(const AnalysisData& data, const std::vector<std::size_t>& rows) {
  AnalysisData out;
  out.source = data.source;
  out.treatment = data.treatment;
  out.outcome = data.outcome;
  out.x_names = data.x_names;
  out.x_value_labels = data.x_value_labels;
  out.reference_levels = data.reference_levels;
  out.binary_outcome = data.binary_outcome;
  out.outcome_shift = data.outcome_shift;
  out.treated_label = data.treated_label;
  out.control_label = data.control_label;
  const std::size_t n = rows.size();
  out.y.resize(n);
  out.t.resize(n);
  out.x.resize(n, data.x.cols());
  out.m.resize(n, data.m.cols());
  out.z.resize(n, data.z.cols());
  out.m_names = data.m_names;
  out.z_names = data.z_names;
  for (std::size_t i = 0; i < n; ++i) {
    out.y[i] = data.y[rows[i]];
    out.t[i] = data.t[rows[i]];
    out.x.row(i) = data.x.row(rows[i]);
    if (data.m.cols()) out.m.row(i) = data.m.row(rows[i]);
    if (data.z.cols()) out.z.row(i) = data.z.row(rows[i]);
  }
  out.rows_read = n;
  out.source_rows.reserve(n);
  for (std::size_t r : rows)
    out.source_rows.push_back(static_cast<std::uint32_t>(data.source_row(r)));
  if (!data.row_ids.empty())
    for (std::size_t r : rows) out.row_ids.push_back(data.row_ids[r]);
  out.n_treated = static_cast<std::size_t>(out.t.sum());
  out.n_control = n - out.n_treated;
  return out;
}

}  // namespace causeway
