// Ordinary least squares with classical and heteroskedasticity-robust (HC1) standard errors.
//
// Solved through the normal equations with a Cholesky factorisation, which is exact enough for
// the well-conditioned designs prepare_analysis() admits (it rejects linear dependence) and
// fast on millions of rows. Failure (a singular design): a Status of kNumericalFailure.
// Thread-safe.
#pragma once

#include <Eigen/Dense>

#include "causeway/status.h"

namespace causeway {

struct OlsFit {
  Eigen::VectorXd coef;          // one per column of the design
  Eigen::VectorXd se_classical;  // sigma^2 (X'X)^-1, sigma^2 = RSS / (n - p)
  Eigen::VectorXd se_hc1;        // sandwich with the n / (n - p) correction
  Eigen::VectorXd residuals;
};

// `design` includes whatever intercept column the caller wants.
Result<OlsFit> fit_ols(const Eigen::MatrixXd& design, const Eigen::VectorXd& y);

// Least-squares coefficients only (no standard errors); weights may be empty.
Eigen::VectorXd least_squares(const Eigen::MatrixXd& design, const Eigen::VectorXd& y);

}  // namespace causeway
