// exp(-|x|) over an array, for the logistic fit's probabilities: Moshier's Cephes rational
// approximation (exp(r) = 1 + 2 r P(r^2) / (Q(r^2) - r P(r^2)) after taking out the power of two),
// written without branches on four values at a time, and built twice: for AVX2 and for plain
// x86-64 (SSE2), the processor choosing at run time. Both builds do the same operations in the same
// order, without fused multiply-adds, so their results are bit for bit the same, and the same as
// Eigen's array exp(), which computes the same approximation two values at a time and a last odd
// value with std::exp, as exp_minus_abs does (a test checks both builds).
#pragma once

#include <cstddef>

namespace causeway {

// out[i] = exp(-|x[i]|) for i < n: in (0, 1] (exp(-709.784) for any |x| beyond 709.784), NaN
// for NaN. Runs the AVX2 build where the processor has AVX2.
void exp_minus_abs(const double* x, double* out, std::size_t n);

// The two builds of the approximation for every value, for tests; exp_minus_abs_avx2 only where
// have_avx2().
void exp_minus_abs_portable(const double* x, double* out, std::size_t n);
void exp_minus_abs_avx2(const double* x, double* out, std::size_t n);
bool have_avx2();

}  // namespace causeway
