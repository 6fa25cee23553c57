#include "causeway/learn/ols.h"

#include <gtest/gtest.h>

#include <cmath>

namespace causeway {
namespace {

TEST(Ols, MatchesHandComputedFit) {
  // y = 1 + 2x exactly on x = 0..4 plus residuals (+1, -1, 0, -1, +1): slope 2, intercept 1.
  Eigen::MatrixXd x(5, 2);
  x << 1, 0, 1, 1, 1, 2, 1, 3, 1, 4;
  Eigen::VectorXd y(5);
  y << 2, 2, 5, 6, 10;
  const OlsFit fit = fit_ols(x, y).value();
  EXPECT_NEAR(fit.coef[0], 1.0, 1e-12);
  EXPECT_NEAR(fit.coef[1], 2.0, 1e-12);
  // RSS = 4, sigma^2 = 4/3, var(slope) = sigma^2 / Sxx = (4/3) / 10.
  EXPECT_NEAR(fit.se_classical[1], std::sqrt(4.0 / 30.0), 1e-12);
  // HC1: sum (x - xbar)^2 e^2 / Sxx^2 * n/(n-p) = (4 + 1 + 0 + 1 + 4) / 100 * 5/3.
  EXPECT_NEAR(fit.se_hc1[1], std::sqrt(10.0 / 100.0 * 5.0 / 3.0), 1e-12);
}

// The same fit with x moved to 1e9 + 0..4 (a timestamp beside the intercept): the normal equations
// as given lose the slope; centred, the slope and its standard errors are those above, and the
// intercept and its classical error are the shifted line's, 1 - 2e9 and
// sqrt(sigma^2 (1/n + xbar^2 / Sxx)).
TEST(Ols, AColumnFarFromZeroBesideTheInterceptFitsAsNearZero) {
  const double shift = 1e9;
  Eigen::MatrixXd x(5, 2);
  x << 1, 0, 1, 1, 1, 2, 1, 3, 1, 4;
  x.col(1).array() += shift;
  Eigen::VectorXd y(5);
  y << 2, 2, 5, 6, 10;
  const OlsFit fit = fit_ols(x, y).value();
  EXPECT_NEAR(fit.coef[1], 2.0, 1e-9);
  EXPECT_NEAR(fit.coef[0], 1.0 - 2 * shift, 1e-9 * 2 * shift);
  EXPECT_NEAR(fit.se_classical[1], std::sqrt(4.0 / 30.0), 1e-9);
  EXPECT_NEAR(fit.se_hc1[1], std::sqrt(10.0 / 100.0 * 5.0 / 3.0), 1e-9);
  const double xbar = shift + 2;
  EXPECT_NEAR(fit.se_classical[0], std::sqrt(4.0 / 3.0 * (0.2 + xbar * xbar / 10.0)),
              1e-9 * fit.se_classical[0]);
  const Eigen::VectorXd b = least_squares(x, y);
  EXPECT_NEAR(b[1], 2.0, 1e-9);
  EXPECT_NEAR(b[0], 1.0 - 2 * shift, 1e-9 * 2 * shift);
}

TEST(Ols, SingularDesignIsAnError) {
  Eigen::MatrixXd x(4, 2);
  x << 1, 2, 1, 2, 1, 2, 1, 2;
  auto r = fit_ols(x, Eigen::VectorXd::Ones(4));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kNumericalFailure);
}

}  // namespace
}  // namespace causeway
