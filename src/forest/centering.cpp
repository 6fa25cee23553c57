#include "forest/centering.h"

#include <algorithm>
#include <numeric>
#include <vector>

#include "causeway/learn/boosting.h"
#include "causeway/learn/logistic.h"
#include "causeway/learn/ols.h"
#include "core/folds.h"

namespace causeway {

Centered center_linear(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const Eigen::VectorXd& w,
                       int folds, std::uint64_t seed) {
  const Eigen::Index n = x.rows(), p = x.cols();
  const std::vector<int> fold = assign_folds(static_cast<std::size_t>(n), folds, seed);
  Centered c;
  c.y_hat.resize(n);
  c.w_hat.resize(n);
  for (int f = 0; f < folds; ++f) {
    std::vector<Eigen::Index> train, test;
    for (Eigen::Index i = 0; i < n; ++i)
      (fold[static_cast<std::size_t>(i)] == f ? test : train).push_back(i);
    Eigen::MatrixXd xt(static_cast<Eigen::Index>(train.size()), p);
    Eigen::MatrixXd design(static_cast<Eigen::Index>(train.size()), p + 1);
    Eigen::VectorXd yt(static_cast<Eigen::Index>(train.size())), wt(yt.size());
    for (std::size_t k = 0; k < train.size(); ++k) {
      const auto r = static_cast<Eigen::Index>(k);
      xt.row(r) = x.row(train[k]);
      design(r, 0) = 1;
      design.row(r).tail(p) = x.row(train[k]);
      yt[r] = y[train[k]];
      wt[r] = w[train[k]];
    }
    const LogisticFit propensity = fit_logistic(xt, wt, {});
    const Eigen::VectorXd beta = least_squares(design, yt);
    for (Eigen::Index i : test) {
      const double eta = propensity.linear_predictor(x.row(i));
      // Kept inside (0.01, 0.99): a centred treatment of exactly 0 or 1 carries no information.
      c.w_hat[i] = std::clamp(logistic(eta), 0.01, 0.99);
      c.y_hat[i] = beta[0] + x.row(i).dot(beta.tail(p));
    }
  }
  c.y = y - c.y_hat;
  c.w = w - c.w_hat;
  return c;
}

Centered center_boosting(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                         const Eigen::VectorXd& w, int folds, std::uint64_t seed, int threads) {
  const bool binary = (y.array() == 0 || y.array() == 1).all();
  BoostingOptions options;
  options.seed = seed;
  Centered c;
  c.w_hat = cross_fit_boosting(x, w, BoostObjective::kLogistic, folds, seed, options, threads)
                .or_throw()
                .cwiseMax(0.01)
                .cwiseMin(0.99);
  c.y_hat =
      cross_fit_boosting(x, y, binary ? BoostObjective::kLogistic : BoostObjective::kSquaredError,
                         folds, seed + 1, options, threads)
          .or_throw();
  c.y = y - c.y_hat;
  c.w = w - c.w_hat;
  return c;
}

Centered center_forest(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const Eigen::VectorXd& w,
                       const RegressionForestOptions& options) {
  Centered c;
  c.y_hat = RegressionForest::train(x, y, options).predict_oob();
  c.w_hat = RegressionForest::train(x, w, options).predict_oob().unaryExpr([](double v) {
    return std::clamp(v, 0.01, 0.99);
  });
  c.y = y - c.y_hat;
  c.w = w - c.w_hat;
  return c;
}

}  // namespace causeway
