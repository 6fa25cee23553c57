#include "core/radix_sort.h"

#include <omp.h>

#include <algorithm>
#include <array>
#include <cstring>

namespace causeway {
namespace {

// Maps a double to an unsigned key with the same order (negative numbers reversed), and back.
// -0.0 becomes 0.0: the two are equal, so their order must come from the rows alone.
std::uint64_t order_key(double v) {
  if (v == 0.0) v = 0.0;
  std::uint64_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  return (bits >> 63) ? ~bits : bits | (std::uint64_t{1} << 63);
}

double from_key(std::uint64_t key) {
  const std::uint64_t bits = (key >> 63) ? key & ~(std::uint64_t{1} << 63) : ~key;
  double v;
  std::memcpy(&v, &bits, sizeof v);
  return v;
}

using DigitCounts = std::array<std::array<std::size_t, 256>, 8>;

// From this many pairs, the sort goes by buckets of the highest digit first (see sort_pairs).
constexpr std::size_t kBucketedFrom = std::size_t{1} << 16;

std::uint64_t key_at(const double* keys, std::size_t i) {
  std::uint64_t key;
  std::memcpy(&key, &keys[i], sizeof key);
  return key;
}

// Whether all n keys have the same digit d (`c`, its counts).
bool shared(const std::array<std::size_t, 256>& c, const double* keys, std::size_t n, int d) {
  return n == 0 || c[(key_at(keys, 0) >> (8 * d)) & 0xFF] == n;
}

// Stable passes over digits 0 to digits - 1 of the n keys (bit patterns in `value`), lowest first,
// from one pair of arrays to the other; a digit all keys share is skipped. count[d] holds digit
// d's counts. Returns whether the pairs ended in (tmp, row_tmp).
bool lsd_passes(double* value, std::uint32_t* row, double* tmp, std::uint32_t* row_tmp,
                std::size_t n, int digits, DigitCounts& count) {
  bool swapped = false;
  for (int d = 0; d < digits; ++d) {
    auto& c = count[d];
    if (shared(c, value, n, d)) continue;
    std::size_t sum = 0;
    for (auto& x : c) {
      const std::size_t here = x;
      x = sum;
      sum += here;
    }
    const int shift = 8 * d;
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t to = c[(key_at(value, i) >> shift) & 0xFF]++;
      tmp[to] = value[i];
      row_tmp[to] = row[i];
    }
    std::swap(value, tmp);
    std::swap(row, row_tmp);
    swapped = !swapped;
  }
  return swapped;
}

}  // namespace

void sort_pairs(UninitializedVector<double>& value, UninitializedVector<std::uint32_t>& row) {
  UninitializedVector<double> tmp(value.size());
  UninitializedVector<std::uint32_t> row_tmp(value.size());
  sort_pairs(value, row, tmp, row_tmp);
}

void sort_pairs(UninitializedVector<double>& value, UninitializedVector<std::uint32_t>& row,
                UninitializedVector<double>& tmp, UninitializedVector<std::uint32_t>& row_tmp) {
  if (sort_pairs(value.data(), row.data(), tmp.data(), row_tmp.data(), value.size())) {
    value.swap(tmp);
    row.swap(row_tmp);
  }
}

