// Local centering for the causal forest: the outcome and the treatment minus their cross-fitted
// predictions from the features, so the forest sees only what the features do not explain.
#pragma once

#include <Eigen/Dense>
#include <cstdint>

#include "forest/regression_forest.h"

namespace causeway {

struct Centered {
  Eigen::VectorXd y, w;          // residuals
  Eigen::VectorXd y_hat, w_hat;  // out-of-fold predictions
};

// Linear nuisances, K-fold cross-fitted (fold of a row by a seeded shuffle): a logistic
// regression for the 0/1 treatment, least squares for the outcome.
Centered center_linear(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const Eigen::VectorXd& w,
                       int folds, std::uint64_t seed);

// Gradient-boosted nuisances (learn/boosting.h, default options), K-fold cross-fitted with the
// folds in parallel: logistic for the 0/1 treatment and for a 0/1 outcome, squared error for
// any other outcome. The thread count changes nothing.
Centered center_boosting(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                         const Eigen::VectorXd& w, int folds, std::uint64_t seed, int threads);

// Forest nuisances: the out-of-bag predictions of two honest regression forests, one for y and
// one for the 0/1 treatment w, both grown with `options` (the same seed, so the same
// subsamples). A row's prediction comes from trees that never saw it, which makes it
// cross-fitted without folds. w_hat is kept inside [0.01, 0.99] as in center_linear.
Centered center_forest(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const Eigen::VectorXd& w,
                       const RegressionForestOptions& options);

}  // namespace causeway
