// Crump et al.'s trimming bound against its closed form for uniform scores.
#include "causeway/estimate/diagnostics.h"

#include <gtest/gtest.h>

#include <cmath>

namespace causeway {
namespace {

TEST(CrumpBound, NoTrimmingWhenScoresAreModerate) {
  EXPECT_EQ(crump_trim_bound(Eigen::VectorXd::Constant(100, 0.5)), 0.0);
  Eigen::VectorXd e(4);
  e << 0.3, 0.4, 0.5, 0.6;  // largest g (4.76) below twice the mean g (2 x 4.36)
  EXPECT_EQ(crump_trim_bound(e), 0.0);
}

TEST(CrumpBound, UniformScoresGiveTheClosedFormBound) {
  // For e uniform on (0, 1), E[g | alpha <= e <= 1 - alpha] = 2 ln((1 - alpha) / alpha) /
  // (1 - 2 alpha), so alpha solves 1 / (alpha (1 - alpha)) = 4 ln((1 - alpha) / alpha) /
  // (1 - 2 alpha): about 0.1018, the origin of the "0.1 rule".
  const auto gap = [](double a) {
    return 1 / (a * (1 - a)) - 4 * std::log((1 - a) / a) / (1 - 2 * a);
  };
  double lo = 1e-6, hi = 0.4999;
  for (int k = 0; k < 100; ++k) {
    const double mid = (lo + hi) / 2;
    (gap(lo) * gap(mid) <= 0 ? hi : lo) = mid;
  }
  const int n = 200000;
  Eigen::VectorXd e(n);
  for (int i = 0; i < n; ++i) e[i] = (i + 0.5) / n;
  // A grid of 200,000 points approximates the integral to about 1e-5 in alpha.
  EXPECT_NEAR(crump_trim_bound(e), lo, 1e-4);
}

TEST(CrumpBound, ScoresOfExactlyZeroAreAlwaysTrimmed) {
  Eigen::VectorXd e = Eigen::VectorXd::Constant(50, 0.5);
  e[0] = 0.0;
  const double alpha = crump_trim_bound(e);
  EXPECT_GT(alpha, 0.0);
  EXPECT_LT(alpha, 0.5);
}

}  // namespace
}  // namespace causeway
