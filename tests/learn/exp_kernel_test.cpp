// The exponential kernel of the logistic fit against Eigen's array exp(), bit for bit, in both of
// its builds: the fit's numbers must not depend on which one the processor runs.
#include "learn/exp_kernel.h"

#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <cmath>
#include <cstring>
#include <limits>

#include "causeway/rng.h"

namespace causeway {
namespace {

// Arguments across the range: small, moderate and large magnitudes of both signs, the points where
// the result turns subnormal and where it is clamped, zeros, infinities.
Eigen::ArrayXd arguments() {
  Rng rng(21);
  Eigen::ArrayXd x(400003);  // not a multiple of four: the last values go through the tail
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    const double u = 2 * rng.uniform() - 1;
    const double scale[] = {1e-6, 1.0, 5.0, 40.0, 800.0};
    x[i] = u * scale[i % 5];
  }
  const double special[] = {0.0,
                            -0.0,
                            1e-320,
                            -1e-320,
                            708.39,
                            -708.4,
                            709.78,
                            709.79,
                            745.13,
                            -745.14,
                            1e300,
                            -1e300,
                            0.5,
                            -0.5,
                            1.0,
                            -1.0,
                            std::numeric_limits<double>::infinity(),
                            -std::numeric_limits<double>::infinity()};
  for (std::size_t k = 0; k < std::size(special); ++k) x[static_cast<Eigen::Index>(k)] = special[k];
  return x;
}

void expect_same_as_eigen(void (*kernel)(const double*, double*, std::size_t)) {
  const Eigen::ArrayXd x = arguments();
  const Eigen::ArrayXd expected = (-x.abs()).exp();
  for (const std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{3}, std::size_t{4},
                              std::size_t{7}, static_cast<std::size_t>(x.size())}) {
    Eigen::ArrayXd got = Eigen::ArrayXd::Constant(x.size(), -1.0);
    kernel(x.data(), got.data(), n);
    for (std::size_t i = 0; i < n; ++i) {
      const auto k = static_cast<Eigen::Index>(i);
      ASSERT_EQ(std::memcmp(&got[k], &expected[k], sizeof(double)), 0)
          << "x = " << x[k] << ": " << got[k] << " instead of " << expected[k];
    }
    if (n < static_cast<std::size_t>(x.size())) {
      EXPECT_EQ(got[static_cast<Eigen::Index>(n)], -1.0) << "wrote past the end, n = " << n;
    }
  }
}

TEST(ExpKernel, PortableBuildEqualsEigenBitForBit) {
  expect_same_as_eigen(exp_minus_abs_portable);
}

TEST(ExpKernel, Avx2BuildEqualsEigenBitForBit) {
  if (!have_avx2()) {
    GTEST_SKIP() << "this processor has no AVX2";
  }
  expect_same_as_eigen(exp_minus_abs_avx2);
}

TEST(ExpKernel, NanStaysNan) {
  const double x[] = {std::nan(""), 1.0, -std::nan(""), 2.0, 3.0};
  double out[5];
  exp_minus_abs(x, out, 5);
  EXPECT_TRUE(std::isnan(out[0]));
  EXPECT_TRUE(std::isnan(out[2]));
  EXPECT_NEAR(out[1], std::exp(-1.0), 1e-16);
}

}  // namespace
}  // namespace causeway
