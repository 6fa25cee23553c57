#include "data/covariate_encoding.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace causeway {
namespace {

// One-hot columns per categorical covariate: beyond this the fits slow to minutes and the
// estimate rests on levels with a handful of rows each.
constexpr std::size_t kMaxLevels = 1000;

struct Candidate {
  std::string name;
  Eigen::VectorXd values;
  std::array<std::string, 2> value_labels;
};

std::vector<Candidate> encode_categorical(const Table& table, const Column& col,
                                          const std::vector<std::uint32_t>& rows,
                                          AnalysisData& data) {
  std::set<std::size_t> present;
  for (std::size_t r : rows) present.insert(static_cast<std::size_t>(col.values[r]));
  if (rows.size() > 10 && present.size() * 2 > rows.size())
    throw Error(ErrorCode::kBadInput,
                fmt::format("{}: column '{}' looks like an identifier ({} distinct values in {} "
                            "rows); it cannot be a common cause",
                            table.source, col.name, present.size(), rows.size()));
  if (present.size() > kMaxLevels)
    throw Error(ErrorCode::kBadInput,
                fmt::format("{}: column '{}' has {} levels, more than the {} a common cause may "
                            "have; group rare levels or leave the column out",
                            table.source, col.name, present.size(), kMaxLevels));
  std::vector<Candidate> out;
  if (present.size() < 2) return out;
  const std::size_t reference = *present.begin();
  std::string levels;
  for (std::size_t level : present) {
    levels += (levels.empty() ? "" : ", ") + col.levels[level];
    if (level == reference) continue;
    Candidate c{col.name + "=" + col.levels[level], Eigen::VectorXd(rows.size()), {}};
    c.value_labels[1] = col.name + " = " + col.levels[level];
    c.value_labels[0] = present.size() == 2 ? col.name + " = " + col.levels[reference]
                                            : col.name + " != " + col.levels[level];
    for (std::size_t i = 0; i < rows.size(); ++i)
      c.values[i] = static_cast<std::size_t>(col.values[rows[i]]) == level ? 1.0 : 0.0;
    out.push_back(std::move(c));
  }
  data.encoding.push_back(fmt::format("{}: categorical, reference = {} (levels {})", col.name,
                                      col.levels[reference], levels));
  // Its columns are found once the kept covariates are known (see encode_covariates).
  data.reference_levels.push_back({col.name + "=" + col.levels[reference], {}});
  return out;
}

std::vector<Candidate> encode_numeric(const Column& col, const std::vector<std::uint32_t>& rows,
                                      AnalysisData& data) {
  Candidate c{col.name, Eigen::VectorXd(rows.size()), {}};
  if (col.kind == ColumnKind::kBoolean)
    c.value_labels = {col.name + " = " + col.levels[0], col.name + " = " + col.levels[1]};
  std::vector<double> distinct;  // up to 12
  bool integers = true;
#pragma omp parallel for schedule(static) if (rows.size() >= 200000)
  for (std::size_t i = 0; i < rows.size(); ++i) c.values[i] = col.values[rows[i]];
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const double v = c.values[i];
    if (distinct.size() < 12 && std::find(distinct.begin(), distinct.end(), v) == distinct.end())
      distinct.push_back(v);
    integers = integers && v == std::floor(v);
  }
  bool increasing = rows.size() > 20 && integers;
  for (std::size_t i = 1; increasing && i < rows.size(); ++i)
    increasing =
        c.values[static_cast<Eigen::Index>(i)] > c.values[static_cast<Eigen::Index>(i - 1)];
  if (increasing)
    data.warnings.push_back(
        fmt::format("{}: every value is a distinct integer, increasing row by "
                    "row: it looks like a row number or identifier, which "
                    "causes nothing; remove it unless it is a real covariate",
                    col.name));
  if (col.kind == ColumnKind::kBoolean)
    data.encoding.push_back(fmt::format("{}: boolean, 1 = {}", col.name, col.levels[1]));
  else if (integers && distinct.size() > 2 && distinct.size() <= 10)
    data.encoding.push_back(
        fmt::format("{}: numeric ({} distinct integer codes read as numbers; "
                    "pass --categorical {} to use them as levels)",
                    col.name, distinct.size(), col.name));
  else
    data.encoding.push_back(fmt::format("{}: numeric", col.name));
  return {std::move(c)};
}

// Values this large overflow when squared in a variance; the user should rescale.
}  // namespace

