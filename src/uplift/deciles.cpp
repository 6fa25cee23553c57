#include "uplift/deciles.h"

#include <algorithm>
#include <numeric>

namespace causeway {

std::vector<std::size_t> descending_order(const std::vector<double>& values) {
  std::vector<std::size_t> order(values.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return values[a] > values[b]; });
  return order;
}

std::vector<int> deciles_of(const std::vector<double>& values) {
  return deciles_of_order(descending_order(values));
}

std::vector<int> deciles_of_order(const std::vector<std::size_t>& order) {
  std::vector<int> decile(order.size(), 0);
  for (std::size_t k = 0; k < order.size(); ++k)
    decile[order[k]] = static_cast<int>(k * 10 / order.size()) + 1;
  return decile;
}

}  // namespace causeway
