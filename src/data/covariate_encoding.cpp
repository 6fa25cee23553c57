#include "data/covariate_encoding.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "core/block_sums.h"
#include "core/text.h"
#include "data/value_parse.h"

namespace causeway {
namespace {

// One-hot columns per categorical covariate: beyond this the fits slow to minutes and the
// estimate rests on levels with a handful of rows each.
constexpr std::size_t kMaxLevels = 1000;

// A column's sum and largest magnitude.
struct Moments {
  double sum = 0, largest = 0;
  void add(double v) { sum += v, largest = std::max(largest, std::abs(v)); }
  Moments& operator+=(const Moments& o) {
    sum += o.sum, largest = std::max(largest, o.largest);
    return *this;
  }
};

// One column the covariate matrix may take. Its values are the table column's own where no row is
// dropped and the column is numbers (no copy: a wide table is not held three times over while
// it is encoded), its own `owned` vector otherwise.
struct Candidate {
  Candidate(std::string name, Eigen::VectorXd owned_values)
      : name(std::move(name)),
        owned(std::move(owned_values)),
        data(owned.data()),
        size(owned.size()) {}
  Candidate(std::string name, const double* column, Eigen::Index rows)
      : name(std::move(name)), data(column), size(rows) {}
  // A move keeps `owned`'s buffer, where `data` points; a copy would not.
  Candidate(Candidate&&) noexcept = default;
  Candidate(const Candidate&) = delete;

  Eigen::Map<const Eigen::VectorXd> values() const { return {data, size}; }

