// The unobserved-common-cause refuter: how far would a hidden confounder move the estimate?
#pragma once

#include "causeway/refute/refute.h"

namespace causeway {

// For each pair of strengths (partial correlations with treatment and outcome, given the common
// causes) simulates a confounder U = k_t r_t + k_y r_y + sqrt(1 - k_t^2 - k_y^2) e, where r_t
// and r_y are the standardised residuals of treatment and outcome (the outcome's given the
// treatment too), adds it to the common causes and re-estimates. The strongest partial
// correlations of the observed covariates are the benchmark: an effect that a confounder no
// stronger than them (or than 0.1, whichever is larger) erases fails.
Refutation unobserved_common_cause(const AnalysisData& data, const std::string& method,
                                   const Estimate& original, const EstimateOptions& options,
                                   const RefuteOptions& refute_options);

// Partial correlation of each covariate column with the treatment (given the other columns) and
// with the outcome (given the treatment and the other columns).
struct CovariateStrength {
  std::string name;
  double with_treatment = 0, with_outcome = 0;
};
std::vector<CovariateStrength> covariate_strengths(const AnalysisData& data);

}  // namespace causeway