bool sort_pairs(double* value, std::uint32_t* row, double* tmp, std::uint32_t* row_tmp,
                std::size_t n) {
  // The keys live in the values' own storage, as bit patterns; one pass counts all eight digits.
  DigitCounts count;
  for (auto& c : count) c.fill(0);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t key = order_key(value[i]);
    std::memcpy(&value[i], &key, sizeof key);
    for (int d = 0; d < 8; ++d) ++count[d][(key >> (8 * d)) & 0xFF];
  }
  int top = 7;  // the highest digit the keys do not all share
  while (top >= 0 && shared(count[top], value, n, top)) --top;
  if (n < kBucketedFrom || top < 1) {
    const bool swapped = lsd_passes(value, row, tmp, row_tmp, n, 8, count);
    double* const keys = swapped ? tmp : value;
    for (std::size_t i = 0; i < n; ++i) keys[i] = from_key(key_at(keys, i));
    return swapped;
  }
  // A large array: one pass on the highest digit the keys do not share puts them in 256 buckets
  // in order, stably; each bucket, a few thousand pairs that stay in a core's cache, is then sorted
  // on the lower digits where it lies, and ends in (tmp, row_tmp).
  std::array<std::size_t, 257> start{};
  for (int b = 0; b < 256; ++b) start[b + 1] = start[b] + count[top][b];
  std::array<std::size_t, 256> next;
  std::copy_n(start.begin(), 256, next.begin());
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t to = next[(key_at(value, i) >> (8 * top)) & 0xFF]++;
    tmp[to] = value[i];
    row_tmp[to] = row[i];
  }
  for (int b = 0; b < 256; ++b) {
    const std::size_t at = start[b], m = start[b + 1] - at;
    if (m == 0) continue;
    double* const keys = tmp + at;
    for (int d = 0; d < top; ++d) count[d].fill(0);
    for (std::size_t i = 0; i < m; ++i) {
      const std::uint64_t key = key_at(keys, i);
      for (int d = 0; d < top; ++d) ++count[d][(key >> (8 * d)) & 0xFF];
    }
    // The bucket's scratch is its own place in (value, row).
    if (lsd_passes(keys, row_tmp + at, value + at, row + at, m, top, count)) {
      std::copy_n(value + at, m, keys);
      std::copy_n(row + at, m, row_tmp + at);
    }
    for (std::size_t i = 0; i < m; ++i) keys[i] = from_key(key_at(keys, i));
  }
  // In the scratch, as an odd number of passes leaves them: a caller that swaps its arrays (see
  // the vectors' sort_pairs) frees the ones it filled first, where its next arrays then fit.
  return true;
}

void sort_pairs_in_two(UninitializedVector<double>& value, UninitializedVector<std::uint32_t>& row,
                       UninitializedVector<double>& tmp,
                       UninitializedVector<std::uint32_t>& row_tmp, std::size_t lower,
                       bool parallel) {
  const std::size_t start[2] = {0, lower}, size[2] = {lower, value.size() - lower};
  bool in_tmp[2];  // where each part ended sorted
#pragma omp parallel for num_threads(std::min(2, omp_get_max_threads())) \
    schedule(static, 1) if (parallel)
  for (int p = 0; p < 2; ++p)
    in_tmp[p] = sort_pairs(value.data() + start[p], row.data() + start[p], tmp.data() + start[p],
                           row_tmp.data() + start[p], size[p]);
  // Both parts in one pair of arrays: the smaller part joins the larger one's (an empty part is
  // wherever the other is).
  const int small = size[0] < size[1] ? 0 : 1, large = 1 - small;
  if (in_tmp[small] != in_tmp[large] && size[small] > 0) {
    const std::size_t at = start[small], n = size[small];
    if (in_tmp[large]) {
      std::copy_n(value.data() + at, n, tmp.data() + at);
      std::copy_n(row.data() + at, n, row_tmp.data() + at);
    } else {
      std::copy_n(tmp.data() + at, n, value.data() + at);
      std::copy_n(row_tmp.data() + at, n, row.data() + at);
    }
  }
  if (in_tmp[large]) value.swap(tmp), row.swap(row_tmp);
}

std::vector<std::size_t> sort_by_value(const std::vector<std::size_t>& rows,
                                       const Eigen::VectorXd& value) {
  UninitializedVector<double> v(rows.size());
  UninitializedVector<std::uint32_t> r(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    v[i] = value[static_cast<Eigen::Index>(rows[i])];
    r[i] = static_cast<std::uint32_t>(rows[i]);
  }
  sort_pairs(v, r);
  return {r.begin(), r.end()};
}

}  // namespace causeway
