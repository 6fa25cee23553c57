#include "learn/exp_kernel.h"

#include <cmath>
#include <cstdint>
#include <cstring>

namespace causeway {
namespace {

// Cephes' exp.c: the rational approximation on [-ln2/2, ln2/2] and ln 2 split in two parts.
constexpr double kP0 = 1.26177193074810590878e-4, kP1 = 3.02994407707441961300e-2,
                 kP2 = 9.99999999999999999910e-1;
constexpr double kQ0 = 3.00198505138664455042e-6, kQ1 = 2.52448340349684104192e-3,
                 kQ2 = 2.27265548208155028766e-1, kQ3 = 2.00000000000000000009e0;
constexpr double kLn2High = 0.693145751953125, kLn2Low = 1.42860682030941723212e-6;
constexpr double kLog2e = 1.4426950408889634073599;
// Arguments below this are clamped to it (their exponential, 5.6e-309, is subnormal).
constexpr double kLowest = -709.784;
// Adding 1.5 * 2^52 to a double below 2^51 in magnitude rounds it to an integer held in the low
// bits of its pattern.
constexpr double kShifter = 6755399441055744.0;

// Four doubles at a time (GCC vector extensions): one AVX2 register, or two SSE2 ones.
using Vec = double __attribute__((vector_size(32)));
using Bits = std::int64_t __attribute__((vector_size(32)));

[[gnu::always_inline]] inline Vec broadcast(double v) {
  return Vec{v, v, v, v};
}

// floor(t) for |t| < 2^51 without a floor instruction (SSE2 has none): round to nearest, then
// step down where that went up.
[[gnu::always_inline]] inline Vec floor_of(Vec t) {
  const Vec r = (t + kShifter) - kShifter;
  return r - (r > t ? broadcast(1.0) : broadcast(0.0));
}

// 2^k for integers k in [-1022, 1023], built from their exponent bits.
[[gnu::always_inline]] inline Vec power_of_two(Vec k) {
  const Bits biased = (Bits)(k + (1023.0 + kShifter)) - (Bits)broadcast(kShifter);
  return (Vec)(biased << 52);
}

[[gnu::always_inline]] inline Vec exp_minus_abs_of_four(Vec x) {
  const Vec a = -(Vec)(((Bits)x & (Bits)broadcast(-0.0)) ^ (Bits)x);  // -|x|
  Vec r = a < kLowest ? broadcast(kLowest) : a;                       // NaN passes through
  const Vec k = floor_of(kLog2e * r + 0.5);
  r = r - k * kLn2High;
  r = r - k * kLn2Low;
  const Vec r2 = r * r;
  const Vec p = ((kP0 * r2 + kP1) * r2 + kP2) * r;
  const Vec q = ((kQ0 * r2 + kQ1) * r2 + kQ2) * r2 + kQ3;
  const Vec e = 2.0 * (p / (q - p)) + 1.0;
  // e * 2^k in two exact steps, so that k below -1022 (a subnormal result) needs no case.
  const Vec half = floor_of(0.5 * k);
  return e * power_of_two(half) * power_of_two(k - half);
}

// The loop both builds share; inlined into each, so each is compiled for its own target.
[[gnu::always_inline]] inline void exp_loop(const double* x, double* out, std::size_t n) {
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    Vec v;
    std::memcpy(&v, x + i, sizeof v);
    v = exp_minus_abs_of_four(v);
    std::memcpy(out + i, &v, sizeof v);
  }
  if (i == n) return;
  Vec v = broadcast(0.0);
  std::memcpy(&v, x + i, (n - i) * sizeof(double));
  v = exp_minus_abs_of_four(v);
  std::memcpy(out + i, &v, (n - i) * sizeof(double));
}

}  // namespace

void exp_minus_abs_portable(const double* x, double* out, std::size_t n) {
  exp_loop(x, out, n);
}

__attribute__((target("avx2"))) void exp_minus_abs_avx2(const double* x, double* out,
                                                        std::size_t n) {
  exp_loop(x, out, n);
}

bool have_avx2() {
  static const bool avx2 = __builtin_cpu_supports("avx2");
  return avx2;
}

void exp_minus_abs(const double* x, double* out, std::size_t n) {
  // Eigen's array exp() takes two values at a time (SSE2) and a last odd one through std::exp:
  // so does this, to give the same bits.
  if (n % 2 == 1) out[n - 1] = std::exp(-std::abs(x[n - 1])), --n;
  if (have_avx2())
    exp_minus_abs_avx2(x, out, n);
  else
    exp_minus_abs_portable(x, out, n);
}

}  // namespace causeway
