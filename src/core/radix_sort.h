// Sorting by a double value in linear time.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <vector>

#include "causeway/data/table.h"

namespace causeway {

// Sorts the pairs (value[i], row[i]) by value, keeping the given order among equal values: a
// stable radix sort on the doubles' bit patterns, 8-bit digits, digits every value shares skipped;
// from 65,536 pairs, one pass on the highest digit first, then each of its 256 buckets on the
// lower digits within the cache. With rows ascending on input, equal values end in row order.
// NaN is not allowed.
void sort_pairs(UninitializedVector<double>& value, UninitializedVector<std::uint32_t>& row);
// The same with the caller's scratch arrays (of the pairs' size): the vectors are swapped with them
// as the passes go, so on return either may hold the sorted pairs, the others the scratch.
void sort_pairs(UninitializedVector<double>& value, UninitializedVector<std::uint32_t>& row,
                UninitializedVector<double>& tmp, UninitializedVector<std::uint32_t>& row_tmp);
// The same on n pairs in place, with n places of scratch: true when the sorted pairs end in the
// scratch (tmp, row_tmp), false when in (value, row).
bool sort_pairs(double* value, std::uint32_t* row, double* tmp, std::uint32_t* row_tmp,
                std::size_t n);
// The same as sort_pairs(value, row, tmp, row_tmp) for pairs whose first `lower` values are all
// below the rest: the two parts are sorted apart, at the same time on two threads when `parallel`.
void sort_pairs_in_two(UninitializedVector<double>& value, UninitializedVector<std::uint32_t>& row,
                       UninitializedVector<double>& tmp,
                       UninitializedVector<std::uint32_t>& row_tmp, std::size_t lower,
                       bool parallel);

// The indices `rows` ordered by (value[row], row); `rows` must be ascending.
std::vector<std::size_t> sort_by_value(const std::vector<std::size_t>& rows,
                                       const Eigen::VectorXd& value);

}  // namespace causeway
