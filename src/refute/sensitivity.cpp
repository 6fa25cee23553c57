#include "causeway/refute/sensitivity.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>

#include "causeway/learn/ols.h"
#include "estimate/method.h"

namespace causeway {
namespace {

double normal_upper_tail(double z) {
  return 0.5 * std::erfc(z / std::sqrt(2.0));
}

// Quantile of Student's t with `dof` degrees of freedom: the normal quantile with the
// Cornish-Fisher corrections up to 1/dof^4 (error below 1e-4 from 5 degrees of freedom up).
double t_quantile(double p, double dof) {
  // Normal quantile by bisection on erfc: plenty for the few calls made here.
  double lo = -40, hi = 40;
  for (int i = 0; i < 200; ++i) {
    const double mid = (lo + hi) / 2;
    (1 - normal_upper_tail(mid) < p ? lo : hi) = mid;
  }
  const double z = (lo + hi) / 2, z2 = z * z;
  const double g1 = (z2 + 1) * z / 4;
  const double g2 = ((5 * z2 + 16) * z2 + 3) * z / 96;
  const double g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384;
  const double g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160;
  return z + g1 / dof + g2 / (dof * dof) + g3 / std::pow(dof, 3) + g4 / std::pow(dof, 4);
}

// (sqrt(f^4 + 4 f^2) - f^2) / 2, written without the difference of two near-equal numbers,
// which would lose every digit when f is huge (an outcome the covariates fix exactly).
double rv_from_f(double f) {
  if (f <= 0) return 0;
  const double f2 = f * f;
  return 2 * f2 / (std::sqrt(f2 * f2 + 4 * f2) + f2);
}

std::optional<EValue> e_value(const AnalysisData& d, const Estimate& e) {
  EValue out;
  double treated_mean = 0, control_mean = 0;
  for (Eigen::Index i = 0; i < d.y.size(); ++i)
    (d.t[i] == 1 ? treated_mean : control_mean) += d.y[i];
  treated_mean /= std::max<double>(1.0, static_cast<double>(d.n_treated));
  control_mean /= std::max<double>(1.0, static_cast<double>(d.n_control));
  std::function<double(double)> to_rr;
  if (d.binary_outcome) {
    // Baseline risk, E[Y(0)] in the target population: the treated's risk less the ATT; the
    // controls' own risk for the ATC; for the ATE, the overall risk less the effect times the
    // treated share (the ATE standing in for the ATT there).
    const double share = static_cast<double>(d.n_treated) / static_cast<double>(d.rows());
    const double overall = share * treated_mean + (1 - share) * control_mean;
    const double base = e.target == Target::kAtt   ? treated_mean - e.estimate
                        : e.target == Target::kAtc ? control_mean
                                                   : overall - share * e.estimate;
    if (!(base > 0 && base < 1)) return std::nullopt;
    to_rr = [base](double diff) { return std::clamp(base + diff, 1e-6, 1.0) / base; };
    out.scale = fmt::format("risk ratio ({:.4g} + effect) / {:.4g}, from the baseline risk {:.4g}",
                            base, base, base);
  } else {
    const double mean = d.y.mean();
    const double sd = std::sqrt((d.y.array() - mean).square().sum() /
                                std::max<double>(1.0, static_cast<double>(d.rows()) - 1));
    if (!(sd > 0)) return std::nullopt;
    to_rr = [sd](double diff) { return std::exp(0.91 * diff / sd); };
    out.scale = fmt::format(
        "approximate risk ratio exp(0.91 d), d = effect / SD of the outcome ({:.4g})", sd);
  }
  out.risk_ratio = to_rr(e.estimate);
  out.e_value = e_value_for_risk_ratio(out.risk_ratio);
  const double lo = to_rr(e.ci_low), hi = to_rr(e.ci_high);
  out.e_value_ci = (lo <= 1 && hi >= 1) ? 1.0 : e_value_for_risk_ratio(lo > 1 ? lo : hi);
  return out;
}

// Partial R^2 of each column of x (in the regression `design` = [1, (t,) x] at offset `first`).
std::vector<double> partial_r2(const Eigen::MatrixXd& design, const Eigen::VectorXd& y,
                               Eigen::Index first, double& dof) {
  auto fit = fit_ols(design, y);
  if (!fit.ok()) return {};
  dof = static_cast<double>(design.rows() - design.cols());
  std::vector<double> out;
  for (Eigen::Index j = first; j < design.cols(); ++j) {
    const double t = fit.value().coef[j] / fit.value().se_classical[j];
    out.push_back(t * t / (t * t + dof));
  }
  return out;
}

std::optional<RobustnessValue> robustness(const AnalysisData& d, double alpha) {
  const Eigen::Index n = d.x.rows(), p = d.x.cols();
  Eigen::MatrixXd outcome_design(n, p + 2);
  outcome_design.col(0).setOnes();
  outcome_design.col(1) = d.t;
  outcome_design.rightCols(p) = d.x;
  auto fit = fit_ols(outcome_design, d.y);
  if (!fit.ok() || n - p - 2 < 2) return std::nullopt;
  RobustnessValue rv;
  rv.dof = static_cast<double>(n - p - 2);
  const double estimate = fit.value().coef[1], se = fit.value().se_classical[1];
  if (!(se > 0)) return std::nullopt;
  rv.t_statistic = estimate / se;
  rv.partial_r2 = rv.t_statistic * rv.t_statistic / (rv.t_statistic * rv.t_statistic + rv.dof);
  rv.rv = robustness_value(rv.t_statistic, rv.dof);
  rv.rv_alpha = robustness_value(rv.t_statistic, rv.dof, alpha);
  if (p == 0) return rv;
  double dof_y = 0, dof_t = 0;
  const std::vector<double> r2y = partial_r2(outcome_design, d.y, 2, dof_y);
  Eigen::MatrixXd treatment_design(n, p + 1);
  treatment_design.col(0).setOnes();
  treatment_design.rightCols(p) = d.x;
  const std::vector<double> r2d = partial_r2(treatment_design, d.t, 1, dof_t);
  if (r2y.size() != static_cast<std::size_t>(p) || r2d.size() != static_cast<std::size_t>(p))
    return rv;
  // The bias a confounder k times as strong as covariate j (with both) would leave, as a
  // multiple of the estimate; the k where it reaches 1 erases the estimate.
  const auto bias_share = [&](double k, double r2dxj, double r2yxj) -> double {
    const double r2dz = k * r2dxj / (1 - r2dxj);
    const double r2zxj = k * r2dxj * r2dxj / ((1 - k * r2dxj) * (1 - r2dxj));
    if (!(r2dz < 1) || !(r2zxj < 1) || k * r2dxj >= 1) return INFINITY;
    const double eta = (std::sqrt(k) + std::sqrt(r2zxj)) / std::sqrt(1 - r2zxj);
    const double r2yz = std::min(1.0, eta * eta * r2yxj / (1 - r2yxj));
    const double bias = se * std::sqrt(rv.dof) * std::sqrt(r2yz * r2dz / (1 - r2dz));
    return bias / std::abs(estimate);
  };
  for (Eigen::Index j = 0; j < p; ++j) {
    Benchmark b;
    b.covariate = d.x_names[static_cast<std::size_t>(j)];
    b.r2_treatment = r2d[static_cast<std::size_t>(j)];
    b.r2_outcome = r2y[static_cast<std::size_t>(j)];
    if (b.r2_treatment > 0 && b.r2_outcome > 0 && b.r2_treatment < 1 && b.r2_outcome < 1) {
      double lo = 0, hi = 1 / b.r2_treatment;  // beyond hi, k r2dxj >= 1: impossible
      if (bias_share(hi * (1 - 1e-9), b.r2_treatment, b.r2_outcome) >= 1) {
        for (int i = 0; i < 200; ++i) {
          const double mid = (lo + hi) / 2;
          (bias_share(mid, b.r2_treatment, b.r2_outcome) >= 1 ? hi : lo) = mid;
        }
        b.k_erase = hi;
      }
    }
    rv.benchmarks.push_back(b);
  }
  return rv;
}

}  // namespace

double e_value_for_risk_ratio(double rr) {
  if (!(rr > 0)) return INFINITY;
  if (rr < 1) rr = 1 / rr;
  return rr + std::sqrt(rr * (rr - 1));
}

double robustness_value(double t_statistic, double dof, double alpha) {
  const double f = std::abs(t_statistic) / std::sqrt(dof);
  if (alpha >= 1) return rv_from_f(f);
  const double critical = t_quantile(1 - alpha / 2, dof - 1) / std::sqrt(dof - 1);
  return rv_from_f(f - critical);
}

double rosenbaum_p_value(const std::vector<double>& differences, double gamma) {
  std::vector<double> d;
  for (double x : differences)
    if (x != 0) d.push_back(x);
  if (d.empty()) return 1.0;
  std::vector<std::size_t> order(d.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return std::abs(d[a]) < std::abs(d[b]); });
  std::vector<double> rank(d.size());
  for (std::size_t i = 0; i < order.size();) {  // average ranks over ties
    std::size_t j = i;
    while (j + 1 < order.size() && std::abs(d[order[j + 1]]) == std::abs(d[order[i]])) ++j;
    for (std::size_t k = i; k <= j; ++k) rank[order[k]] = (static_cast<double>(i + j) + 2) / 2;
    i = j + 1;
  }
  double t = 0, sum = 0, sum_sq = 0;
  for (std::size_t i = 0; i < d.size(); ++i) {
    t += d[i] > 0 ? rank[i] : 0;
    sum += rank[i];
    sum_sq += rank[i] * rank[i];
  }
  const double q = gamma / (1 + gamma);
  const double mean = q * sum, var = q * (1 - q) * sum_sq;
  return normal_upper_tail((t - mean) / std::sqrt(var));
}

