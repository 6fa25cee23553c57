// Meta-learners: per-customer effects from ordinary prediction models (the base models), as an
// alternative to the causal forest and a yardstick for it on the same split.
//
//   t   two outcome models, one per arm; effect = mu1(x) - mu0(x).
//   s   one outcome model on the covariates and the treatment (with treatment x covariate terms
//       for the linear base, which would otherwise give every customer the same effect);
//       effect = f(x, 1) - f(x, 0).
//   x   the T-learner's models impute each customer's effect (treated: y - mu0(x); controls:
//       mu1(x) - y); a model per arm smooths the imputed effects on the features, blended by
//       the propensity: e(x) tau0(x) + (1 - e(x)) tau1(x).
//   dr  doubly robust pseudo-outcomes mu1 - mu0 + t (y - mu1)/e - (1 - t)(y - mu0)/(1 - e),
//       from cross-fitted nuisances, smoothed on the features by one model.
//
// Outcome models use every covariate (features and controls); the final smoothing stages of x
// and dr use the features only. Every training row's effect comes from models that never saw
// that row (K-fold cross-fitting), so it can rank customers honestly. Base models: "linear"
// (least squares; logistic regression for the propensity) or "boosting" (gradient-boosted trees,
// logistic for 0/1 targets). Point predictions only: no per-customer interval.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <string>

namespace causeway {

struct MetaOptions {
  std::string method = "t";  // t, s, x or dr
  std::string base = "boosting";
  int folds = 5;
  std::uint64_t seed = 42;
  int threads = 0;
};

struct MetaData {
  const Eigen::MatrixXd& covariates;  // every covariate, for the outcome and propensity models
  const Eigen::MatrixXd& features;    // the effect modifiers, for the final stages
  const Eigen::VectorXd& y;
  const Eigen::VectorXd& t;  // 0/1
};

struct MetaFit {
  Eigen::VectorXd tau;      // per training row, cross-fitted
  Eigen::VectorXd holdout;  // per row of the held-out data, from models fitted on all rows
};

// Fits the learner on `train`; when `held_out` is given, also predicts its rows.
MetaFit fit_meta_learner(const MetaData& train, const MetaData* held_out,
                         const MetaOptions& options);

}  // namespace causeway