  std::string name;
  Eigen::VectorXd owned;  // moved with the candidate, its buffer stays where `data` points
  const double* data;
  Eigen::Index size;
  std::array<std::string, 2> value_labels;
  // The sum of the values (by blocks: the same on any thread count) and their largest magnitude,
  // found as the column was encoded, for the checks that would otherwise read it again.
  Moments moments;
};

// Yes/no (or true/false) words in every row but at most one in 1,000: more likely typos than a
// level of their own. The warning naming the first such value, or "". `count` and `first` give
// each level's rows and first row (index into `rows`).
std::string stray_levels(const Table& table, const Column& col, const RowMap& rows,
                         const std::set<std::size_t>& present,
                         const std::vector<std::size_t>& count,
                         const std::vector<std::size_t>& first, std::size_t reference) {
  std::size_t words = 0, others = 0, odd = 0;
  bool seen[2] = {false, false};
  for (std::size_t level : present)
    if (const int b = parse_bool_text(col.levels[level]); b >= 0)
      seen[b] = true, words += count[level];
    else if (others++ == 0 || first[level] < first[odd])
      odd = level;
  const std::size_t strays = rows.size() - words;
  if (!seen[0] || !seen[1] || others == 0 || rows.size() < 1000 || strays * 1000 > rows.size())
    return "";
  return fmt::format(
      "covariate '{}' is a yes/no (true/false) column in every row but {} ('{}' in {}{}): {}? "
      "The column is read as categorical, with '{}' as its reference level; fix the values if "
      "they are mistakes",
      col.name, counted(strays, "row"), col.levels[odd], table.row_name(rows[first[odd]]),
      strays > 1 ? " and others" : "", strays > 1 ? "typos" : "a typo", col.levels[reference]);
}

std::vector<Candidate> encode_categorical(const Table& table, const Column& col, const RowMap& rows,
                                          AnalysisData& data) {
  std::set<std::size_t> present;
  std::vector<std::size_t> count(col.levels.size(), 0), first(col.levels.size(), 0);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto level = static_cast<std::size_t>(col.values[rows[i]]);
    if (count[level]++ == 0) present.insert(level), first[level] = i;
  }
  if (rows.size() > 10 && present.size() * 2 > rows.size())
    throw Error(ErrorCode::kBadInput,
                fmt::format("{}: column '{}' looks like an identifier ({} distinct values in {} "
                            "rows); it cannot be a common cause{}",
                            table.source, col.name, present.size(), rows.size(),
                            col.forced_categorical
                                ? " as levels (--categorical); leave it out of --categorical to "
                                  "use it as a number"
                                : ""));
  if (present.size() > kMaxLevels)
    throw Error(ErrorCode::kBadInput,
                fmt::format("{}: column '{}' has {} levels, more than the {} a common cause may "
                            "have; group rare levels or leave the column out",
                            table.source, col.name, present.size(), kMaxLevels));
  std::vector<Candidate> out;
  if (present.size() < 2) return out;
  const std::size_t reference = *present.begin();
  // level names as printed (a line break in one shown as \n, not breaking the line)
  const auto shown = [&col](std::size_t level) { return printable(col.levels[level], 0, false); };
  std::string levels;
  for (std::size_t level : present) {
    levels += (levels.empty() ? "" : ", ") + shown(level);
    if (level == reference) continue;
    Eigen::VectorXd one_hot(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i)
      one_hot[static_cast<Eigen::Index>(i)] =
          static_cast<std::size_t>(col.values[rows[i]]) == level ? 1.0 : 0.0;
    Candidate c(col.name + "=" + col.levels[level], std::move(one_hot));
    c.moments = {static_cast<double>(count[level]), 1.0};
    c.value_labels[1] = col.name + " = " + shown(level);
    c.value_labels[0] = present.size() == 2 ? col.name + " = " + shown(reference)
                                            : col.name + " != " + shown(level);
    out.push_back(std::move(c));
  }
  data.encoding.push_back(fmt::format("{}: categorical, reference = {} (levels {})", col.name,
                                      shown(reference), levels));
  if (std::string w = stray_levels(table, col, rows, present, count, first, reference); !w.empty())
    data.warnings.push_back(std::move(w));
  // Its columns are found once the kept covariates are known (see encode_covariates).
  data.reference_levels.push_back({col.name + "=" + col.levels[reference], {}});
  return out;
}

std::vector<Candidate> encode_numeric(const Column& col, const RowMap& rows, AnalysisData& data) {
  const std::size_t n = rows.size();
  const bool whole = rows.identity();  // every row: the column's own values serve
  Eigen::VectorXd copy(whole ? 0 : n);
  // Whether every value is an integer, and each larger than the one before; the moments.
  struct Scan {
    bool integers = true, increasing = true;
    Moments moments;
    Scan& operator+=(const Scan& o) {
      integers = integers && o.integers, increasing = increasing && o.increasing;
      moments += o.moments;
      return *this;
    }
  };
  const Scan scan = block_sums<Scan>(n, [&](std::size_t i, Scan& s) {
    const double v = col.values[rows[i]];
    if (!whole) copy[static_cast<Eigen::Index>(i)] = v;
    s.integers = s.integers && v == std::floor(v);
    s.increasing = s.increasing && (i == 0 || v > col.values[rows[i - 1]]);
    s.moments.add(v);
  });
  const bool integers = scan.integers, increasing = n > 20 && scan.increasing && integers;
  Candidate c = whole ? Candidate(col.name, col.values.data(), static_cast<Eigen::Index>(n))
                      : Candidate(col.name, std::move(copy));
  c.moments = scan.moments;
  if (col.kind == ColumnKind::kBoolean)
    c.value_labels = {col.name + " = " + col.levels[0], col.name + " = " + col.levels[1]};
  std::vector<double> distinct;  // up to 12
  for (std::size_t i = 0; i < n && distinct.size() < 12; ++i)
    if (std::find(distinct.begin(), distinct.end(), c.data[i]) == distinct.end())
      distinct.push_back(c.data[i]);
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
  std::vector<Candidate> out;
  out.push_back(std::move(c));
  return out;
}

}  // namespace

void check_scale(const Eigen::Ref<const Eigen::VectorXd>& values, const std::string& name,
                 const RowMap& rows, const Table& table) {
  const auto [low, high] = value_range(values.data(), static_cast<std::size_t>(values.size()));
  check_scale(std::max(std::abs(low), std::abs(high)), values, name, rows, table);
}

void check_scale(double largest, const Eigen::Ref<const Eigen::VectorXd>& values,
                 const std::string& name, const RowMap& rows, const Table& table) {
  const Eigen::Index n = values.size();
  if (largest > kLargestValue)
    for (Eigen::Index i = 0; i < n; ++i)  // the first such row, for the message
      if (std::abs(values[i]) > kLargestValue)
        throw Error(ErrorCode::kBadInput,
                    fmt::format("{}: {} holds {} in {}; values beyond 1e50 overflow the "
                                "arithmetic, so rescale the column (e.g. divide by 1e6)",
                                table.source, name, values[i],
                                table.row_name(rows[static_cast<std::size_t>(i)])));
  if (largest > 0 && largest < kSmallestScale)
    throw Error(ErrorCode::kBadInput,
                fmt::format("{}: {} holds no value larger than {:.3g} in magnitude; values this "
                            "small underflow the arithmetic, so rescale the column (e.g. multiply "
                            "by 1e6)",
                            table.source, name, largest));
}

