#include "learn/separation.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "core/parallel.h"
#include "core/text.h"

namespace causeway {
namespace {

std::string first_names(const AnalysisData& data, const std::vector<std::size_t>& rows) {
  return list_first(rows.size(), 5, [&](std::size_t k) { return data.row_name(rows[k]); });
}

double at(const AnalysisData& data, std::size_t r, std::size_t j) {
  return data.x(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(j));
}
double arm(const AnalysisData& data, std::size_t r) {
  return data.t[static_cast<Eigen::Index>(r)];
}

// A value of a two-valued covariate that occurs in one arm only.
bool scan_binary(const AnalysisData& data, const std::vector<std::uint32_t>& rows, std::size_t j,
                 double v0, double v1, SeparationFinding& out) {
  for (double v : {v0, v1}) {
    std::vector<std::size_t> subset;
    std::size_t treated = 0;
    for (std::size_t r : rows)
      if (at(data, r, j) == v) subset.push_back(r), treated += arm(data, r) == 1.0;
    if (subset.empty() || (treated != 0 && treated != subset.size())) continue;
    const bool all_treated = treated == subset.size();
    const auto& labels = data.x_value_labels[j];
    const std::string label =
        labels[v == 1.0].empty() ? fmt::format("{} = {}", data.x_names[j], v) : labels[v == 1.0];
    out.covariate = label;
    out.column = j;
    out.value = v;
    out.rows = subset;
    out.fixed_score = all_treated ? 1.0 : 0.0;
    out.message = fmt::format(
        "separation: {} occurs only among {} units ({} of {}: {}), so their propensity is {}",
        label, all_treated ? "treated" : "control", subset.size(), counted(subset.size(), "row"),
        first_names(data, subset), all_treated ? "1" : "0");
    return true;
  }
  return false;
}

// A covariate whose range in one arm lies strictly beyond the other's.
bool scan_range(const AnalysisData& data, const std::vector<std::uint32_t>& rows, std::size_t j,
                SeparationFinding& out) {
  const double inf = std::numeric_limits<double>::infinity();
  double lo[2] = {inf, inf}, hi[2] = {-inf, -inf};
  const bool parallel = rows.size() >= kParallelRows;
  // clang-format off
#pragma omp parallel for schedule(static) reduction(min : lo[:2]) reduction(max : hi[:2]) \
    if (parallel)
  // clang-format on
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const std::size_t r = rows[i];
    const int a = arm(data, r) == 1.0;
    const double v = at(data, r, j) + 0.0;  // -0 as 0: which of two equal ends wins is not fixed
    lo[a] = std::min(lo[a], v);
    hi[a] = std::max(hi[a], v);
  }
  if (!(hi[1] < lo[0] || hi[0] < lo[1])) return false;
  out.covariate = data.x_names[j];
  out.column = j;
  out.treated_high = hi[0] < lo[1];
  out.value = out.treated_high ? (hi[0] + lo[1]) / 2 : (hi[1] + lo[0]) / 2;
  out.rows.assign(rows.begin(), rows.end());
  out.fixed_score = NAN;  // per row: 1 for treated, 0 for control
  out.message = fmt::format(
      "separation: '{}' separates the arms completely (treated {:.6g} to {:.6g}, control {:.6g} to "
      "{:.6g}), so "
      "every propensity is 0 or 1 and no treated unit is comparable to a control",
      data.x_names[j], lo[1], hi[1], lo[0], hi[0]);
  return true;
}

// A categorical's reference level (all its sibling columns 0) that occurs in one arm only.
bool scan_reference_levels(const AnalysisData& data, const std::vector<std::uint32_t>& rows,
                           const std::vector<std::size_t>& cols, SeparationFinding& out) {
  for (const auto& ref : data.reference_levels) {
    // The categorical's columns still in the fit. Once the reference level's rows leave it, one
    // of its siblings leaves with them and its level is the reference: the rows where every
    // column still in the fit is 0 are then that level's, and are checked the same way.
    std::vector<std::size_t> active, gone;
    for (std::size_t c : ref.columns)
      (std::find(cols.begin(), cols.end(), c) != cols.end() ? active : gone).push_back(c);
    if (active.empty()) continue;
    std::vector<std::size_t> subset;
    std::size_t treated = 0;
    for (std::size_t r : rows) {
      const bool reference = std::all_of(active.begin(), active.end(),
                                         [&](std::size_t c) { return at(data, r, c) == 0.0; });
      if (reference) subset.push_back(r), treated += arm(data, r) == 1.0;
    }
    if (subset.empty() || subset.size() == rows.size() ||
        (treated != 0 && treated != subset.size()))
      continue;
    const bool all_treated = treated == subset.size();
    // The levels the rows hold: the reference, or the levels of columns that left the fit.
    std::vector<std::string> levels;
    const auto holds = [&](std::size_t c) {
      return std::any_of(subset.begin(), subset.end(),
                         [&](std::size_t r) { return at(data, r, c) != 0.0; });
    };
    const bool reference_rows = std::any_of(subset.begin(), subset.end(), [&](std::size_t r) {
      return std::all_of(gone.begin(), gone.end(),
                         [&](std::size_t c) { return at(data, r, c) == 0.0; });
    });
    if (reference_rows) levels.push_back(ref.name);
    for (std::size_t c : gone)
      if (holds(c)) levels.push_back(data.x_names[c]);
    for (std::string& level : levels) level.replace(level.find('='), 1, " = ");
    out = SeparationFinding{};
    out.covariate = fmt::format("{}", fmt::join(levels, " or "));
    out.column = active.front();
    out.rows = subset;
    out.fixed_score = all_treated ? 1.0 : 0.0;
    out.all_zero_columns = active;
    out.message = fmt::format(
        "separation: {} occurs only among {} units ({} of {}: {}), so their propensity is {}",
        out.covariate, all_treated ? "treated" : "control", subset.size(),
        counted(subset.size(), "row"), first_names(data, subset), all_treated ? "1" : "0");
    return true;
  }
  return false;
}

bool find_one(const AnalysisData& data, const std::vector<std::uint32_t>& rows,
              const std::vector<std::size_t>& cols, SeparationFinding& out) {
  if (scan_reference_levels(data, rows, cols, out)) return true;
  for (std::size_t j : cols) {
    double v0 = at(data, rows[0], j), v1 = v0;
    bool two_valued = true;
    for (std::size_t r : rows) {
      const double v = at(data, r, j);
      if (v == v0 || v == v1) continue;
      if (v1 == v0)
        v1 = v;
      else {
        two_valued = false;
        break;
      }
    }
    if (v0 == v1) continue;
    if (two_valued ? scan_binary(data, rows, j, std::min(v0, v1), std::max(v0, v1), out)
                   : scan_range(data, rows, j, out))
      return true;
  }
  return false;
}

std::vector<std::size_t> non_constant(const AnalysisData& data,
                                      const std::vector<std::uint32_t>& rows,
                                      const std::vector<std::size_t>& cols) {
  std::vector<std::size_t> out;
  for (std::size_t j : cols) {
    bool varies = false;
    for (std::size_t r : rows) varies = varies || at(data, r, j) != at(data, rows[0], j);
    if (varies) out.push_back(j);
  }
  return out;
}

// The columns of `cols` that add a direction to the intercept and the columns kept before them,
// over `rows` (in order: the first of a dependent set stays). Once separated rows leave the fit,
// columns independent over all rows can become dependent (LaLonde's nodegree is a sum of educ
// levels once educ's reference level is gone): the fit would have a flat direction.
std::vector<std::size_t> independent(const AnalysisData& data,
                                     const std::vector<std::uint32_t>& rows,
                                     const std::vector<std::size_t>& cols) {
  const auto n = static_cast<Eigen::Index>(rows.size());
  std::vector<Eigen::VectorXd> basis = {Eigen::VectorXd::Constant(n, 1.0 / std::sqrt(n))};
  std::vector<std::size_t> out;
  for (std::size_t j : cols) {
    Eigen::VectorXd v(n);
    for (Eigen::Index i = 0; i < n; ++i) v[i] = at(data, rows[static_cast<std::size_t>(i)], j);
    const double norm = v.norm();
    for (int pass = 0; pass < 2; ++pass)  // twice: Gram-Schmidt keeps its digits
      for (const auto& b : basis) v -= b.dot(v) * b;
    if (!(v.norm() > 1e-9 * norm)) continue;
    basis.push_back(v / v.norm());
    out.push_back(j);
  }
  return out;
}

std::vector<std::uint32_t> all_rows(std::size_t n) {
  std::vector<std::uint32_t> rows(n);
  std::iota(rows.begin(), rows.end(), 0);
  return rows;
}

}  // namespace

