#include "forest/binning.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace causeway {
namespace {

// Bin edges for one column: (lower, upper) value of each bin, from its sorted values.
void edges(std::vector<double> sorted, int max_bins, std::vector<double>& lower,
           std::vector<double>& upper) {
  std::sort(sorted.begin(), sorted.end());
  std::vector<double> distinct;
  std::vector<std::size_t> count;  // rows per distinct value
  for (double v : sorted) {
    if (distinct.empty() || v != distinct.back()) distinct.push_back(v), count.push_back(0);
    ++count.back();
  }
  if (distinct.size() <= static_cast<std::size_t>(max_bins)) {  // exact: a bin per value
    lower = upper = distinct;
    return;
  }
  // Greedy equal-count bins: close a bin once it holds its share of the rows still to bin, so
  // a value holding many rows gets a bin of its own without starving the rest.
  std::size_t remaining = sorted.size(), in_bin = 0;
  int bins_left = max_bins;
  double first = distinct[0];
  for (std::size_t k = 0; k < distinct.size(); ++k) {
    in_bin += count[k];
    const double share = static_cast<double>(remaining) / bins_left;
    const bool last_value = k + 1 == distinct.size();
    if (last_value || (static_cast<double>(in_bin) >= share && bins_left > 1)) {
      lower.push_back(first);
      upper.push_back(distinct[k]);
      remaining -= in_bin;
      in_bin = 0;
      --bins_left;
      if (!last_value) first = distinct[k + 1];
    }
  }
}

}  // namespace

BinnedFeatures::BinnedFeatures(const Eigen::MatrixXd& x, int max_bins)
    : rows_(static_cast<std::size_t>(x.rows())) {
  if (max_bins < 2 || max_bins > 256) throw std::invalid_argument("max_bins must be from 2 to 256");
  const std::size_t p = static_cast<std::size_t>(x.cols());
  upper_.resize(p);
  lower_.resize(p);
  cut_.resize(p);
  codes_.resize(rows_ * p);
  for (std::size_t j = 0; j < p; ++j) {
    const auto col = x.col(static_cast<Eigen::Index>(j));
    edges(std::vector<double>(col.data(), col.data() + col.size()), max_bins, lower_[j], upper_[j]);
    for (std::size_t b = 0; b + 1 < upper_[j].size(); ++b)  // midway between neighbouring bins
      cut_[j].push_back(upper_[j][b] + (lower_[j][b + 1] - upper_[j][b]) / 2);
    for (std::size_t i = 0; i < rows_; ++i)
      codes_[i * p + j] = bin_of(j, col[static_cast<Eigen::Index>(i)]);
  }
}

double BinnedFeatures::threshold(std::size_t j, int b) const {
  const auto k = static_cast<std::size_t>(b);
  return k < cut_[j].size() ? cut_[j][k] : INFINITY;
}

std::uint8_t BinnedFeatures::bin_of(std::size_t j, double value) const {
  const auto& c = cut_[j];  // bin b holds the values in (cut[b - 1], cut[b]]
  return static_cast<std::uint8_t>(std::lower_bound(c.begin(), c.end(), value) - c.begin());
}

}  // namespace causeway
