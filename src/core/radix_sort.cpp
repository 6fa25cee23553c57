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
  std::vector<std::array<std::size_t, 256>> count(8);
  for (auto& c : count) c.fill(0);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t key = order_key(value[i]);
    std::memcpy(&value[i], &key, sizeof key);
    for (int d = 0; d < 8; ++d) ++count[d][(key >> (8 * d)) & 0xFF];
  }
  const auto key_at = [](const double* keys, std::size_t i) {
    std::uint64_t key;
    std::memcpy(&key, &keys[i], sizeof key);
    return key;
  };
  bool swapped = false;  // whether the pairs are in tmp and row_tmp
  for (int d = 0; d < 8; ++d) {
    const int shift = 8 * d;
    auto& c = count[d];
    if (n == 0 || c[(key_at(value, 0) >> shift) & 0xFF] == n) continue;  // a digit all share
    std::size_t sum = 0;
    for (auto& x : c) {
      const std::size_t here = x;
      x = sum;
      sum += here;
    }
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t to = c[(key_at(value, i) >> shift) & 0xFF]++;
      tmp[to] = value[i];
      row_tmp[to] = row[i];
    }
    std::swap(value, tmp);
    std::swap(row, row_tmp);
    swapped = !swapped;
  }
  for (std::size_t i = 0; i < n; ++i) value[i] = from_key(key_at(value, i));
  return swapped;
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
