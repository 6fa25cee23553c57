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
  // clang-format off
#pragma omp parallel for schedule(static) reduction(min : low) reduction(max : high) \
    if (n >= kParallelRows)
  // clang-format on
  for (std::size_t i = 0; i < n; ++i) low = std::min(low, v[i]), high = std::max(high, v[i]);
  return {low, high};
}

}  // namespace causeway