void check_scale(const Eigen::VectorXd& values, const std::string& name,
                 const std::vector<std::uint32_t>& rows, const Table& table) {
  double largest = 0;
  for (Eigen::Index i = 0; i < values.size(); ++i) {
    largest = std::max(largest, std::abs(values[i]));
    if (std::abs(values[i]) > kLargestValue)
      throw Error(ErrorCode::kBadInput,
                  fmt::format("{}: {} holds {} in {}; values beyond 1e50 overflow the "
                              "arithmetic, so rescale the column (e.g. divide by 1e6)",
                              table.source, name, values[i],
                              table.row_name(rows[static_cast<std::size_t>(i)])));
  }
  if (largest > 0 && largest < kSmallestScale)
    throw Error(ErrorCode::kBadInput,
                fmt::format("{}: {} holds no value larger than {:.3g} in magnitude; values this "
                            "small underflow the arithmetic, so rescale the column (e.g. multiply "
                            "by 1e6)",
                            table.source, name, largest));
}

namespace {

bool is_constant(const Eigen::VectorXd& v) {
  return v.size() == 0 || (v.array() == v[0]).all();
}

// Greedy rank check on the correlation structure: a column that adds no new direction to the
// intercept and the columns before it is a linear combination of them.
// The treatment is checked as the first column: a covariate that reproduces it (t, 1 - t, or a
// combination with others) leaves no variation to estimate an effect from.
// The correlation matrix of the columns, in two passes over them (the means, then the centred
// cross-products, accumulated over blocks of rows so that no centred copy of the whole data is
// made). Each column is scaled to its largest magnitude first, so tiny or huge units cannot
// underflow or overflow the sums.
Eigen::MatrixXd correlation(const std::vector<const Eigen::VectorXd*>& columns) {
  const Eigen::Index q = static_cast<Eigen::Index>(columns.size());
  const Eigen::Index n = columns[0]->size();
  Eigen::VectorXd scale(q), mean(q);
  for (Eigen::Index j = 0; j < q; ++j) {
    const double* v = columns[static_cast<std::size_t>(j)]->data();
    double largest = 0, sum = 0;
    for (Eigen::Index i = 0; i < n; ++i) largest = std::max(largest, std::abs(v[i])), sum += v[i];
    scale[j] = largest > 0 ? largest : 1.0;
    mean[j] = sum / static_cast<double>(n) / scale[j];
  }
  constexpr Eigen::Index kRows = 4096;
  Eigen::MatrixXd gram = Eigen::MatrixXd::Zero(q, q), z(kRows, q);
  for (Eigen::Index start = 0; start < n; start += kRows) {
    const Eigen::Index len = std::min(kRows, n - start);
    for (Eigen::Index j = 0; j < q; ++j)
      z.col(j).head(len) =
          (columns[static_cast<std::size_t>(j)]->segment(start, len).array() / scale[j]) - mean[j];
    gram.noalias() += z.topRows(len).transpose() * z.topRows(len);
  }
  const Eigen::VectorXd sd = gram.diagonal().cwiseSqrt().cwiseMax(1e-300);
  return sd.cwiseInverse().asDiagonal() * gram * sd.cwiseInverse().asDiagonal();
}

// The treatment is checked as the first column: a covariate that reproduces it (t, 1 - t, or a
// combination with others) leaves no variation to estimate an effect from.
void check_linear_independence(const std::vector<Candidate>& covariates, const AnalysisData& data,
                               const std::string& source) {
  if (covariates.empty()) return;
  std::vector<const Eigen::VectorXd*> columns = {&data.t};
  std::vector<std::string> names = {"the treatment '" + data.treatment + "'"};
  for (const auto& c : covariates) columns.push_back(&c.values), names.push_back(c.name);
  const Eigen::MatrixXd gram = correlation(columns);
  // Incremental Cholesky of the correlation matrix: column k adds a new direction unless its
  // residual variance after the columns before it, 1 - R^2, is (numerically) zero. O(p^3).
  const Eigen::Index q = gram.rows();
  Eigen::MatrixXd chol = Eigen::MatrixXd::Zero(q, q);
  chol(0, 0) = std::sqrt(gram(0, 0));
  for (Eigen::Index k = 1; k < q; ++k) {
    const auto lower = chol.topLeftCorner(k, k).triangularView<Eigen::Lower>();
    const Eigen::VectorXd y = lower.solve(gram.col(k).head(k));
    const double residual = gram(k, k) - y.squaredNorm();
    if (residual > 1e-9) {
      chol.row(k).head(k) = y.transpose();
      chol(k, k) = std::sqrt(residual);
      continue;
    }
    // Name only the columns that enter the combination.
    const Eigen::VectorXd b = lower.transpose().solve(y);
    std::vector<std::string> parts;
    for (Eigen::Index j = 0; j < k; ++j)
      if (std::abs(b[j]) > 1e-6) parts.push_back(names[static_cast<std::size_t>(j)]);
    throw Error(ErrorCode::kBadInput,
                fmt::format("{}: covariate '{}' is a linear combination of the intercept{}{}; "
                            "remove it from --common-causes",
                            source, names[static_cast<std::size_t>(k)],
                            parts.empty() ? "" : " and ", fmt::join(parts, ", ")));
  }
}

}  // namespace

