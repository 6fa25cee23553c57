#include "causeway/learn/boosting.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <vector>

#include "causeway/learn/logistic.h"
#include "causeway/learn/ols.h"
#include "causeway/rng.h"

namespace causeway {
namespace {

struct Sample {
  Eigen::MatrixXd x;
  Eigen::VectorXd y;
  Eigen::VectorXd truth;  // E[y | x]
};

// y = sin(2 x1) + x2^2 + N(0, 0.5^2), with x1, x2 and an irrelevant x3 uniform on [-2, 2].
Sample nonlinear_regression(int n, std::uint64_t seed) {
  Rng rng(seed);
  Sample s{Eigen::MatrixXd(n, 3), Eigen::VectorXd(n), Eigen::VectorXd(n)};
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < 3; ++j) s.x(i, j) = 4 * rng.uniform() - 2;
    s.truth[i] = std::sin(2 * s.x(i, 0)) + s.x(i, 1) * s.x(i, 1);
    s.y[i] = s.truth[i] + 0.5 * rng.normal();
  }
  return s;
}

// y ~ Bernoulli(logistic(-0.5 + x1 - 0.8 x2)), x1 and x2 standard normal.
Sample logistic_model(int n, std::uint64_t seed) {
  Rng rng(seed);
  Sample s{Eigen::MatrixXd(n, 2), Eigen::VectorXd(n), Eigen::VectorXd(n)};
  for (int i = 0; i < n; ++i) {
    s.x(i, 0) = rng.normal();
    s.x(i, 1) = rng.normal();
    s.truth[i] = logistic(-0.5 + s.x(i, 0) - 0.8 * s.x(i, 1));
    s.y[i] = rng.bernoulli(s.truth[i]) ? 1 : 0;
  }
  return s;
}

Eigen::VectorXd cross_fit(const Sample& s, BoostObjective objective, int threads,
                          const BoostingOptions& options = {}) {
  auto r = cross_fit_boosting(s.x, s.y, objective, 5, 7, options, threads);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? r.value() : Eigen::VectorXd::Zero(s.y.size());
}

// Out-of-fold least squares on [1, x], five folds of rows i % 5 (the rows are exchangeable).
Eigen::VectorXd ols_out_of_fold(const Sample& s) {
  const Eigen::Index n = s.x.rows();
  Eigen::MatrixXd design(n, s.x.cols() + 1);
  design << Eigen::VectorXd::Ones(n), s.x;
  Eigen::VectorXd out(n);
  for (int f = 0; f < 5; ++f) {
    std::vector<Eigen::Index> train, test;
    for (Eigen::Index i = 0; i < n; ++i) (i % 5 == f ? test : train).push_back(i);
    const Eigen::VectorXd coef = least_squares(design(train, Eigen::all), s.y(train));
    out(test) = design(test, Eigen::all) * coef;
  }
  return out;
}

double mean_squared_error(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  return (a - b).squaredNorm() / static_cast<double>(a.size());
}

double correlation(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  const Eigen::ArrayXd da = a.array() - a.mean(), db = b.array() - b.mean();
  return (da * db).sum() / std::sqrt(da.square().sum() * db.square().sum());
}

bool identical(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  return a.size() == b.size() && (a.array() == b.array()).all();
}

TEST(Boosting, BeatsLeastSquaresOnANonlinearSurface) {
  // For x uniform on [-2, 2]: Var(x2^2) = 16/5 - 16/9 = 1.42 and Var(sin 2 x1) = 0.44, of which
  // a line explains 0.04. So least squares' out-of-sample MSE is about 0.25 + 0.40 + 1.42 = 2.07,
  // while the noise floor is 0.25 and the signal's variance 1.86. The bars: boosting explains at
  // least 90 % of the signal's variance out of fold (MSE below 0.25 + 0.186), which is under a
  // quarter of least squares' MSE; and its MSE stays above the noise floor less 5 standard errors
  // of a mean of n squared normals (0.25 * sqrt(2 / n) = 0.0056 each), which out-of-fold
  // predictions cannot beat: a lower MSE would mean rows' own outcomes leaked into them.
  const int n = 4000;
  const Sample s = nonlinear_regression(n, 11);
  const double boost_mse = mean_squared_error(cross_fit(s, BoostObjective::kSquaredError, 0), s.y);
  const double ols_mse = mean_squared_error(ols_out_of_fold(s), s.y);
  // The arithmetic above, within 5 standard errors of a mean of n squared residuals (0.041 at
  // n = 4000, from the residual's fourth moment).
  EXPECT_NEAR(ols_mse, 2.07, 0.2);
  EXPECT_LT(boost_mse, 0.25 + 0.1 * 1.86);
  EXPECT_LT(boost_mse, 0.25 * ols_mse);
  EXPECT_GT(boost_mse, 0.25 - 5 * 0.25 * std::sqrt(2.0 / n));
  std::printf("out-of-fold MSE: boosting %.4f, least squares %.4f\n", boost_mse, ols_mse);
}

