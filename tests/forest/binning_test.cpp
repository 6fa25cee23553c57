// Feature binning for the forest's histogram split search.
#include "forest/binning.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "causeway/rng.h"

namespace causeway {
namespace {

TEST(Binning, FewDistinctValuesGetABinEach) {
  Eigen::MatrixXd x(8, 2);
  x.col(0) << 3, 1, 2, 1, 3, 2, 1, 3;
  x.col(1) << 0, 1, 0, 1, 1, 0, 0, 1;
  const BinnedFeatures b(x);
  EXPECT_EQ(b.bins(0), 3);
  EXPECT_EQ(b.bins(1), 2);
  for (Eigen::Index i = 0; i < 8; ++i) {
    EXPECT_EQ(b.at(static_cast<std::size_t>(i), 0), static_cast<int>(x(i, 0)) - 1);
    EXPECT_EQ(b.at(static_cast<std::size_t>(i), 1), static_cast<int>(x(i, 1)));
  }
  EXPECT_DOUBLE_EQ(b.threshold(0, 0), 1.5);
  EXPECT_DOUBLE_EQ(b.threshold(0, 1), 2.5);
  EXPECT_EQ(b.threshold(0, 2), INFINITY);
}

TEST(Binning, ManyValuesGetAboutEqualCountsInOrder) {
  Rng rng(3);
  const Eigen::Index n = 100000;
  Eigen::MatrixXd x(n, 1);
  for (Eigen::Index i = 0; i < n; ++i) x(i, 0) = rng.normal();
  const BinnedFeatures b(x, 256);
  EXPECT_EQ(b.bins(0), 256);
  std::vector<std::size_t> count(256, 0);
  for (std::size_t i = 0; i < static_cast<std::size_t>(n); ++i) ++count[b.at(i, 0)];
  const auto [lo, hi] = std::minmax_element(count.begin(), count.end());
  // n / 256 = 390.6 rows a bin; the greedy cut closes a bin at its share or one value later.
  EXPECT_GE(*lo, 380u);
  EXPECT_LE(*hi, 400u);
  // Order is kept, and a split on bins is the same split on values.
  for (Eigen::Index i = 0; i < 2000; ++i)
    for (int t : {0, 63, 128, 254}) {
      const bool by_bin = b.at(static_cast<std::size_t>(i), 0) <= t;
      EXPECT_EQ(by_bin, x(i, 0) <= b.threshold(0, t));
    }
}

TEST(Binning, AHeavyValueKeepsItsOwnBinAndTheRestStillSpread) {
  Eigen::MatrixXd x(10000, 1);
  for (Eigen::Index i = 0; i < 10000; ++i) x(i, 0) = i < 9000 ? 0.0 : static_cast<double>(i);
  const BinnedFeatures b(x, 16);
  EXPECT_LE(b.bins(0), 16);
  EXPECT_GE(b.bins(0), 10);  // the 1,000 other values still get most of the bins
  EXPECT_EQ(b.at(0, 0), 0);
  EXPECT_EQ(b.at(8999, 0), 0);
  EXPECT_GT(b.at(9000, 0), 0);
}

TEST(Binning, NewValuesFallByTheThresholds) {
  Eigen::MatrixXd x(4, 1);
  x << 1, 2, 4, 8;
  const BinnedFeatures b(x);
  EXPECT_EQ(b.bin_of(0, -100), 0);
  EXPECT_EQ(b.bin_of(0, 1.4), 0);
  EXPECT_EQ(b.bin_of(0, 1.6), 1);
  EXPECT_EQ(b.bin_of(0, 3.0), 1);  // threshold between 2 and 4 is 3: at or below goes left
  EXPECT_EQ(b.bin_of(0, 3.1), 2);
  EXPECT_EQ(b.bin_of(0, 1e9), 3);
}

}  // namespace
}  // namespace causeway
