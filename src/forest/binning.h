// Features pre-binned for histogram split search: each column mapped to at most 256 ordered bins,
// one bin per distinct value when a column has that few (exact), otherwise bins of about equal
// counts whose edges fall between distinct values. A split "bin <= b" then equals the split
// "value <= threshold(j, b)" on the original values, so trees grown on bins predict new rows
// from their raw values.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <vector>

namespace causeway {

class BinnedFeatures {
 public:
  // Bins the columns of `x` (no NaN); max_bins from 2 to 256.
  BinnedFeatures(const Eigen::MatrixXd& x, int max_bins = 256);

  std::size_t rows() const { return rows_; }
  std::size_t cols() const { return upper_.size(); }
  int bins(std::size_t j) const { return static_cast<int>(upper_[j].size()); }
  // The bin of training row i in column j.
  std::uint8_t at(std::size_t i, std::size_t j) const { return codes_[i * cols() + j]; }
  // The bins of training row i, one per column: a row's bins share a cache line or two, so a
  // pass that reads every feature of a row pays one memory access for all of them.
  const std::uint8_t* row(std::size_t i) const { return codes_.data() + i * cols(); }
  // The value that separates bin b from bin b + 1 (midway between their nearest values).
  double threshold(std::size_t j, int b) const;
  // The bin a value falls in, by the thresholds: training values land in their own bin.
  std::uint8_t bin_of(std::size_t j, double value) const;

 private:
  std::size_t rows_ = 0;
  std::vector<std::uint8_t> codes_;         // row-major
  std::vector<std::vector<double>> upper_;  // per column: the largest value in each bin
  std::vector<std::vector<double>> lower_;  // per column: the smallest value in each bin
  std::vector<std::vector<double>> cut_;    // per column: threshold(j, b) for each b but the last
};

}  // namespace causeway
