// Deciles of a ranking: 1 for the highest tenth of `values`, 10 for the lowest. Rows go in
// descending order of value, ties by row; equal values then share the decile of the first.
#pragma once

#include <vector>

namespace causeway {

// The rows in descending order of value (ties by row).
std::vector<std::size_t> descending_order(const std::vector<double>& values);

std::vector<int> deciles_of(const std::vector<double>& values);

// Per row, from rows already in descending order (descending_order's result): equal-sized
// deciles, tied rows split by their order.
std::vector<int> deciles_of_order(const std::vector<std::size_t>& order);

// deciles_of() from the order already computed.
std::vector<int> tied_deciles(const std::vector<std::size_t>& order,
                              const std::vector<double>& values);

}  // namespace causeway