SeparationScan scan_separation(const AnalysisData& data, bool fix) {
  SeparationScan scan;
  scan.active_rows = all_rows(data.rows());
  for (std::size_t j = 0; j < static_cast<std::size_t>(data.x.cols()); ++j)
    scan.active_cols.push_back(j);
  SeparationFinding finding;
  while (!scan.active_rows.empty() && find_one(data, scan.active_rows, scan.active_cols, finding)) {
    scan.findings.push_back(finding);
    if (!fix) {
      // Report each covariate once: continue the scan without it.
      std::erase(scan.active_cols, finding.column);
      if (scan.findings.size() > 20) break;
      continue;
    }
    std::vector<bool> fixed(data.rows(), false);
    for (std::size_t r : finding.rows) fixed[r] = true;
    std::erase_if(scan.active_rows, [&](std::uint32_t r) { return fixed[r]; });
    // Without its reference rows a categorical's level columns add up to 1 (the intercept): one
    // of them leaves the fit and becomes the reference.
    if (!finding.all_zero_columns.empty()) std::erase(scan.active_cols, finding.column);
    if (scan.active_rows.empty())
      scan.active_cols.clear();  // nothing left to fit
    else
      scan.active_cols = independent(data, scan.active_rows,
                                     non_constant(data, scan.active_rows, scan.active_cols));
  }
  if (!fix) {
    scan.active_rows.clear();
    scan.active_rows = all_rows(data.rows());
    scan.active_cols.clear();
    for (std::size_t j = 0; j < static_cast<std::size_t>(data.x.cols()); ++j)
      scan.active_cols.push_back(j);
  }
  return scan;
}

}  // namespace causeway