void encode_covariates(const Table& table, const std::vector<std::string>& names,
                       const std::vector<std::uint32_t>& rows, AnalysisData& data) {
  std::vector<Candidate> kept;
  std::vector<std::vector<std::string>> level_names;  // per reference level, its siblings
  std::map<std::string, std::string> origin;          // encoded name -> the column it comes from
  for (const auto& name : names) {
    const Column& col = *table.find(name);
    const std::size_t references = data.reference_levels.size();
    auto candidates = col.kind == ColumnKind::kCategorical
                          ? encode_categorical(table, col, rows, data)
                          : encode_numeric(col, rows, data);
    if (data.reference_levels.size() > references) {
      level_names.emplace_back();
      for (const auto& c : candidates) level_names.back().push_back(c.name);
    }
    if (candidates.empty() || (candidates.size() == 1 && is_constant(candidates[0].values))) {
      data.warnings.push_back(
          fmt::format("{}: constant (1 distinct value, {}) in the rows used; "
                      "dropped from the covariates",
                      name, rows.empty() ? "-" : col.label(rows[0])));
      continue;
    }
    for (auto& c : candidates) {
      // A level is named "column=level": a column called that would make two covariates with
      // one name, and every table and model would confuse them.
      if (const auto [it, fresh] = origin.try_emplace(c.name, name); !fresh)
        throw Error(ErrorCode::kBadInput,
                    fmt::format("{}: two covariates would be called '{}', one from column '{}' "
                                "and one from column '{}' (a text column's levels are named "
                                "column=level); rename one of the columns",
                                table.source, c.name, it->second, name));
      check_scale(c.values, "'" + c.name + "'", rows, table);
      auto same = std::find_if(kept.begin(), kept.end(),
                               [&](const Candidate& k) { return k.values == c.values; });
      if (same != kept.end()) {
        data.warnings.push_back(
            fmt::format("{}: identical to {}; dropped from the covariates", c.name, same->name));
        continue;
      }
      kept.push_back(std::move(c));
    }
  }
  check_linear_independence(kept, data, table.source);
  const auto n = static_cast<Eigen::Index>(rows.size());
  data.x.resize(n, static_cast<Eigen::Index>(kept.size()));
  constexpr Eigen::Index kBlock = 1 << 16;  // the threads share the copy and its page faults
#pragma omp parallel for schedule(static) if (n >= 200000)
  for (Eigen::Index start = 0; start < n; start += kBlock)
    for (std::size_t j = 0; j < kept.size(); ++j)
      data.x.col(static_cast<Eigen::Index>(j)).segment(start, std::min(kBlock, n - start)) =
          kept[j].values.segment(start, std::min(kBlock, n - start));
  for (std::size_t j = 0; j < kept.size(); ++j) {
    data.x_names.push_back(kept[j].name);
    data.x_value_labels.push_back(kept[j].value_labels);
  }
  // Resolve each reference level's sibling columns; one whose levels were not all kept (a
  // duplicate dropped) cannot be reconstructed and is left out.
  std::vector<AnalysisData::ReferenceLevel> resolved;
  for (std::size_t r = 0; r < data.reference_levels.size(); ++r) {
    auto ref = data.reference_levels[r];
    for (const auto& n : level_names[r]) {
      const auto it = std::find(data.x_names.begin(), data.x_names.end(), n);
      if (it == data.x_names.end()) break;
      ref.columns.push_back(static_cast<std::size_t>(it - data.x_names.begin()));
    }
    if (!level_names[r].empty() && ref.columns.size() == level_names[r].size())
      resolved.push_back(std::move(ref));
  }
  data.reference_levels = std::move(resolved);
}

}  // namespace causeway
