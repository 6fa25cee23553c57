#include "forest/regression_forest.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <tuple>

#include "causeway/rng.h"
#include "core/stop.h"
#include "forest/forest_common.h"

namespace causeway {
namespace {

// One histogram bin: rows in it and their sum of y.
struct Bin {
  double n = 0, y = 0;
  Bin& operator+=(const Bin& o) {
    n += o.n, y += o.y;
    return *this;
  }
  Bin& operator-=(const Bin& o) {
    n -= o.n, y -= o.y;
    return *this;
  }
};

struct Split {
  int feature = -1, bin = 0;  // "bin <= this" goes left
  double gain = 0;            // between-children sum of squares
  double left_n = 0, left_y = 0;
};

// Offers `best` the splits "bin <= b" of one feature's histogram, for a node of n rows whose y
// sum to `sum`, each child keeping at least `floor` rows. The between-children sum of squares,
// sum over children of (sum y)^2 / n less the node's own (sum y)^2 / n, is d^2 n / (n_l n_r)
// with d the left child's sum of y minus n_l times the node mean: the same ranking, without the
// cancellation of two large terms.
void offer_splits(const Bin* hist, int bins, double n, double sum, double floor, int feature,
                  Split& best) {
  const double mean = sum / n;
  double left_n = 0, left_y = 0;
  for (int b = 0; b + 1 < bins; ++b) {
    if (hist[b].n == 0) continue;  // the same split as the bin before
    left_n += hist[b].n;
    left_y += hist[b].y;
    const double right_n = n - left_n;
    if (right_n < floor) break;
    if (left_n < floor) continue;
    const double d = left_y - left_n * mean;
    const double gain = d * d * (n / (left_n * right_n));
    if (gain > best.gain) best = {feature, b, gain, left_n, left_y};
  }
}

}  // namespace

// Grows one tree: depth first over a stack of nodes, each owning a range of the subsample's
// rows, which are partitioned in place as nodes split. When every feature is a candidate at
// every node (mtry = p, the default for up to 26 features), a node with many rows holds the
// histograms of all features, and the larger child takes its parent's less the smaller's.
class RegressionForest::Grower {
 public:
  Grower(const RegressionForest& forest, std::size_t index);
  Tree grow();

 private:
  struct Work {
    int node;
    std::size_t begin, end;  // rows_[begin, end)
    double n, sum;           // rows and their sum of y
    int hist;                // a slot of pool_ with all features' histograms, or -1
  };

  Split best_split(const Work& work);
  void split(const Work& work, const Split& best);
  void fill_histogram(std::size_t feature, std::size_t begin, std::size_t end, Bin* out) const;
  int full_histogram(std::size_t begin, std::size_t end);
  bool holds_histogram(double n) const { return subtract_ && n >= kHistogramRows && n >= 2 * min_; }
  void fill_leaves(std::size_t begin, std::size_t end);

  // Fewer rows than this: a node's histograms are built when searched. Building all features'
  // histograms costs a pass over the bins as well as the rows, which only pays on larger nodes.
  static constexpr double kHistogramRows = 256;

