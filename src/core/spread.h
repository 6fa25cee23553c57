// The summary of a set of simulated or resampled estimates: mean, SD (n - 1) and the 2.5 % and
// 97.5 % points (linear interpolation between order statistics).
#pragma once

#include <span>
#include <utility>
#include <vector>

namespace causeway {

struct Spread {
  double mean = 0, sd = 0, low = 0, high = 0;
};

// `values` must hold at least one number.
Spread spread(std::vector<double> values);

// The mean of `values` and its standard error (SD with n - 1, over sqrt(n)); the error is NaN
// for fewer than two values.
std::pair<double, double> mean_and_se(std::span<const double> values);

}  // namespace causeway
