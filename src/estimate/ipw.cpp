// Normalised inverse propensity weighting. The standard error comes from the influence function
// of the two weighted means stacked with the logistic score equations, so it accounts for the
// propensity model having been estimated (an M-estimation sandwich).
#include <fmt/format.h>

#include <cmath>

#include "estimate/method.h"
#include "estimate/positivity.h"

namespace causeway {
namespace {

// Weight of a unit in its arm's mean, and d log(weight) / d (linear predictor).
struct ArmWeight {
  double w, c;
};

ArmWeight weight_for(Target target, double t, double e) {
  const bool treated = t == 1.0;
  switch (target) {
    case Target::kAte:
      return treated ? ArmWeight{1.0 / e, -(1.0 - e)} : ArmWeight{1.0 / (1.0 - e), e};
    case Target::kAtt:
      return treated ? ArmWeight{1.0, 0.0} : ArmWeight{e / (1.0 - e), 1.0};
    case Target::kAtc:
      return treated ? ArmWeight{(1.0 - e) / e, -1.0} : ArmWeight{1.0, 0.0};
  }
  return {0, 0};
}

// Fitted column j of row i as the propensity fit saw it (less its centre, if any).
double fitted_value(const AnalysisData& d, const PropensityModel& pm, Eigen::Index i,
                    std::size_t j) {
  const double x = d.x(i, static_cast<Eigen::Index>(pm.fit_cols[j]));
  return pm.centre.size() == 0 ? x : x - pm.centre[static_cast<Eigen::Index>(j)];
}

// (1, fitted covariates of row i) . h, without building the row.
double design_dot(const AnalysisData& d, const PropensityModel& pm, Eigen::Index i,
                  const Eigen::VectorXd& h) {
  double s = h[0];
  for (std::size_t j = 0; j < pm.fit_cols.size(); ++j)
    s += h[static_cast<Eigen::Index>(j) + 1] * fitted_value(d, pm, i, j);
  return s;
}

const char* estimand_words(Target target) {
  switch (target) {
    case Target::kAtt:
      return "ATT: the effect on the units that were treated";
    case Target::kAtc:
      return "ATC: the effect the treatment would have had on the untreated";
    case Target::kAte:
      return "ATE: the average effect over all units";
  }
  return "";
}

}  // namespace

Estimate estimate_ipw(const MethodInput& in) {
  const AnalysisData& d = in.data;
  const PropensityModel& pm = *in.propensity;
  const Target target = in.options.target;
  const std::vector<std::size_t> rows = trimmed_rows(pm.score, in.options.trim);
  require_positivity(d, pm, target, "ipw", rows);

  // Weighted means per arm.
  double sum_w[2] = {0, 0}, sum_wy[2] = {0, 0};
  std::size_t count[2] = {0, 0};
  for (std::size_t r : rows) {
    const auto i = static_cast<Eigen::Index>(r);
    const int a = d.t[i] == 1.0;
    const ArmWeight aw = weight_for(target, d.t[i], pm.score[i]);
    sum_w[a] += aw.w;
    sum_wy[a] += aw.w * d.y[i];
    ++count[a];
  }
  if (count[0] == 0 || count[1] == 0 || sum_w[0] <= 0 || sum_w[1] <= 0)
    throw Error(ErrorCode::kNotIdentifiable,
                fmt::format("ipw: after trimming at {} no {} unit is left; lower --trim",
                            in.options.trim, count[1] == 0 ? "treated" : "control"));
  const double mu[2] = {sum_wy[0] / sum_w[0], sum_wy[1] / sum_w[1]};

  // Influence of each unit through the weighted means, and the sensitivity (gamma) of the
  // estimate to the propensity coefficients.
  const Eigen::Index p =
      pm.fit_count() == 0 ? 0 : static_cast<Eigen::Index>(pm.fit_cols.size()) + 1;
  Eigen::VectorXd gamma = Eigen::VectorXd::Zero(p);
  std::vector<bool> in_fit(d.rows(), pm.fit_all_rows);
  for (std::uint32_t r : pm.fit_rows) in_fit[r] = true;
  Eigen::VectorXd influence = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(d.rows()));
  for (std::size_t r : rows) {
    const auto i = static_cast<Eigen::Index>(r);
    const int a = d.t[i] == 1.0;
    const double sign = a ? 1.0 : -1.0;
    const ArmWeight aw = weight_for(target, d.t[i], pm.score[i]);
    influence[i] = sign * aw.w * (d.y[i] - mu[a]) / sum_w[a];
    if (in_fit[r] && p > 0) {
      const double g = sign * aw.w * aw.c * (d.y[i] - mu[a]) / sum_w[a];
      gamma[0] += g;
      for (std::size_t j = 0; j < pm.fit_cols.size(); ++j)
        gamma[static_cast<Eigen::Index>(j) + 1] += g * fitted_value(d, pm, i, j);
    }
  }
  if (p > 0) {
    const Eigen::VectorXd h = pm.hessian.ldlt().solve(gamma);
    for (std::size_t k = 0; k < pm.fit_count(); ++k) {
      const auto i = static_cast<Eigen::Index>(pm.fit_row(k));
      influence[i] += design_dot(d, pm, i, h) * (d.t[i] - pm.score[i]);
    }
  }

  Estimate e;
  e.target = target;
  e.estimand = estimand_words(target);
  e.estimate = mu[1] - mu[0];
  e.se = std::sqrt(influence.squaredNorm());
  e.se_method = "influence function, propensity estimation included";
  e.n_treated = count[1];
  e.n_control = count[0];
  e.answers = "the effect once units are reweighted to look alike on the propensity score";
  e.misses = "confounders not in the model; unstable when scores near 0 or 1";
  for (int a = 0; a < 2; ++a) {
    double s2 = 0, s = 0;
    for (std::size_t r : rows) {
      const auto i = static_cast<Eigen::Index>(r);
      if ((d.t[i] == 1.0) != (a == 1)) continue;
      const double w = weight_for(target, d.t[i], pm.score[i]).w;
      s += w, s2 += w * w;
    }
    e.details[a ? "ess_treated" : "ess_control"] = s * s / s2;
  }
  note_trimming(d.rows() - rows.size(), in.options.trim, e);
  set_normal_interval(e);
  return e;
}

}  // namespace causeway
