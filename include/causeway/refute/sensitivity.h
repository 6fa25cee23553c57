// How strong would unmeasured confounding have to be to explain the estimate away?
//
// - E-value (VanderWeele and Ding 2017): the minimum strength of association, on the risk-ratio
//   scale, that a hidden confounder would need with both treatment and outcome to move the
//   estimate (or its interval's bound nearer the null) to no effect. A 0/1 outcome's risk
//   difference becomes a risk ratio through the baseline risk; a continuous outcome's
//   difference d = effect / SD(outcome) through RR = exp(0.91 d) (their approximation).
// - Robustness value and partial R^2 (Cinelli and Hazlett 2020), from the linear regression of
//   the outcome on treatment and common causes: the share of residual variance a confounder
//   must explain in both to erase the estimate (RV) or its significance (RV_alpha), and for
//   each covariate, how many times as strong as it a confounder must be to erase the estimate.
// - Rosenbaum's Gamma for matched pairs: the largest odds of differential treatment assignment
//   within pairs at which the Wilcoxon signed-rank test stays significant.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "causeway/data/analysis_data.h"
#include "causeway/estimate/estimate.h"

namespace causeway {

struct EValue {
  double risk_ratio = 1, e_value = 1, e_value_ci = 1;
  std::string scale;  // how the risk ratio was obtained
};

struct Benchmark {
  std::string covariate;
  double r2_treatment = 0, r2_outcome = 0;  // its partial R^2 with treatment and outcome
  std::optional<double> k_erase;            // times as strong (with both) as erases the estimate
};

struct RobustnessValue {
  double t_statistic = 0, dof = 0;
  double partial_r2 = 0;  // of the treatment with the outcome, given the common causes
  double rv = 0, rv_alpha = 0;
  std::vector<Benchmark> benchmarks;
};

struct Sensitivity {
  std::optional<EValue> e_value;
  std::optional<RobustnessValue> robustness;
  std::optional<double> rosenbaum_gamma;  // matching only
  std::vector<std::string> notes;
};

// Closed forms, exposed for tests.
double e_value_for_risk_ratio(double rr);
double robustness_value(double t_statistic, double dof, double alpha = 1.0);  // alpha 1: RV
// Upper-bound p-value of the signed-rank statistic of `differences` under hidden bias Gamma.
double rosenbaum_p_value(const std::vector<double>& differences, double gamma);
double rosenbaum_gamma(const std::vector<double>& differences, double alpha);

// Everything that applies to `estimate` (made by `method` on `data`).
Sensitivity sensitivity(const AnalysisData& data, const std::string& method,
                        const Estimate& estimate, const EstimateOptions& options);

}  // namespace causeway
