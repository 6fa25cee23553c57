// When a pass over rows is worth sharing between the threads.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <utility>

namespace causeway {

// From this many rows, a simple pass over them (a copy, a count, a sum, a scan) is shared by the
// threads; below it, waking them costs more than the pass saves.
constexpr std::size_t kParallelRows = 200000;

// The smallest and largest of v[0], ..., v[n - 1] (no NaN), in one pass shared by the threads:
// exact on any number of them. (INFINITY, -INFINITY) for n = 0.
inline std::pair<double, double> value_range(const double* v, std::size_t n) {
  double low = INFINITY, high = -INFINITY;
  constexpr std::size_t kBlock = 1 << 14;
  // clang-format off
#pragma omp parallel for schedule(static) reduction(min : low) reduction(max : high) \
    if (n >= kParallelRows)
  // clang-format on
  for (std::size_t b = 0; b < (n + kBlock - 1) / kBlock; ++b) {
    // Four of each in turn: one minimum chained after another waits on it; four do not.
    double lo[4] = {INFINITY, INFINITY, INFINITY, INFINITY};
    double hi[4] = {-INFINITY, -INFINITY, -INFINITY, -INFINITY};
    const std::size_t end = std::min(n, (b + 1) * kBlock);
    std::size_t i = b * kBlock;
    for (; i + 4 <= end; i += 4)
      for (int k = 0; k < 4; ++k)
        lo[k] = std::min(lo[k], v[i + k]), hi[k] = std::max(hi[k], v[i + k]);
    for (; i < end; ++i) lo[0] = std::min(lo[0], v[i]), hi[0] = std::max(hi[0], v[i]);
    for (int k = 0; k < 4; ++k) low = std::min(low, lo[k]), high = std::max(high, hi[k]);
  }
  return {low, high};
}

}  // namespace causeway
