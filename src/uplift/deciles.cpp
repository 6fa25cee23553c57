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
  return tied_deciles(descending_order(values), values);
}

std::vector<int> tied_deciles(const std::vector<std::size_t>& order,
                              const std::vector<double>& values) {
  std::vector<int> decile = deciles_of_order(order);
  // Equal values share one decile, the one of the first of them: identical customers are never
  // told apart.
  for (std::size_t k = 1; k < order.size(); ++k)
    if (values[order[k]] == values[order[k - 1]]) decile[order[k]] = decile[order[k - 1]];
  return decile;
}

std::vector<int> deciles_of_order(const std::vector<std::size_t>& order) {
  std::vector<int> decile(order.size(), 0);
  for (std::size_t k = 0; k < order.size(); ++k)
    decile[order[k]] = static_cast<int>(k * 10 / order.size()) + 1;
  return decile;
}

}  // namespace causeway
