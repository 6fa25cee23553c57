// The unadjusted comparison and the regression adjustment.
#include <fmt/format.h>

#include <cmath>

#include "causeway/learn/ols.h"
#include "core/text.h"
#include "estimate/method.h"
#include "learn/separation.h"

namespace causeway {
namespace {

struct ArmSummary {
  double mean = 0, variance = 0;
  std::size_t n = 0;
};

// Means and sample variances of both arms in two passes over the rows.
void summarise(const AnalysisData& data, ArmSummary (&arm)[2]) {
  double sum[2] = {0, 0}, sum_sq[2] = {0, 0};
  std::size_t n[2] = {0, 0};
  for (Eigen::Index i = 0; i < data.y.size(); ++i) {
    const int a = data.t[i] == 1.0;
    sum[a] += data.y[i];
    ++n[a];
  }
  for (int a = 0; a < 2; ++a) arm[a].mean = sum[a] / static_cast<double>(n[a]), arm[a].n = n[a];
  for (Eigen::Index i = 0; i < data.y.size(); ++i) {
    const int a = data.t[i] == 1.0;
    const double d = data.y[i] - arm[a].mean;
    sum_sq[a] += d * d;
  }
  for (int a = 0; a < 2; ++a)
    arm[a].variance = n[a] > 1 ? sum_sq[a] / static_cast<double>(n[a] - 1) : 0.0;
}

}  // namespace

Estimate estimate_naive(const MethodInput& in) {
  ArmSummary arm[2];
  summarise(in.data, arm);
  const ArmSummary &treated = arm[1], &control = arm[0];
  Estimate e;
  e.target = in.options.target;
  e.estimand = "difference in mean outcome, treated minus control (no adjustment)";
  e.estimate = treated.mean - control.mean;
  e.se = std::sqrt(treated.variance / static_cast<double>(treated.n) +
                   control.variance / static_cast<double>(control.n));
  e.se_method = "Welch (unequal variances)";
  e.n_treated = treated.n;
  e.n_control = control.n;
  e.answers = "how treated and untreated customers differ";
  e.misses = "why they were treated: confounding is left in";
  e.details["mean_treated"] = treated.mean + in.data.outcome_shift;
  e.details["mean_control"] = control.mean + in.data.outcome_shift;
  set_normal_interval(e);
  return e;
}

namespace {

// Where a covariate separates the arms, the regression still returns a coefficient: the linear
// model's guess across the region where only one arm has units. Said beside the estimate.
void warn_of_extrapolation(const AnalysisData& d, Estimate& e) {
  for (const SeparationFinding& f : scan_separation(d, false).findings)
    e.warnings.push_back(
        std::isnan(f.fixed_score)
            ? fmt::format("'{}' separates the arms completely: no treated unit has a control "
                          "with a like value, so the coefficient is the linear model's "
                          "extrapolation from one arm to the other, not a comparison",
                          f.covariate)
            : fmt::format("{} occurs among {} units only ({}): for those units the "
                          "coefficient is the linear model's extrapolation, not a comparison",
                          f.covariate, f.fixed_score == 1.0 ? "treated" : "control",
                          counted(f.rows.size(), "row")));
}

}  // namespace

Estimate estimate_regression(const MethodInput& in) {
  const AnalysisData& d = in.data;
  Eigen::MatrixXd design(d.x.rows(), d.x.cols() + 2);
  design.col(0).setOnes();
  design.col(1) = d.t;
  design.rightCols(d.x.cols()) = d.x;
  auto fitted = fit_ols(design, d.y);
  if (!fitted.ok()) throw Error(fitted.status().code(), fitted.status().message());
  const OlsFit& fit = fitted.value();
  Estimate e;
  e.target = Target::kAte;
  e.estimand = "ATE under a linear model with a constant effect";
  e.estimate = fit.coef[1];
  e.se = fit.se_hc1[1];
  e.se_method = "HC1 (heteroskedasticity-robust)";
  e.n_treated = d.n_treated;
  e.n_control = d.n_control;
  e.answers = "the effect if outcomes are linear in the common causes";
  e.misses = "effects that vary across customers, non-linear confounding";
  e.details["se_classical"] = fit.se_classical[1];
  e.details["se_hc1"] = fit.se_hc1[1];
  if (in.options.target != Target::kAte)
    e.notes.push_back(
        fmt::format("regression estimates one constant effect; reported as the ATE, "
                    "not the requested {}",
                    target_name(in.options.target)));
  warn_of_extrapolation(d, e);
  set_normal_interval(e);
  return e;
}

}  // namespace causeway