std::string stray_codes(const Eigen::Ref<const Eigen::VectorXd>& values, const std::string& name,
                        const std::string& read_as, const RowMap& rows, const Table& table,
                        bool* binary) {
  const auto n = static_cast<std::size_t>(values.size());
  // Past this many other values the column is no 0/1 column with typos: a block stops counting
  // there, so a column of measurements costs a few thousand reads, not a pass.
  const std::size_t limit = n < 1000 ? 0 : n / 1000;
  const std::size_t blocks = (n + kSumBlockRows - 1) / kSumBlockRows;
  std::vector<std::size_t> count(blocks, 0), first(blocks, n);
  const auto stray = [&values](std::size_t i) {  // no branch: 0 or 1 is unpredictable
    const double v = values[static_cast<Eigen::Index>(i)];
    return (v != 0.0) & (v != 1.0);
  };
#pragma omp parallel for schedule(static) if (n >= kParallelRows)
  for (std::size_t b = 0; b < blocks; ++b)
    for (std::size_t at = b * kSumBlockRows; at < std::min(n, (b + 1) * kSumBlockRows);) {
      // Counted 256 rows at a time; the first is looked for only in a stretch that has one.
      const std::size_t stop = std::min({n, (b + 1) * kSumBlockRows, at + 256});
      std::size_t here = 0;
      for (std::size_t i = at; i < stop; ++i) here += stray(i);
      if (here > 0 && count[b] == 0)
        for (std::size_t i = at; first[b] == n; ++i)
          if (stray(i)) first[b] = i;
      count[b] += here;
      if (count[b] > limit) break;
      at = stop;
    }
  std::size_t strays = 0, at = n;
  for (std::size_t b = 0; b < blocks; ++b) {  // in block order: the same on any thread count
    strays += count[b];
    if (at == n) at = first[b];
  }
  if (binary) *binary = strays == 0;
  if (n < 1000 || strays == 0 || strays > limit) return "";
  return fmt::format(
      "{} is 0 or 1 in every row but {} ({} in {}{}): {}? The column is read as numbers, {}; fix "
      "the values if they are mistakes",
      name, strays, values[static_cast<Eigen::Index>(at)], table.row_name(rows[at]),
      strays > 1 ? " and others" : "", strays > 1 ? "typos" : "a typo", read_as);
}

