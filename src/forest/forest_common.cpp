#include "forest/forest_common.h"

#include <cmath>
#include <numeric>

#include "causeway/rng.h"

namespace causeway {
namespace {

// Keeps a random first k of `list`, by a partial shuffle.
void keep_random(std::vector<std::uint32_t>& list, std::size_t k, Rng& rng) {
  k = std::min(k, list.size());
  for (std::size_t i = 0; i < k; ++i) std::swap(list[i], list[i + rng.below(list.size() - i)]);
  list.resize(k);
}

}  // namespace

std::vector<std::uint32_t> draw_subsample(std::size_t rows, double sample_fraction,
                                          std::uint64_t seed, std::size_t index, int group_size) {
  const std::size_t m = std::max<std::size_t>(2, static_cast<std::size_t>(sample_fraction * rows));
  std::vector<std::uint32_t> list(rows);
  std::iota(list.begin(), list.end(), 0u);
  if (group_size > 1) {  // the group's half-sample first
    Rng group(seed ^ 0x5851f42d4c957f2dULL ^ (index / static_cast<std::size_t>(group_size)));
    keep_random(list, rows / 2, group);
  }
  Rng rng(seed + index);
  keep_random(list, m, rng);
  return list;
}

std::vector<char> out_of_bag_mask(std::size_t rows, const std::vector<std::uint32_t>& subsample) {
  std::vector<char> mask(rows, 1);
  for (std::uint32_t i : subsample) mask[i] = 0;
  return mask;
}

std::size_t split_candidates(int mtry, std::size_t p) {
  if (mtry > 0) return std::min<std::size_t>(static_cast<std::size_t>(mtry), p);
  const double rule = std::ceil(std::sqrt(static_cast<double>(p)) + 20);
  return std::min<std::size_t>(static_cast<std::size_t>(rule), p);
}

}  // namespace causeway
