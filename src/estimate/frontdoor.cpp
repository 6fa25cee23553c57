// Front-door adjustment by two linear regressions: each mediator on the treatment (a), the
// outcome on the mediators and the treatment (b); the effect is the sum of a_j * b_j. It needs
// no adjustment for the confounders of treatment and outcome, which may be unobserved; it does
// need the front-door conditions (identify checks them on a graph) and linear relations. Common
// causes, if any, are controls in both stages.
// Default interval: bootstrap (500 replicates); the delta-method SE is kept in details.
#include <fmt/format.h>

#include <cmath>

#include "causeway/learn/ols.h"
#include "estimate/method.h"

namespace causeway {

Estimate estimate_frontdoor(const MethodInput& in) {
  const AnalysisData& d = in.data;
  if (d.m.cols() == 0)
    throw Error(ErrorCode::kBadInput,
                "frontdoor needs the mediators that carry the treatment's effect: pass "
                "--mediators, or --graph with a front-door set");
  // Common causes, when given, enter both stages as controls (the front door given them).
  const Eigen::Index n = d.t.size(), k = d.m.cols(), w = d.x.cols();
  Eigen::MatrixXd first(n, 2 + w);
  first.col(0).setOnes();
  first.col(1) = d.t;
  first.rightCols(w) = d.x;
  Eigen::MatrixXd second(n, k + 2 + w);
  second.col(0).setOnes();
  second.col(1) = d.t;
  second.middleCols(2, k) = d.m;
  second.rightCols(w) = d.x;
  auto outcome_fit = fit_ols(second, d.y);
  if (!outcome_fit.ok()) throw Error(outcome_fit.status().code(), outcome_fit.status().message());
  const OlsFit& b = outcome_fit.value();
  double effect = 0, variance = 0;
  for (Eigen::Index j = 0; j < k; ++j) {
    auto mediator_fit = fit_ols(first, d.m.col(j));
    if (!mediator_fit.ok())
      throw Error(mediator_fit.status().code(), mediator_fit.status().message());
    const OlsFit& a = mediator_fit.value();
    const double aj = a.coef[1], bj = b.coef[2 + j];
    effect += aj * bj;
    // The two stages' estimates are asymptotically uncorrelated (the second conditions on the
    // treatment); the delta method for a product.
    variance += bj * bj * a.se_hc1[1] * a.se_hc1[1] + aj * aj * b.se_hc1[2 + j] * b.se_hc1[2 + j];
  }
  Estimate e;
  e.target = Target::kAte;
  e.estimand = "ATE through the mediators, under linear relations (front-door adjustment)";
  e.estimate = effect;
  e.se = std::sqrt(variance);
  e.se_method = "delta method on HC1 standard errors of both stages";
  e.details["se_delta_method"] = e.se;
  e.details["mediators"] = d.m_names;
  e.n_treated = d.n_treated;
  e.n_control = d.n_control;
  e.answers = "the effect carried by the mediators, even with hidden treatment-outcome confounding";
  e.misses = "effects that bypass the mediators; confounding of treatment and mediators";
  e.notes.push_back(fmt::format("mediators: {}", fmt::join(d.m_names, ", ")));
  if (w > 0)
    e.notes.push_back(fmt::format("controls in both stages: {}", fmt::join(d.x_names, ", ")));
  if (b.coef[1] != 0)
    e.notes.push_back(fmt::format(
        "direct coefficient of the treatment given the mediators: {:.4g} (the front-door "
        "criterion assumes no direct effect; this coefficient mixes any with hidden confounding)",
        b.coef[1]));
  if (in.options.target != Target::kAte)
    e.notes.push_back(fmt::format(
        "the linear front-door effect is the same for every unit; reported as the ATE, not the "
        "requested {}",
        target_name(in.options.target)));
  set_normal_interval(e);
  return e;
}

}  // namespace causeway