TEST(Boosting, LogisticPredictionsAreCalibratedProbabilities) {
  const int n = 5000;
  const Sample s = logistic_model(n, 12);
  const Eigen::VectorXd p = cross_fit(s, BoostObjective::kLogistic, 0);
  EXPECT_GT(p.minCoeff(), 0.0);
  EXPECT_LT(p.maxCoeff(), 1.0);
  // Each fold's model starts from its training rows' share of 1s and its loss keeps fitted
  // probabilities summing to the outcomes, so the mean prediction estimates the outcome share:
  // within 3 binomial standard errors of the observed share.
  const double share = s.y.mean();
  EXPECT_NEAR(p.mean(), share, 3 * std::sqrt(share * (1 - share) / n));
  // A model that learned only x1 (or only x2) would correlate with the true probability at
  // about 0.78 (0.62): the index's variance is 1 + 0.64. Above 0.9 it has learned both.
  const double r = correlation(p, s.truth);
  EXPECT_GT(r, 0.9);
  std::printf("logistic: mean prediction %.4f, share %.4f, correlation with truth %.4f\n", p.mean(),
              share, r);
}

TEST(Boosting, SameSeedSamePredictionsWhateverTheThreadCount) {
  const Sample s = nonlinear_regression(2000, 13);
  BoostingOptions options;
  options.colsample = 0.7;  // exercise the column draws too
  const Eigen::VectorXd one = cross_fit(s, BoostObjective::kSquaredError, 1, options);
  const Eigen::VectorXd two = cross_fit(s, BoostObjective::kSquaredError, 2, options);
  EXPECT_TRUE(identical(one, two));
  const Sample b = logistic_model(2000, 14);
  EXPECT_TRUE(identical(cross_fit(b, BoostObjective::kLogistic, 1, options),
                        cross_fit(b, BoostObjective::kLogistic, 2, options)));
}

TEST(Boosting, SeedDrivesTheRowDraws) {
  const Sample s = nonlinear_regression(1000, 15);
  auto predict_with = [&](std::uint64_t seed, double subsample) {
    BoostingOptions options;
    options.rounds = 50;
    options.seed = seed;
    options.subsample = subsample;
    auto model = BoostedModel::fit(s.x, s.y, BoostObjective::kSquaredError, options);
    EXPECT_TRUE(model.ok()) << model.status().message();
    auto p = model.value().predict(s.x);
    EXPECT_TRUE(p.ok()) << p.status().message();
    return p.value();
  };
  EXPECT_TRUE(identical(predict_with(1, 0.8), predict_with(1, 0.8)));
  EXPECT_FALSE(identical(predict_with(1, 0.8), predict_with(2, 0.8)));
  // Without row or column draws nothing is random.
  EXPECT_TRUE(identical(predict_with(1, 1.0), predict_with(2, 1.0)));
}

TEST(Boosting, RefusesMissingValuesWithTheirPlace) {
  Sample s = nonlinear_regression(200, 16);
  s.x(3, 1) = NAN;
  auto model = BoostedModel::fit(s.x, s.y, BoostObjective::kSquaredError, {});
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(model.status().code(), ErrorCode::kBadInput);
  EXPECT_NE(model.status().message().find("x(3, 1) is nan"), std::string::npos)
      << model.status().message();
  auto crossed = cross_fit_boosting(s.x, s.y, BoostObjective::kSquaredError, 5, 1, {}, 2);
  ASSERT_FALSE(crossed.ok());
  EXPECT_NE(crossed.status().message().find("x(3, 1) is nan"), std::string::npos);

  s.x(3, 1) = 0;
  s.y[7] = INFINITY;
  model = BoostedModel::fit(s.x, s.y, BoostObjective::kSquaredError, {});
  ASSERT_FALSE(model.ok());
  EXPECT_NE(model.status().message().find("y(7) is inf"), std::string::npos)
      << model.status().message();
}

