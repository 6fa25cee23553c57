#include "causeway/estimate/balance.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "causeway/estimate/estimate.h"
#include "core/block_sums.h"

namespace causeway {
namespace {

// Per arm: unweighted mean and sample variance, weighted mean and variance.
struct ArmMoments {
  double mean[2] = {0, 0}, variance[2] = {0, 0};
  double weighted_mean[2] = {0, 0}, weighted_variance[2] = {0, 0};
  bool binary = true;  // every value is 0 or 1
};

// One pass whatever the arms' order, indexing the sums by arm instead of branching on it, over
// fixed blocks of rows added in block order (the same sums on any number of threads). The values
// are taken less a centre, the mean of up to 1,024 rows spread over the column: sums of squares
// about a point near each arm's mean give its variance without the cancellation that sums of
// raw squares would suffer, and without a second pass about the mean itself.
struct Sums {
  double n[2] = {0, 0}, sum[2] = {0, 0}, ss[2] = {0, 0};
  double sw[2] = {0, 0}, swx[2] = {0, 0}, swss[2] = {0, 0};
  bool binary = true;
  Sums& operator+=(const Sums& o) {
    for (int a = 0; a < 2; ++a) n[a] += o.n[a], sum[a] += o.sum[a], ss[a] += o.ss[a];
    for (int a = 0; a < 2; ++a) sw[a] += o.sw[a], swx[a] += o.swx[a], swss[a] += o.swss[a];
    binary = binary && o.binary;
    return *this;
  }
};

ArmMoments arm_moments(const Eigen::Ref<const Eigen::VectorXd>& x, const Eigen::VectorXd& t,
                       const Eigen::VectorXd& weight) {
  const auto n = static_cast<std::size_t>(x.size());
  const std::size_t stride = std::max<std::size_t>(1, n / 1024);
  double centre = 0;
  std::size_t taken = 0;
  for (std::size_t i = 0; i < n; i += stride) centre += x[static_cast<Eigen::Index>(i)], ++taken;
  if (taken > 0) centre /= static_cast<double>(taken);
  const Sums s = block_sums<Sums>(n, [&](std::size_t i, Sums& p) {
    const int a = t[i] == 1.0;
    const double d = x[i] - centre, w = weight[i];
    p.n[a] += 1, p.sum[a] += d, p.ss[a] += d * d;
    p.sw[a] += w, p.swx[a] += w * d, p.swss[a] += w * d * d;
    p.binary &= x[i] == 0.0 || x[i] == 1.0;
  });
  ArmMoments m;
  m.binary = s.binary;
  for (int a = 0; a < 2; ++a) {
    const double shift = s.n[a] > 0 ? s.sum[a] / s.n[a] : 0;  // the arm's mean less the centre
    const double weighted_shift = s.sw[a] > 0 ? s.swx[a] / s.sw[a] : 0;
    m.mean[a] = s.n[a] > 0 ? centre + shift : 0;
    m.weighted_mean[a] = s.sw[a] > 0 ? centre + weighted_shift : 0;
    m.variance[a] = s.n[a] > 1 ? std::max(0.0, s.ss[a] - s.n[a] * shift * shift) / (s.n[a] - 1) : 0;
    m.weighted_variance[a] =
        s.sw[a] > 0 ? std::max(0.0, s.swss[a] - s.sw[a] * weighted_shift * weighted_shift) / s.sw[a]
                    : 0;
  }
  return m;
}

// `x` by reference: a column of the covariate matrix is read in place, not copied.
BalanceRow balance_row(const std::string& name, const Eigen::Ref<const Eigen::VectorXd>& x,
                       const AnalysisData& data, const Eigen::VectorXd& weight) {
  const ArmMoments m = arm_moments(x, data.t, weight);
  // A 0/1 column's spread is p(1 - p), the usual form for proportions.
  const double vt = m.binary ? m.mean[1] * (1 - m.mean[1]) : m.variance[1];
  const double vc = m.binary ? m.mean[0] * (1 - m.mean[0]) : m.variance[0];
  const double sd = std::sqrt((vt + vc) / 2);
  BalanceRow row;
  row.covariate = name;
  row.mean_treated = m.mean[1];
  row.mean_control = m.mean[0];
  row.smd_before = sd > 0 ? (m.mean[1] - m.mean[0]) / sd : 0;
  row.smd_after = sd > 0 ? (m.weighted_mean[1] - m.weighted_mean[0]) / sd : 0;
  const auto ratio = [](double treated, double control) {
    return control > 0 ? treated / control : NAN;
  };
  row.variance_ratio_before = ratio(vt, vc);
  row.variance_ratio_after = m.binary ? ratio(m.weighted_mean[1] * (1 - m.weighted_mean[1]),
                                              m.weighted_mean[0] * (1 - m.weighted_mean[0]))
                                      : ratio(m.weighted_variance[1], m.weighted_variance[0]);
  return row;
}

}  // namespace

std::vector<BalanceRow> covariate_balance(const AnalysisData& data, const Eigen::VectorXd& weight) {
  std::vector<BalanceRow> rows;
  for (Eigen::Index j = 0; j < data.x.cols(); ++j) {
    for (const auto& ref : data.reference_levels) {  // a reference level just before its siblings
      if (ref.columns.front() != static_cast<std::size_t>(j)) continue;
      Eigen::VectorXd x = Eigen::VectorXd::Ones(data.t.size());
      for (std::size_t c : ref.columns) x -= data.x.col(static_cast<Eigen::Index>(c));
      rows.push_back(balance_row(ref.name, x, data, weight));
    }
    rows.push_back(
        balance_row(data.x_names[static_cast<std::size_t>(j)], data.x.col(j), data, weight));
  }
  return rows;
}

void attach_balance(const AnalysisData& data, const Eigen::VectorXd& weight, Estimate& e) {
  std::string flagged;
  auto& out = e.details["balance"] = nlohmann::json::array();
  for (const auto& r : covariate_balance(data, weight)) {
    out.push_back(
        {{"covariate", r.covariate}, {"smd_before", r.smd_before}, {"smd_after", r.smd_after}});
    if (std::abs(r.smd_after) > kImbalancedSmd)
      flagged +=
          fmt::format("{}{} ({:.3f})", flagged.empty() ? "" : ", ", r.covariate, r.smd_after);
  }
  e.details["balance_denominator"] =
      "sqrt((s_t^2 + s_c^2) / 2) of the unadjusted arms: sample variances (n - 1), p(1 - p) for "
      "0/1 columns";
  if (!flagged.empty())
    e.warnings.push_back(
        fmt::format("covariates still imbalanced after adjustment "
                    "(|standardised mean difference| > 0.1): {}",
                    flagged));
}

}  // namespace causeway