namespace {

bool is_constant(const Eigen::Ref<const Eigen::VectorXd>& v) {
  return v.size() == 0 || (v.array() == v[0]).all();
}

// Adds to `g` the products of the Q scaled, centred columns over rows [begin, end), one row at a
// time (for a handful of columns this beats a matrix product over a centred copy).
template <int Q>
void few_column_products(const std::vector<Eigen::Map<const Eigen::VectorXd>>& columns,
                         const Eigen::VectorXd& scale, const Eigen::VectorXd& mean,
                         Eigen::Index begin, Eigen::Index end, Eigen::MatrixXd& g) {
  const double* v[Q];
  double sum[Q][Q] = {};
  for (int j = 0; j < Q; ++j) v[j] = columns[static_cast<std::size_t>(j)].data();
  for (Eigen::Index i = begin; i < end; ++i) {
    double z[Q];
    for (int j = 0; j < Q; ++j) z[j] = v[j][i] / scale[j] - mean[j];
    for (int j = 0; j < Q; ++j)
      for (int k = 0; k <= j; ++k) sum[j][k] += z[j] * z[k];
  }
  for (int j = 0; j < Q; ++j)
    for (int k = 0; k <= j; ++k) g(j, k) = g(k, j) = sum[j][k];
}

// The correlation matrix of the columns, given their moments, in one pass over them (the centred
// cross-products, accumulated over blocks of rows so that no centred copy of the whole data is
// made). Each column is scaled to its largest magnitude first, so tiny or huge units cannot
// underflow or overflow the sums.
Eigen::MatrixXd correlation(const std::vector<Eigen::Map<const Eigen::VectorXd>>& columns,
                            const std::vector<Moments>& moments) {
  const Eigen::Index q = static_cast<Eigen::Index>(columns.size());
  const Eigen::Index n = columns[0].size();
  constexpr Eigen::Index kRows = 4096;
  const bool parallel = n >= static_cast<Eigen::Index>(kParallelRows);
  Eigen::VectorXd scale(q), mean(q);
  for (Eigen::Index j = 0; j < q; ++j) {
    const Moments& s = moments[static_cast<std::size_t>(j)];
    scale[j] = s.largest > 0 ? s.largest : 1.0;
    mean[j] = s.sum / static_cast<double>(n) / scale[j];
  }
  // The cross-products over a fixed number of chunks (fewer with many columns, whose partial
  // sums are large), each in blocks of rows; chunk sums added in chunk order.
  const Eigen::Index chunks = std::clamp<Eigen::Index>((Eigen::Index{1} << 22) / (q * q), 1, 64);
  const Eigen::Index chunk_rows = (n + chunks - 1) / chunks;
  std::vector<Eigen::MatrixXd> block_gram(static_cast<std::size_t>(chunks));
#pragma omp parallel for schedule(static) if (parallel)
  for (Eigen::Index c = 0; c < chunks; ++c) {
    Eigen::MatrixXd& g = block_gram[static_cast<std::size_t>(c)];
    g = Eigen::MatrixXd::Zero(q, q);
    const Eigen::Index begin = c * chunk_rows, end = std::min(n, (c + 1) * chunk_rows);
    switch (q) {  // a few columns: products summed row by row, no centred copy
      case 2:
        few_column_products<2>(columns, scale, mean, begin, end, g);
        continue;
      case 3:
        few_column_products<3>(columns, scale, mean, begin, end, g);
        continue;
      case 4:
        few_column_products<4>(columns, scale, mean, begin, end, g);
        continue;
      default:
        break;
    }
    Eigen::MatrixXd z(kRows, q);
    for (Eigen::Index start = c * chunk_rows; start < std::min(n, (c + 1) * chunk_rows);
         start += kRows) {
      const Eigen::Index len = std::min({kRows, n - start, (c + 1) * chunk_rows - start});
      for (Eigen::Index j = 0; j < q; ++j)
        z.col(j).head(len) =
            (columns[static_cast<std::size_t>(j)].segment(start, len).array() / scale[j]) - mean[j];
      g.noalias() += z.topRows(len).transpose() * z.topRows(len);
    }
  }
  Eigen::MatrixXd gram = Eigen::MatrixXd::Zero(q, q);
  for (const auto& g : block_gram) gram += g;
  const Eigen::VectorXd sd = gram.diagonal().cwiseSqrt().cwiseMax(1e-300);
  return sd.cwiseInverse().asDiagonal() * gram * sd.cwiseInverse().asDiagonal();
}

// Greedy rank check on the correlation structure: a column that adds no new direction to the
// intercept and the columns before it is a linear combination of them.
// The treatment is checked as the first column: a covariate that reproduces it (t, 1 - t, or a
// combination with others) leaves no variation to estimate an effect from.
void check_linear_independence(const std::vector<Candidate>& covariates, const AnalysisData& data,
                               const std::string& source) {
  if (covariates.empty()) return;
  std::vector<Eigen::Map<const Eigen::VectorXd>> columns = {{data.t.data(), data.t.size()}};
  std::vector<std::string> names = {"the treatment '" + data.treatment + "'"};
  // the treatment's moments: its sum counts the treated, its values are 0 and 1
  std::vector<Moments> moments = {
      {static_cast<double>(data.n_treated), data.n_treated > 0 ? 1.0 : 0.0}};
  for (const auto& c : covariates)
    columns.push_back(c.values()), names.push_back(c.name), moments.push_back(c.moments);
  const Eigen::MatrixXd gram = correlation(columns, moments);
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
                       const RowMap& rows, AnalysisData& data) {
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
    if (candidates.empty() || (candidates.size() == 1 && is_constant(candidates[0].values()))) {
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
      check_scale(c.moments.largest, c.values(), "'" + c.name + "'", rows, table);
      auto same = std::find_if(kept.begin(), kept.end(),
                               [&](const Candidate& k) { return k.values() == c.values(); });
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
#pragma omp parallel for schedule(static) if (rows.size() >= kParallelRows)
  for (Eigen::Index start = 0; start < n; start += kBlock)
    for (std::size_t j = 0; j < kept.size(); ++j)
      data.x.col(static_cast<Eigen::Index>(j)).segment(start, std::min(kBlock, n - start)) =
          kept[j].values().segment(start, std::min(kBlock, n - start));
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
