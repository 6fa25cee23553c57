#include "core/spread.h"

#include <algorithm>
#include <cmath>

namespace causeway {

Spread spread(std::vector<double> values) {
  Spread s;
  const double n = static_cast<double>(values.size());
  for (double v : values) s.mean += v;
  s.mean /= n;
  double ss = 0;
  for (double v : values) ss += (v - s.mean) * (v - s.mean);
  s.sd = values.size() > 1 ? std::sqrt(ss / (n - 1)) : 0.0;
  std::sort(values.begin(), values.end());
  const auto at = [&](double p) {
    const double h = (n - 1) * p;
    const std::size_t lo = static_cast<std::size_t>(std::floor(h));
    const std::size_t hi = std::min(lo + 1, values.size() - 1);
    return values[lo] + (h - static_cast<double>(lo)) * (values[hi] - values[lo]);
  };
  s.low = at(0.025);
  s.high = at(0.975);
  return s;
}

std::pair<double, double> mean_and_se(std::span<const double> values) {
  const double n = static_cast<double>(values.size());
  double m = 0, ss = 0;
  for (double v : values) m += v;
  m /= n;
  for (double v : values) ss += (v - m) * (v - m);
  return {m, values.size() > 1 ? std::sqrt(ss / (n - 1) / n) : NAN};
}

}  // namespace causeway
