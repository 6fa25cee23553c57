// What a fitted forest says beyond per-customer effects, all from the doubly robust scores: the
// average effects (overall, on the treated, on the controls), the best linear projection of
// the effect on chosen covariates, and the calibration test of the forest's predictions.
//
// Inputs are per analysed row: the 0/1 treatment t, the outcome y, the cross-fitted outcome
// prediction m_hat = E[y | x] and propensity e_hat, and the forest's out-of-bag effect tau.
// Standard errors come from the scores' influence functions (HC1 for the regressions).
#pragma once

#include <Eigen/Dense>
#include <string>
#include <vector>

#include "causeway/uplift/uplift.h"

namespace causeway {

struct ForestFit {
  const Eigen::VectorXd& y;
  const Eigen::VectorXd& t;
  const Eigen::VectorXd& m_hat;
  const Eigen::VectorXd& e_hat;
  const Eigen::VectorXd& tau;
};

// The doubly robust score of each row: tau + (t - e)/(e(1 - e)) (y - m - (t - e) tau); its mean
// estimates the average effect.
Eigen::VectorXd dr_scores(const ForestFit& f);

// The average effect over everyone (ATE), the treated (ATT) and the controls (ATC), each from
// the augmented inverse-propensity estimator with the forest's outcome models
// mu0 = m - e tau, mu1 = m + (1 - e) tau.
std::vector<AverageEffect> average_effects(const ForestFit& f);

// Least squares of the doubly robust scores on an intercept and `x` (columns named `names`):
// how the effect moves with each covariate, on average, holding the others fixed.
// A 0/1 column on which fewer than 20 customers differ from the rest is left out, with a line
// in `warnings`.
std::vector<ProjectionTerm> best_linear_projection(const Eigen::VectorXd& scores,
                                                   const Eigen::MatrixXd& x,
                                                   const std::vector<std::string>& names,
                                                   std::vector<std::string>& warnings);

// Regresses y - m on (t - e) tau_bar and (t - e)(tau - tau_bar), no intercept: a coefficient of
// 1 on the first says the average is right, on the second that the spread of the predictions
// is real (0: no detectable heterogeneity).
Calibration calibration_test(const ForestFit& f);

}  // namespace causeway
