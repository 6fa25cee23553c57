// Logistic regression fitted by Newton's method (iteratively reweighted least squares).
//
// Unpenalised by default, which gives the maximum-likelihood fit R's glm() gives; an optional
// L2 penalty (never on the intercept) keeps the fit finite under separation. The fit stops when
// the Newton step is below `tolerance`, when the last two steps shrink quadratically fast enough
// that the next would be below a hundredth of it, or after `max_iterations` steps; `converged`
// says which.
// Under separation the unpenalised likelihood has no maximum: coefficients grow every step and
// fitted probabilities reach 0 or 1; `separated` reports this. Thread-safe.
#pragma once

#include <Eigen/Dense>

namespace causeway {

struct LogisticOptions {
  double l2 = 0.0;
  int max_iterations = 100;
  double tolerance = 1e-10;
  int threads = 0;  // 0: all cores. Sums run over fixed blocks of rows, added in block order, so
                    // the fit is the same whatever the thread count.
};

struct LogisticFit {
  Eigen::VectorXd coef;  // intercept first, then one per column of x
  // A column far from 0 for its spread (epoch milliseconds: 1.7e12 give or take seconds) is
  // almost the intercept's direction: Newton's steps would stall far from the maximum. Such
  // columns are fitted less a centre (far_centre), kept here (empty when no column is); `coef`
  // is turned back to the columns as given, and predict() works on the centred columns.
  Eigen::VectorXd centre;
  double centred_intercept = 0;  // the intercept of the centred columns, when `centre` is set
  Eigen::MatrixXd hessian;       // X'WX (+ penalty) at the fit, intercept first, of the columns
                                 // less `centre` when it is set (then well conditioned)
  int iterations = 0;
  bool converged = false;
  bool separated = false;  // the coefficients diverge: no maximum-likelihood fit exists
  double max_abs_linear_predictor = 0;  // above ~14, some fitted probabilities are below 1e-6

  // Fitted probability for each row of x. `clearance`, when given, is set to how near the
  // probabilities come to 0 or 1: each is at least that far from both.
  Eigen::VectorXd predict(const Eigen::MatrixXd& x, int threads = 1,
                          double* clearance = nullptr) const;
  // The linear predictor (log-odds) of one row of covariates.
  double linear_predictor(const Eigen::Ref<const Eigen::RowVectorXd>& row) const;
};

// y holds 0/1. x has no intercept column; one is added. On more than 200,000 rows Newton's method
// starts from the fit on an evenly spaced subsample, which leaves the result unchanged (the
// full-data iterations run to the same tolerance) and saves most full passes.
LogisticFit fit_logistic(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                         const LogisticOptions& options = {});

double logistic(double eta);

}  // namespace causeway
