#include "core/folds.h"

#include <numeric>
#include <utility>

#include "causeway/rng.h"

namespace causeway {

std::vector<std::size_t> shuffled_rows(std::size_t n, std::uint64_t seed) {
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  Rng rng(seed);
  for (std::size_t i = n; i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
  return order;
}

std::vector<int> assign_folds(std::size_t n, int folds, std::uint64_t seed) {
  const std::vector<std::size_t> order = shuffled_rows(n, seed);
  std::vector<int> fold(n);
  for (std::size_t k = 0; k < n; ++k)
    fold[order[k]] = static_cast<int>(k % static_cast<std::size_t>(folds));
  return fold;
}

}  // namespace causeway
