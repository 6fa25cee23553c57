#include "core/radix_sort.h"

#include <array>
#include <cstring>

namespace causeway {
namespace {

// Maps a double to an unsigned key with the same order (negative numbers reversed).
std::uint64_t order_key(double v) {
  std::uint64_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  return (bits >> 63) ? ~bits : bits | (std::uint64_t{1} << 63);
}

}  // namespace

std::vector<std::size_t> sort_by_value(const std::vector<std::size_t>& rows,
                                       const Eigen::VectorXd& value) {
  const std::size_t n = rows.size();
  std::vector<std::uint64_t> key(n), key_tmp(n);
  std::vector<std::size_t> idx(rows), idx_tmp(n);
  for (std::size_t i = 0; i < n; ++i) key[i] = order_key(value[static_cast<Eigen::Index>(rows[i])]);
  std::vector<std::size_t> count(1 << 16);
  for (int shift = 0; shift < 64; shift += 16) {
    std::fill(count.begin(), count.end(), 0);
    for (std::uint64_t k : key) ++count[(k >> shift) & 0xFFFF];
    if (n > 0 && count[(key[0] >> shift) & 0xFFFF] == n) continue;  // every key shares the digit
    std::size_t sum = 0;
    for (auto& c : count) {
      const std::size_t here = c;
      c = sum;
      sum += here;
    }
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t to = count[(key[i] >> shift) & 0xFFFF]++;
      key_tmp[to] = key[i];
      idx_tmp[to] = idx[i];
    }
    key.swap(key_tmp);
    idx.swap(idx_tmp);
  }
  return idx;
}

}  // namespace causeway
