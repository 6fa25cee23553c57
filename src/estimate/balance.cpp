#include "causeway/estimate/balance.h"

#include <fmt/format.h>

#include <cmath>

#include "causeway/estimate/estimate.h"

namespace causeway {
namespace {

struct Moments {
  double mean = 0, variance = 0;
};

Moments moments(const Eigen::VectorXd& x, const Eigen::VectorXd& t, double arm,
                const Eigen::VectorXd* weight) {
  double sw = 0, swx = 0;
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    if (t[i] != arm) continue;
    const double w = weight ? (*weight)[i] : 1.0;
    sw += w, swx += w * x[i];
  }
  Moments m;
  m.mean = sw > 0 ? swx / sw : 0;
  if (weight) return m;
  double ss = 0;
  for (Eigen::Index i = 0; i < x.size(); ++i)
    if (t[i] == arm) ss += (x[i] - m.mean) * (x[i] - m.mean);
  m.variance = sw > 1 ? ss / (sw - 1) : 0;
  return m;
}

}  // namespace

BalanceRow balance_row(const std::string& name, const Eigen::VectorXd& x, const AnalysisData& data,
                       const Eigen::VectorXd& weight) {
  const Moments t0 = moments(x, data.t, 1.0, nullptr), c0 = moments(x, data.t, 0.0, nullptr);
  const Moments t1 = moments(x, data.t, 1.0, &weight), c1 = moments(x, data.t, 0.0, &weight);
  // A 0/1 column's spread is p(1 - p), the usual form for proportions.
  const bool binary = (x.array() == 0.0 || x.array() == 1.0).all();
  const double vt = binary ? t0.mean * (1 - t0.mean) : t0.variance;
  const double vc = binary ? c0.mean * (1 - c0.mean) : c0.variance;
  const double sd = std::sqrt((vt + vc) / 2);
  BalanceRow row;
  row.covariate = name;
  row.mean_treated = t0.mean;
  row.mean_control = c0.mean;
  row.smd_before = sd > 0 ? (t0.mean - c0.mean) / sd : 0;
  row.smd_after = sd > 0 ? (t1.mean - c1.mean) / sd : 0;
  return row;
}

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
    if (std::abs(r.smd_after) > 0.1)
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
