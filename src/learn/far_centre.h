// Columns far from 0 for their spread (timestamps in milliseconds: 1.7e12 give or take seconds):
// beside an intercept they make a fit nearly singular, so the fits take them less a centre.
#pragma once

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>

namespace causeway {

// The column's midpoint when it sits more than 10,000 times its range from 0, else 0; judged on
// up to 1,024 rows spread over the column (any centre among the values serves).
inline double far_centre(const Eigen::Ref<const Eigen::VectorXd>& column) {
  const Eigen::Index n = column.size(), stride = std::max<Eigen::Index>(1, n / 1024);
  double low = INFINITY, high = -INFINITY;
  for (Eigen::Index i = 0; i < n; i += stride)
    low = std::min(low, column[i]), high = std::max(high, column[i]);
  const double middle = low / 2 + high / 2;
  return n > 0 && std::abs(middle) > 1e4 * (high - low) ? middle : 0.0;
}

}  // namespace causeway