  const RegressionForest& f_;
  std::vector<std::uint32_t> rows_;
  Rng rng_;
  std::size_t mtry_;
  bool subtract_;
  double min_;
  std::vector<std::size_t> features_, offset_;  // offset_[j]: feature j's first bin in a slot
  HistogramPool<Bin> pool_;
  std::vector<Bin> scratch_;
  Tree tree_;
  std::vector<Work> stack_;
};

RegressionForest::Grower::Grower(const RegressionForest& forest, std::size_t index)
    : f_(forest),
      rows_(draw_subsample(forest.bins_.rows(), forest.options_.sample_fraction,
                           forest.options_.seed, index, 1)),
      rng_(forest.options_.seed + index + 0x9e3779b97f4a7c15ULL),
      mtry_(split_candidates(forest.options_.mtry, forest.bins_.cols())),
      subtract_(mtry_ == forest.bins_.cols()),
      min_(static_cast<double>(forest.options_.min_node_size)),
      features_(forest.bins_.cols()),
      offset_(bin_offsets(forest.bins_)),
      pool_(offset_.back()),
      scratch_(256) {}

RegressionForest::Tree RegressionForest::Grower::grow() {
  // [0, end): the rows that choose splits; with honesty, [end, size) fill the leaves.
  const std::size_t end = f_.options_.honesty ? rows_.size() / 2 : rows_.size();
  double sum = 0;
  for (std::size_t k = 0; k < end; ++k) sum += f_.y_[rows_[k]];
  const double n = static_cast<double>(end);
  tree_.assign(1, Node{});
  stack_.push_back({0, 0, end, n, sum, holds_histogram(n) ? full_histogram(0, end) : -1});
  while (!stack_.empty()) {
    const Work work = stack_.back();
    stack_.pop_back();
    const Split best = work.n >= 2 * min_ ? best_split(work) : Split{};
    if (best.feature >= 0) {
      split(work, best);
    } else {
      pool_.give(work.hist);
    }
  }
  fill_leaves(f_.options_.honesty ? end : 0, rows_.size());
  return std::move(tree_);
}

Split RegressionForest::Grower::best_split(const Work& work) {
  // A random mtry of the features, by a partial shuffle.
  const std::size_t p = features_.size();
  std::iota(features_.begin(), features_.end(), 0);
  for (std::size_t k = 0; k < mtry_; ++k) std::swap(features_[k], features_[k + rng_.below(p - k)]);
  const double floor = std::max(min_, f_.options_.alpha * work.n);
  Split best;
  for (std::size_t k = 0; k < mtry_; ++k) {
    const std::size_t j = features_[k];
    const int bins = f_.bins_.bins(j);
    if (bins < 2) continue;
    const Bin* hist = scratch_.data();
    if (work.hist >= 0) {
      hist = pool_[work.hist] + offset_[j];
    } else {
      fill_histogram(j, work.begin, work.end, scratch_.data());
    }
    offer_splits(hist, bins, work.n, work.sum, floor, static_cast<int>(j), best);
  }
  return best;
}

void RegressionForest::Grower::split(const Work& work, const Split& best) {
  const auto feature = static_cast<std::size_t>(best.feature);
  const auto middle = std::partition(
      rows_.begin() + static_cast<long>(work.begin), rows_.begin() + static_cast<long>(work.end),
      [&](std::uint32_t i) { return f_.bins_.at(i, feature) <= best.bin; });
  const auto mid = static_cast<std::size_t>(middle - rows_.begin());
  const int left_id = static_cast<int>(tree_.size());
  tree_.resize(tree_.size() + 2);
  Node& node = tree_[static_cast<std::size_t>(work.node)];
  node.feature = best.feature;
  node.bin = static_cast<unsigned>(best.bin);
  node.threshold = f_.bins_.threshold(feature, best.bin);
  node.left = left_id;
  Work left{left_id, work.begin, mid, best.left_n, best.left_y, -1};
  Work right{left_id + 1, mid, work.end, work.n - best.left_n, work.sum - best.left_y, -1};
  Work& small = left.n <= right.n ? left : right;
  Work& large = left.n <= right.n ? right : left;
  std::tie(small.hist, large.hist) =
      pool_.split(work.hist, holds_histogram(small.n), holds_histogram(large.n),
                  [&] { return full_histogram(small.begin, small.end); });
  stack_.push_back(left);
  stack_.push_back(right);
}

void RegressionForest::Grower::fill_histogram(std::size_t feature, std::size_t begin,
                                              std::size_t end, Bin* out) const {
  std::fill(out, out + f_.bins_.bins(feature), Bin{});
  for (std::size_t k = begin; k < end; ++k) {
    const std::uint32_t i = rows_[k];
    Bin& b = out[f_.bins_.at(i, feature)];
    b.n += 1;
    b.y += f_.y_[i];
  }
}

int RegressionForest::Grower::full_histogram(std::size_t begin, std::size_t end) {
  const int slot = pool_.take();
  fill_all_histograms(
      end - begin, f_.bins_.cols(), offset_, pool_[slot],
      [&](std::size_t k) { return f_.bins_.row(rows_[begin + k]); },
      [&](std::size_t k) {
        return Bin{1, f_.y_[rows_[begin + k]]};
      });
  return slot;
}

void RegressionForest::Grower::fill_leaves(std::size_t begin, std::size_t end) {
  std::vector<Bin> leaf(tree_.size());
  for (std::size_t k = begin; k < end; ++k) {
    const std::uint32_t i = rows_[k];
    Bin& b = leaf[leaf_of(tree_, i, ByBin{f_.bins_})];
    b.n += 1;
    b.y += f_.y_[i];
  }
  for (std::size_t v = 0; v < tree_.size(); ++v)
    if (tree_[v].feature < 0) tree_[v].mean = leaf[v].n > 0 ? leaf[v].y / leaf[v].n : NAN;
}

RegressionForest::RegressionForest(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                   const RegressionForestOptions& options)
    : options_(options), bins_(x), y_(y), y_mean_(y.size() > 0 ? y.mean() : 0) {}

RegressionForest RegressionForest::train(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                         const RegressionForestOptions& options) {
  if (x.rows() != y.size() || x.rows() < 2)
    throw std::invalid_argument("features and response need the same rows, at least 2");
  if (!x.allFinite() || !y.allFinite())
    throw std::invalid_argument("features and response must be finite");
  if (options.trees < 1 || !(options.sample_fraction > 0 && options.sample_fraction <= 1))
    throw std::invalid_argument("trees >= 1 and 0 < sample_fraction <= 1");
  if (x.cols() >= SplitNode::kMaxFeatures)
    throw std::invalid_argument("at most 8,388,607 features");
  if (options.min_node_size < 1 || !(options.alpha >= 0 && options.alpha < 0.5))
    throw std::invalid_argument("min_node_size >= 1 and 0 <= alpha < 0.5");
  RegressionForest f(x, y, options);
  f.trees_.resize(static_cast<std::size_t>(options.trees));
#pragma omp parallel for schedule(dynamic) num_threads(thread_count(options.threads))
  for (int t = 0; t < options.trees; ++t)
    if (!stop_requested())
      f.trees_[static_cast<std::size_t>(t)] = Grower(f, static_cast<std::size_t>(t)).grow();
  throw_if_stopped();
  return f;
}

template <class Test>
Eigen::VectorXd RegressionForest::average(std::size_t rows, bool out_of_bag_only,
                                          const Test& goes_left) const {
  std::vector<Bin> total(rows);  // per row: trees with a filled leaf, sum of their means
  const auto unseen = [this](std::size_t t) {
    return out_of_bag_mask(
        bins_.rows(), draw_subsample(bins_.rows(), options_.sample_fraction, options_.seed, t, 1));
  };
  visit_by_chunks(
      trees_.size(), rows, thread_count(options_.threads), out_of_bag_only, unseen,
      [&](std::size_t t, const std::uint32_t* batch, std::size_t n, std::uint32_t* leaf) {
        find_leaves(trees_[t], batch, n, leaf, goes_left);
      },
      [&](std::size_t i, std::size_t t, std::uint32_t leaf) {
        const double mean = trees_[t][leaf].mean;
        if (std::isnan(mean)) return;  // an empty honest leaf says nothing
        total[i].n += 1;
        total[i].y += mean;
      });
  Eigen::VectorXd out(static_cast<Eigen::Index>(rows));
  for (std::size_t i = 0; i < rows; ++i)
    out[static_cast<Eigen::Index>(i)] = total[i].n > 0 ? total[i].y / total[i].n : y_mean_;
  return out;
}

Eigen::VectorXd RegressionForest::predict_oob() const {
  return average(bins_.rows(), true, ByBin{bins_});
}

Eigen::VectorXd RegressionForest::predict(const Eigen::MatrixXd& x) const {
  if (x.cols() != static_cast<Eigen::Index>(bins_.cols()))
    throw std::invalid_argument("new rows need the training columns");
  const RowMajorMatrix rows = x;
  return average(static_cast<std::size_t>(x.rows()), false, ByValue{rows});
}

}  // namespace causeway
