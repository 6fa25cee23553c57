// The radix sort against std::stable_sort on the same pairs.
#include "core/radix_sort.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "causeway/rng.h"

namespace causeway {
namespace {

void expect_same_as_stable_sort(UninitializedVector<double> value) {
  UninitializedVector<std::uint32_t> row(value.size());
  std::iota(row.begin(), row.end(), 0u);
  UninitializedVector<std::uint32_t> expected = row;
  std::stable_sort(expected.begin(), expected.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return value[a] < value[b]; });
  const UninitializedVector<double> original = value;
  sort_pairs(value, row);
  ASSERT_EQ(row, expected);
  for (std::size_t i = 0; i < row.size(); ++i)
    ASSERT_EQ(value[i], original[row[i]]) << "values must come back unchanged, position " << i;
}

TEST(RadixSort, MatchesStableSortWithTiesAndSigns) {
  Rng rng(11);
  UninitializedVector<double> v(20000);
  // Coarse grid: many ties; both signs; extremes of the double range.
  for (double& x : v) x = std::round((rng.uniform() - 0.4) * 200) / 8;
  v[5] = 1e300, v[6] = -1e300, v[7] = 5e-324, v[8] = -2.5, v[9] = 0.0;
  expect_same_as_stable_sort(v);
}

TEST(RadixSort, ValuesSharingHighDigitsAndEdgeSizes) {
  Rng rng(12);
  UninitializedVector<double> v(5000);
  for (double& x : v) x = 0.5 + rng.uniform() * 1e-9;  // same sign, exponent and top mantissa bits
  expect_same_as_stable_sort(v);
  expect_same_as_stable_sort({});
  expect_same_as_stable_sort({3.0});
  expect_same_as_stable_sort(UninitializedVector<double>(100, 0.25));  // every digit shared
}

TEST(RadixSort, SpreadValuesWithRepeatsAndSignedZeros) {
  // Normal values, some repeated, a crowded stretch sharing all but the lowest digits, and -0
  // and 0 (equal, so they stay in row order).
  Rng rng(13);
  UninitializedVector<double> v(60000);
  for (double& x : v) x = rng.normal();
  for (std::size_t i = 0; i < v.size(); i += 7) v[i] = v[i / 2];
  for (std::size_t i = 0; i < 3000; ++i) v[3 * i + 1] = 0.25 + 1e-12 * rng.uniform();
  for (std::size_t i = 0; i < 40; ++i) v[1000 * i + 2] = i % 2 ? 0.0 : -0.0;
  expect_same_as_stable_sort(v);
}

// From 65,536 pairs the sort goes by buckets of the highest digit first, each bucket sorted on
// the lower digits in its place: spread values, a crowd in one bucket, buckets whose lower digits
// are all shared (no pass: they end where they started) beside buckets with every digit spread,
// and ties across all of them.
TEST(RadixSort, LargeArraysSortByBucketsAsStableSortDoes) {
  Rng rng(15);
  UninitializedVector<double> v(200000);
  for (double& x : v) x = rng.normal();
  expect_same_as_stable_sort(v);
  for (std::size_t i = 0; i < v.size(); ++i)  // most in one narrow stretch, a few far out
    v[i] = i % 50 == 0 ? rng.normal() * 1e6 : 0.375 + 1e-9 * rng.uniform();
  expect_same_as_stable_sort(v);
  for (std::size_t i = 0; i < v.size(); ++i)  // coarse values (low digits zero) and fine ones
    v[i] = i % 3 == 0 ? std::round(rng.uniform() * 64) / 64 : 2 + rng.uniform();
  for (std::size_t i = 0; i < v.size(); i += 11) v[i] = v[i / 5];  // ties
  expect_same_as_stable_sort(v);
  for (double& x : v) x = rng.uniform();  // scores: the benchmark's shape
  expect_same_as_stable_sort(v);
}

// Pairs cut at `lower` (all values before it below all after it) and sorted in two parts, on one
// thread and on two, against std::stable_sort of the whole.
void expect_two_parts_sort_as_one(const UninitializedVector<double>& value, std::size_t lower) {
  UninitializedVector<std::uint32_t> expected(value.size());
  std::iota(expected.begin(), expected.end(), 0u);
  std::stable_sort(expected.begin(), expected.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return value[a] < value[b]; });
  for (bool parallel : {false, true}) {
    UninitializedVector<double> v = value, tmp(value.size());
    UninitializedVector<std::uint32_t> row(value.size()), row_tmp(value.size());
    std::iota(row.begin(), row.end(), 0u);
    sort_pairs_in_two(v, row, tmp, row_tmp, lower, parallel);
    ASSERT_EQ(row, expected) << "lower " << lower << ", parallel " << parallel;
    for (std::size_t i = 0; i < row.size(); ++i) ASSERT_EQ(v[i], value[row[i]]) << i;
  }
}

TEST(RadixSort, TwoPartsSortAsOneWhereverTheirPassesEnd) {
  Rng rng(14);
  UninitializedVector<double> v(30000);
  // A constant lower part (no pass: it stays in place) and a spread upper one (seven passes: it
  // ends in the scratch arrays), the lower part smaller, then larger.
  for (std::size_t lower : {10000u, 20000u}) {
    for (std::size_t i = 0; i < v.size(); ++i)
      v[i] = i < lower ? 0.125 : 0.25 + 0.5 * rng.uniform();
    std::shuffle(v.begin(), v.end(), std::mt19937(7));
    std::stable_partition(v.begin(), v.end(), [](double x) { return x < 0.25; });
    expect_two_parts_sort_as_one(v, lower);
  }
  // Parts ending in the same arrays, ties across the whole, and an empty part either side.
  for (double& x : v) x = std::round(rng.uniform() * 1000) / 1000;
  std::stable_partition(v.begin(), v.end(), [](double x) { return x < 0.4; });
  const auto cut = static_cast<std::size_t>(
      std::find_if(v.begin(), v.end(), [](double x) { return x >= 0.4; }) - v.begin());
  expect_two_parts_sort_as_one(v, cut);
  expect_two_parts_sort_as_one(v, 0);
  std::sort(v.begin(), v.end());
  expect_two_parts_sort_as_one(v, v.size());
}

TEST(RadixSort, SortByValueOrdersRowsByValueThenRow) {
  Eigen::VectorXd v(6);
  v << 0.3, 0.1, 0.3, -0.2, 0.1, 0.0;
  const std::vector<std::size_t> got = sort_by_value({0, 1, 2, 3, 4, 5}, v);
  EXPECT_EQ(got, (std::vector<std::size_t>{3, 5, 1, 4, 0, 2}));
}

}  // namespace
}  // namespace causeway