double rosenbaum_gamma(const std::vector<double>& differences, double alpha) {
  if (rosenbaum_p_value(differences, 1.0) > alpha) return 1.0;
  double lo = 1, hi = 2;
  while (rosenbaum_p_value(differences, hi) <= alpha && hi < 1e6) lo = hi, hi *= 2;
  for (int i = 0; i < 100; ++i) {
    const double mid = (lo + hi) / 2;
    (rosenbaum_p_value(differences, mid) <= alpha ? lo : hi) = mid;
  }
  return lo;
}

Sensitivity sensitivity(const AnalysisData& data, const std::string& method,
                        const Estimate& estimate, const EstimateOptions& options) {
  Sensitivity s;
  s.e_value = e_value(data, estimate);
  // The robustness value reads the linear regression that adjusts for the common causes: it
  // speaks for the methods that adjust for them, not for front-door, instrumental or naive ones.
  if (method != "naive" && method != "frontdoor" && method != "iv")
    s.robustness = robustness(data, 0.05);
  const MatchingOptions& m = options.matching;
  if (method == "matching" && (m.replace || m.k != 1 || options.target == Target::kAte)) {
    s.notes.push_back(
        "Rosenbaum bounds not computed: they assume disjoint matched pairs (1:1 matching without "
        "replacement, for the ATT or the ATC); here units serve in several pairs or sets, and the "
        "signed-rank test would count the same unit's outcome as independent evidence again and "
        "again");
  } else if (method == "matching") {
    std::vector<double> diffs;
    auto pm = fit_propensity(data, propensity_options(options));
    if (pm.ok()) {
      try {
        estimate_matching({data, &pm.value(), options, &diffs});
        if (estimate.estimate < 0)
          for (double& x : diffs) x = -x;  // test in the direction of the estimate
        const double p1 = rosenbaum_p_value(diffs, 1.0);
        if (p1 <= 0.05)
          s.rosenbaum_gamma = rosenbaum_gamma(diffs, 0.05);
        else
          s.notes.push_back(fmt::format(
              "Rosenbaum bounds: the matched differences are not significant even without hidden "
              "bias (signed-rank p = {:.2g} at Gamma = 1), so there is no Gamma to report",
              p1));
      } catch (const Error& e) {
        s.notes.push_back(std::string("Rosenbaum bounds not computed: ") + e.what());
      }
    }
  }
  return s;
}

}  // namespace causeway
