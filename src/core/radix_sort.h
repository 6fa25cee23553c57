// Sorting row indices by a double value in linear time.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <vector>

namespace causeway {

// The indices `rows` ordered by (value[row], row): a stable LSD radix sort on the bit pattern of
// the doubles (16-bit digits; digits every key shares are skipped). `rows` must be ascending.
// NaN is not allowed. About 10x faster than std::stable_sort with a comparator on a million rows.
std::vector<std::size_t> sort_by_value(const std::vector<std::size_t>& rows,
                                       const Eigen::VectorXd& value);

}  // namespace causeway