TEST(Boosting, PredictChecksItsInput) {
  const Sample s = nonlinear_regression(200, 17);
  BoostingOptions options;
  options.rounds = 10;
  auto model = BoostedModel::fit(s.x, s.y, BoostObjective::kSquaredError, options);
  ASSERT_TRUE(model.ok()) << model.status().message();
  auto narrow = model.value().predict(s.x.leftCols(2));
  ASSERT_FALSE(narrow.ok());
  EXPECT_NE(narrow.status().message().find("fitted on 3 columns but x has 2"), std::string::npos);
  Eigen::MatrixXd bad = s.x;
  bad(5, 0) = -INFINITY;
  auto refused = model.value().predict(bad);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("x(5, 0) is -inf"), std::string::npos);
  auto empty = model.value().predict(Eigen::MatrixXd(0, 3));
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty.value().size(), 0);
}

TEST(Boosting, RefusesBadOptionsAndOutcomes) {
  const Sample s = logistic_model(200, 18);
  BoostingOptions options;
  options.subsample = 0;
  auto model = BoostedModel::fit(s.x, s.y, BoostObjective::kLogistic, options);
  ASSERT_FALSE(model.ok());
  EXPECT_NE(model.status().message().find("subsample"), std::string::npos);

  Eigen::VectorXd y = s.y;
  y[4] = 0.5;
  model = BoostedModel::fit(s.x, y, BoostObjective::kLogistic, {});
  ASSERT_FALSE(model.ok());
  EXPECT_NE(model.status().message().find("y(4) is 0.5"), std::string::npos);

  model = BoostedModel::fit(s.x, Eigen::VectorXd::Zero(200), BoostObjective::kLogistic, {});
  ASSERT_FALSE(model.ok());
  EXPECT_NE(model.status().message().find("needs both outcomes"), std::string::npos);

  auto crossed = cross_fit_boosting(s.x, s.y, BoostObjective::kLogistic, 1, 1, {}, 1);
  ASSERT_FALSE(crossed.ok());
  EXPECT_NE(crossed.status().message().find("folds"), std::string::npos);
}

TEST(Boosting, FoldWithoutBothOutcomesIsNamed) {
  // One 1 among ten rows: the fold that holds it leaves training rows of 0s only.
  const Sample s = logistic_model(10, 19);
  Eigen::VectorXd y = Eigen::VectorXd::Zero(10);
  y[6] = 1;
  auto crossed = cross_fit_boosting(s.x, y, BoostObjective::kLogistic, 2, 1, {}, 2);
  ASSERT_FALSE(crossed.ok());
  EXPECT_EQ(crossed.status().code(), ErrorCode::kBadInput);
  EXPECT_NE(crossed.status().message().find("cross-fitting fold"), std::string::npos);
  EXPECT_NE(crossed.status().message().find("needs both outcomes"), std::string::npos)
      << crossed.status().message();
}

TEST(Boosting, MovedModelPredictsAndConcurrentPredictionsAgree) {
  const Sample s = logistic_model(1000, 20);
  BoostingOptions options;
  options.rounds = 50;
  auto fitted = BoostedModel::fit(s.x, s.y, BoostObjective::kLogistic, options);
  ASSERT_TRUE(fitted.ok()) << fitted.status().message();
  BoostedModel model = std::move(fitted).value();
  const Eigen::VectorXd serial = model.predict(s.x).value();
  std::vector<Eigen::VectorXd> parallel(4);
#pragma omp parallel for num_threads(2)
  for (int k = 0; k < 4; ++k) parallel[static_cast<std::size_t>(k)] = model.predict(s.x).value();
  for (const auto& p : parallel) EXPECT_TRUE(identical(p, serial));
}

}  // namespace
}  // namespace causeway
