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

// `kernel` on the first n arguments against Eigen's exp() of those n (an array of n, as the fit
// hands over): bit for bit, and nothing written past n.
void expect_same_as_eigen(void (*kernel)(const double*, double*, std::size_t), std::size_t n,
                          const Eigen::ArrayXd& x) {
  const Eigen::ArrayXd head = x.head(static_cast<Eigen::Index>(n));
  const Eigen::ArrayXd expected = (-head.abs()).exp();
  Eigen::ArrayXd got = Eigen::ArrayXd::Constant(static_cast<Eigen::Index>(n) + 1, -1.0);
  kernel(head.data(), got.data(), n);
  for (Eigen::Index k = 0; k < static_cast<Eigen::Index>(n); ++k)
    ASSERT_EQ(std::memcmp(&got[k], &expected[k], sizeof(double)), 0)
        << "n = " << n << ", x = " << x[k] << ": " << got[k] << " instead of " << expected[k];
  EXPECT_EQ(got[static_cast<Eigen::Index>(n)], -1.0) << "wrote past the end, n = " << n;
}

// Every length up to 64 (each place a last odd value or a partial group of four can fall, on
// arguments whose std::exp and approximation differ often enough to tell), then all of them.
void expect_same_as_eigen(void (*kernel)(const double*, double*, std::size_t)) {
  const Eigen::ArrayXd x = arguments();
  Eigen::ArrayXd shuffled = x.tail(x.size() - 100);  // past the special values: random ones
  for (std::size_t start = 0; start < 20; ++start)
    for (std::size_t n = 0; n <= 64; ++n)
      expect_same_as_eigen(kernel, n, shuffled.segment(static_cast<Eigen::Index>(start * 64), 65));
  expect_same_as_eigen(kernel, static_cast<std::size_t>(x.size()), x);
}

TEST(ExpKernel, EqualsEigenBitForBit) {
  expect_same_as_eigen(exp_minus_abs);
}

TEST(ExpKernel, BothBuildsEqualEigenOnEvenLengths) {
  // The builds alone take every value through the approximation, as Eigen does but for a last
  // odd value: on even lengths they must give its bits.
  const Eigen::ArrayXd x = arguments().head(400000);
  for (auto* kernel : {exp_minus_abs_portable, exp_minus_abs_avx2}) {
    if (kernel == exp_minus_abs_avx2 && !have_avx2()) continue;
    for (std::size_t n = 0; n <= 64; n += 2) expect_same_as_eigen(kernel, n, x.segment(200, 65));
    expect_same_as_eigen(kernel, static_cast<std::size_t>(x.size()), x);
  }
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
