// Sums over many rows that come out the same on any number of threads: the rows are cut into
// fixed blocks, each block is summed on its own (by whichever thread), and the blocks' sums are
// added in block order. Blocks go to whichever thread is free (their cost can differ: some rows
// need no work), which leaves the sums unchanged.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

#include "core/parallel.h"

namespace causeway {

// Rows per block.
constexpr std::size_t kSumBlockRows = std::size_t{1} << 15;

// add(i, sums) for every i < n, into one value-initialised Sums per block; the blocks' Sums are
// then combined in block order with +=.
template <class Sums, class Add>
Sums block_sums(std::size_t n, Add add) {
  const std::size_t blocks = (n + kSumBlockRows - 1) / kSumBlockRows;
  std::vector<Sums> part(blocks);
#pragma omp parallel for schedule(dynamic) if (n >= kParallelRows)
  for (std::size_t b = 0; b < blocks; ++b) {
    Sums sums{};  // a local the compiler can keep in registers, unlike an element of `part`
    for (std::size_t i = b * kSumBlockRows; i < std::min(n, (b + 1) * kSumBlockRows); ++i)
      add(i, sums);
    part[b] = sums;
  }
  Sums total{};
  for (const Sums& p : part) total += p;
  return total;
}

// The sum of term(i) over i < n, by blocks as above.
template <class Term>
double block_sum(std::size_t n, Term term) {
  return block_sums<double>(n, [&](std::size_t i, double& sum) { sum += term(i); });
}

}  // namespace causeway
