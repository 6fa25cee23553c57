// Gradient-boosted trees, for nuisance models (outcome regression, propensity) and as the base
// learners of meta-learners.
//
// The trees are grown by the XGBoost library (histogram method) through its C API; causeway owns
// the model handle, checks every call and turns a failure into a Status carrying the library's
// message. The library's own logging is silenced.
//
// Reproducibility: each model is fitted and evaluated with one thread, so the same seed gives
// bit-identical predictions on any machine whatever its core count; parallelism comes from
// fitting independent models (cross-fitting folds) at once. Inputs are converted to single
// precision, as the library requires: values beyond about 3.4e38 are refused.
//
// Thread safety: distinct models may be fitted and used from several threads at once; predict()
// on one model may also be called concurrently (the calls are serialised on that model).
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <memory>

#include "causeway/status.h"

namespace causeway {

namespace detail {
struct Booster;  // the library's model and the lock that serialises its predictions
}

enum class BoostObjective {
  kSquaredError,  // regression: predictions are conditional means
  kLogistic,      // y holds 0/1: predictions are probabilities in (0, 1)
};

// The defaults suit nuisance models on thousands to hundreds of thousands of rows: many small
// steps (300 rounds at a learning rate of 0.05, a total shrinkage of 15) through shallow trees
// (depth 4: interactions of up to four covariates) fit smooth, moderately interacting surfaces
// without the fine-tuning that few large steps need, and row subsampling adds regularisation
// and decorrelates the trees. There is no early stopping: the number of rounds is fixed, so a
// fit does not depend on a validation split.
struct BoostingOptions {
  int rounds = 300;             // boosting rounds (trees), at least 1
  int max_depth = 4;            // depth of each tree, at least 1
  double learning_rate = 0.05;  // shrinkage of each tree's contribution, in (0, 1]
  double subsample = 0.8;       // share of rows drawn (without replacement) per tree, in (0, 1]
  double colsample = 1.0;       // share of columns drawn per tree, in (0, 1]
  double min_child_weight = 1;  // least Hessian sum in a leaf (rows for squared error; rows
                                // times p(1 - p) for logistic), at least 0
  double lambda = 1;            // L2 penalty on leaf values, at least 0
  std::uint64_t seed = 42;      // drives the row and column draws; without draws (subsample
                                // and colsample both 1) the fit does not depend on it
};

class BoostedModel {
 public:
  // Fits `rounds` trees to the rows of x. Requires as many rows in x as in y, at least one row
  // and one column, finite values, and for kLogistic a y of 0s and 1s with both values present.
  // Invalid options or data give kBadInput; a failure inside the library, kNumericalFailure.
  static Result<BoostedModel> fit(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                  BoostObjective objective, const BoostingOptions& options);

  // One prediction per row of x (probabilities for kLogistic). x must have the columns the
  // model was fitted on, finite values; otherwise kBadInput.
  Result<Eigen::VectorXd> predict(const Eigen::MatrixXd& x) const;

  BoostObjective objective() const { return objective_; }
  Eigen::Index features() const { return features_; }

  BoostedModel(BoostedModel&&) noexcept;
  BoostedModel& operator=(BoostedModel&&) noexcept;
  BoostedModel(const BoostedModel&) = delete;
  BoostedModel& operator=(const BoostedModel&) = delete;
  ~BoostedModel();

 private:
  BoostedModel(std::unique_ptr<detail::Booster> booster, BoostObjective objective,
               Eigen::Index features);

  std::unique_ptr<detail::Booster> booster_;
  BoostObjective objective_;
  Eigen::Index features_;
};

// Out-of-fold predictions: rows are shuffled with `seed` and dealt into `folds` folds of nearly
// equal size; each row's prediction comes from the model fitted on the other folds. Fold f's
// model (counting from 0) uses options.seed + f. The folds are fitted in parallel on `threads`
// threads (0: all cores); the result does not depend on the thread count. Requires 2 <= folds <=
// rows and the inputs fit() requires of each training part (for kLogistic, both outcomes outside
// every fold).
Result<Eigen::VectorXd> cross_fit_boosting(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                           BoostObjective objective, int folds, std::uint64_t seed,
                                           const BoostingOptions& options, int threads);

}  // namespace causeway
