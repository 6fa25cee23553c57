// Cross-fitting folds shared by every cross-fitted model (aipw, local centering, boosting,
// meta-learners): rows shuffled with Rng(seed) (Fisher-Yates) and dealt round-robin, so fold
// sizes differ by at most one and the same seed gives the same folds everywhere.
#pragma once

#include <cstdint>
#include <vector>

namespace causeway {

// 0 .. n-1 in a random order.
std::vector<std::size_t> shuffled_rows(std::size_t n, std::uint64_t seed);

// Row i's fold, 0 .. folds-1.
std::vector<int> assign_folds(std::size_t n, int folds, std::uint64_t seed);

}  // namespace causeway
