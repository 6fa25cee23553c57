// Growing one honest causal tree: the split search on histograms of the five sums of the causal
// moment, with the larger child's histograms obtained from its parent's by subtraction.
#include <algorithm>
#include <array>
#include <bit>
#include <numeric>
#include <tuple>

#include "causeway/rng.h"
#include "forest/causal_forest.h"
#include "forest/forest_common.h"

namespace causeway {
namespace {

// The five sums of a set of rows, plus its treated count (for the balance rule). The sums do
// not depend on the node, so a child's histogram is its parent's less its sibling's.
struct Sums {
  double n = 0, w = 0, y = 0, wy = 0, ww = 0, treated = 0;
  static Sums of(double w, double y) { return {1, w, y, w * y, w * w, w > 0 ? 1.0 : 0.0}; }
  Sums& operator+=(const Sums& o) {
    n += o.n, w += o.w, y += o.y, wy += o.wy, ww += o.ww, treated += o.treated;
    return *this;
  }
  Sums& operator-=(const Sums& o) {
    n -= o.n, w -= o.w, y -= o.y, wy -= o.wy, ww -= o.ww, treated -= o.treated;
    return *this;
  }
};

Sums operator-(Sums a, const Sums& b) {
  return a -= b;
}

// The best split found so far: "bin <= bin" of `feature` goes left, with the left child's sums.
struct Split {
  int feature = -1, bin = 0;
  double gain = 0;
  Sums left;
};

// Scores the splits of one node. The node's moment fixes each row's pseudo-outcome
// rho_i = (w_i - w_bar)((y_i - y_bar) - tau (w_i - w_bar)) / var_w, whose sum over a child
// follows from the child's sums alone; over the whole node it is 0, so the right child's sum is
// minus the left's and a split's gain, rho_l^2 / n_l + rho_r^2 / n_r, is rho_l^2 n / (n_l n_r).
class SplitScorer {
 public:
  // `floor`: rows, treated rows and control rows each child keeps at least (alpha of the
  // node's, and never fewer than `min_rows`), so that no leaf's effect rests on a handful.
  SplitScorer(const Sums& node, double min_rows, double alpha) : node_(node) {
    w_bar_ = node.w / node.n, y_bar_ = node.y / node.n;
    var_w_ = node.ww / node.n - w_bar_ * w_bar_;
    tau_ = var_w_ > 0 ? (node.wy / node.n - w_bar_ * y_bar_) / var_w_ : 0;
    floor_rows_ = std::max(min_rows, alpha * node.n);
    floor_treated_ = std::max(min_rows, alpha * node.treated);
    floor_control_ = std::max(min_rows, alpha * (node.n - node.treated));
  }
  // False when the treatment does not vary in the node: no split can be scored.
  bool usable() const { return var_w_ > 0; }
  // A row's pseudo-outcome rho at the node.
  double pseudo_outcome(double w, double y) const {
    const double dw = w - w_bar_;
    return dw * ((y - y_bar_) - tau_ * dw) / var_w_;
  }

  // Offers `best` the split that sends the rows summed in `left` to the left.
  void offer(int feature, int bin, const Sums& left, Split& best) const {
    const double right_n = node_.n - left.n;
    if (left.n < floor_rows_ || right_n < floor_rows_) return;
    const double right_treated = node_.treated - left.treated;
    if (left.treated < floor_treated_ || right_treated < floor_treated_ ||
        left.n - left.treated < floor_control_ || right_n - right_treated < floor_control_)
      return;
    const double cross = left.wy - w_bar_ * left.y - y_bar_ * left.w + left.n * w_bar_ * y_bar_;
    const double square = left.ww - 2 * w_bar_ * left.w + left.n * w_bar_ * w_bar_;
    const double rho = (cross - tau_ * square) / var_w_;
    const double gain = rho * rho * node_.n / (left.n * right_n);
    if (gain > best.gain) best = {feature, bin, gain, left};
  }

 private:
  Sums node_;
  double w_bar_, y_bar_, var_w_, tau_;
  double floor_rows_, floor_treated_, floor_control_;
};

}  // namespace

// Depth first over a stack of nodes, each owning a range of the splitting rows and a range of
// the estimation rows, partitioned in place (with their w and y beside them) as nodes split:
// a leaf then knows its estimation rows without sending them down the tree. When every
// feature is a candidate at every node (mtry = p, the default for up to 25 features), a node
// with many rows holds all features' histograms, built for the smaller child of a split in one
// pass over its rows, and the larger child takes its parent's less the smaller's.
class CausalForest::Grower {
 public:
  Grower(const CausalForest& forest, std::size_t index);
  Tree grow();

 private:
  struct Work {
    int node;
    std::size_t begin, end, est_begin, est_end;
    Sums sums;  // of the splitting rows
    int hist;   // a slot of pool_ with all features' histograms, or -1
  };

  Split best_split(const Work& work);
  void split(const Work& work, const Split& best);
  std::size_t partition(std::size_t begin, std::size_t end, std::size_t feature, int bin);
  int full_histogram(std::size_t begin, std::size_t end);
  bool holds_histogram(double n) const { return subtract_ && n >= kHistogramRows; }
  void fill_leaf(const Work& work);

  // Fewer rows than this: a node's histograms are built feature by feature when searched,
  // touching only the bins its rows occupy. Building every feature's full histogram costs a
  // pass over all bins as well as the rows, which only pays on larger nodes.
  static constexpr double kHistogramRows = 1024;

  const CausalForest& f_;
  // The tree's rows in the order the splits leave them: row k's w and y, and its bins (p per
  // row). Copied from the whole table once per tree, they are then read in sequence.
  std::vector<std::array<double, 2>> wy_;
  std::vector<std::uint8_t> codes_;
  std::size_t p_;
  Rng rng_;
  std::size_t mtry_;
  bool subtract_;
  double min_, alpha_, min_gain_;
  std::vector<std::size_t> features_, offset_;  // offset_[j]: feature j's first bin in a slot
  HistogramPool<Sums> pool_;
  std::vector<Sums> scratch_;
  std::vector<char> left_;  // partition(): which rows go left
  Tree tree_;
  std::vector<Work> stack_;
};

CausalForest::Grower::Grower(const CausalForest& forest, std::size_t index)
    : f_(forest),
      p_(forest.bins_.cols()),
      rng_(forest.options_.seed + index + 0x9e3779b97f4a7c15ULL),
      mtry_(split_candidates(forest.options_.mtry, forest.bins_.cols())),
      subtract_(mtry_ == forest.bins_.cols()),
      min_(static_cast<double>(forest.options_.min_node_size)),
      alpha_(forest.options_.alpha),
      min_gain_(forest.options_.min_gain),
      features_(forest.bins_.cols()),
      offset_(bin_offsets(forest.bins_)),
      pool_(offset_.back()),
      scratch_(256) {
  const std::vector<std::uint32_t> id = forest.subsample(index);
  wy_.resize(id.size());
  codes_.resize(id.size() * p_);
  constexpr std::size_t kAhead = 16;  // rows whose bins are fetched before they are needed
  for (std::size_t k = 0; k < id.size(); ++k) {
    if (k + kAhead < id.size()) __builtin_prefetch(f_.bins_.row(id[k + kAhead]));
    wy_[k] = {f_.w_[id[k]], f_.y_[id[k]]};
    std::copy_n(f_.bins_.row(id[k]), p_, codes_.data() + k * p_);
  }
}

CausalForest::Tree CausalForest::Grower::grow() {
  const std::size_t half = wy_.size() / 2;  // [0, half): splitting; [half, end): estimation
  Sums root;
  for (std::size_t k = 0; k < half; ++k) root += Sums::of(wy_[k][0], wy_[k][1]);
  tree_ = Tree{std::vector<Node>(1), {}};
  stack_.push_back(
      {0, 0, half, half, wy_.size(), root, holds_histogram(root.n) ? full_histogram(0, half) : -1});
  while (!stack_.empty()) {
    const Work work = stack_.back();
    stack_.pop_back();
    const Split best = best_split(work);
    if (best.feature >= 0) {
      split(work, best);
      continue;
    }
    pool_.give(work.hist);
    fill_leaf(work);
  }
  return std::move(tree_);
}

Split CausalForest::Grower::best_split(const Work& work) {
  const Sums& parent = work.sums;
  if (parent.n < 2 * min_) return {};
  const SplitScorer scorer(parent, min_, alpha_);
  if (!scorer.usable()) return {};
  // Candidate features: a random mtry of them (a partial shuffle).
  const std::size_t p = features_.size();
  std::iota(features_.begin(), features_.end(), 0);
  for (std::size_t k = 0; k < mtry_; ++k) std::swap(features_[k], features_[k + rng_.below(p - k)]);
  Split best;
  if (min_gain_ > 0) {  // a split must beat min_gain times the noise in the pseudo-outcomes
    double square = 0;
    for (std::size_t k = work.begin; k < work.end; ++k) {
      const double rho = scorer.pseudo_outcome(wy_[k][0], wy_[k][1]);
      square += rho * rho;
    }
    best.gain = min_gain_ * square / parent.n;
  }
  for (std::size_t f = 0; f < mtry_; ++f) {
    const std::size_t j = features_[f];
    const int bins = f_.bins_.bins(j), feature = static_cast<int>(j);
    if (bins < 2) continue;
    Sums left;
    if (work.hist >= 0) {  // the node's full histogram: every bin but the last
      const Sums* hist = pool_[work.hist] + offset_[j];
      for (int b = 0; b + 1 < bins; ++b) {
        if (hist[b].n == 0) continue;  // the same split as the bin before
        left += hist[b];
        scorer.offer(feature, b, left, best);
      }
      continue;
    }
    // A small node: the histogram of its rows, read back through the bins they occupy (a
    // bitmap in bin order), each bin cleared as it is read.
    std::array<std::uint64_t, 4> occupied{};
    for (std::size_t k = work.begin; k < work.end; ++k) {
      const std::uint8_t b = codes_[k * p_ + j];
      scratch_[b] += Sums::of(wy_[k][0], wy_[k][1]);
      occupied[b >> 6] |= std::uint64_t{1} << (b & 63);
    }
    for (int word = 0; word < 4; ++word)
      for (std::uint64_t bits = occupied[static_cast<std::size_t>(word)]; bits; bits &= bits - 1) {
        const int b = word * 64 + std::countr_zero(bits);
        left += scratch_[static_cast<std::size_t>(b)];
        scratch_[static_cast<std::size_t>(b)] = Sums{};
        scorer.offer(feature, b, left, best);
      }
  }
  return best;
}

// Moves the rows of [begin, end) whose bin of `feature` is at most `bin` to the front, keeping
// w and y and bins with their rows; returns where the right starts.
std::size_t CausalForest::Grower::partition(std::size_t begin, std::size_t end, std::size_t feature,
                                            int bin) {
  left_.resize(end - begin);
  for (std::size_t k = begin; k < end; ++k) left_[k - begin] = codes_[k * p_ + feature] <= bin;
  char* left = left_.data() - begin;  // indexed like wy_
  while (true) {
    while (begin < end && left[begin]) ++begin;
    if (begin == end) return begin;
    --end;
    while (begin < end && !left[end]) --end;
    if (begin == end) return begin;
    std::swap_ranges(codes_.data() + begin * p_, codes_.data() + (begin + 1) * p_,
                     codes_.data() + end * p_);
    std::swap(wy_[begin], wy_[end]);
    std::swap(left[begin], left[end]);
    ++begin;
  }
}

void CausalForest::Grower::split(const Work& work, const Split& best) {
  const auto feature = static_cast<std::size_t>(best.feature);
  const std::size_t mid = partition(work.begin, work.end, feature, best.bin);
  const std::size_t est_mid = partition(work.est_begin, work.est_end, feature, best.bin);
  const int left_id = static_cast<int>(tree_.nodes.size());
  tree_.nodes.resize(tree_.nodes.size() + 2);
  Node& node = tree_.nodes[static_cast<std::size_t>(work.node)];
  node.feature = best.feature;
  node.bin = static_cast<unsigned>(best.bin);
  node.threshold = f_.bins_.threshold(feature, best.bin);
  node.left = left_id;
  Work left{left_id, work.begin, mid, work.est_begin, est_mid, best.left, -1};
  Work right{left_id + 1, mid, work.end, est_mid, work.est_end, work.sums - best.left, -1};
  Work& small = left.sums.n <= right.sums.n ? left : right;
  Work& large = left.sums.n <= right.sums.n ? right : left;
  std::tie(small.hist, large.hist) =
      pool_.split(work.hist, holds_histogram(small.sums.n), holds_histogram(large.sums.n),
                  [&] { return full_histogram(small.begin, small.end); });
  stack_.push_back(left);
  stack_.push_back(right);
}

int CausalForest::Grower::full_histogram(std::size_t begin, std::size_t end) {
  const int slot = pool_.take();
  fill_all_histograms(
      end - begin, p_, offset_, pool_[slot],
      [&](std::size_t k) { return codes_.data() + (begin + k) * p_; },
      [&](std::size_t k) { return Sums::of(wy_[begin + k][0], wy_[begin + k][1]); });
  return slot;
}

// Honesty: the estimation rows fill the leaves the splitting rows shaped.
void CausalForest::Grower::fill_leaf(const Work& work) {
  tree_.nodes[static_cast<std::size_t>(work.node)].left = static_cast<int>(tree_.means.size());
  std::array<double, 5> s{};
  for (std::size_t k = work.est_begin; k < work.est_end; ++k) {
    const auto [wi, yi] = wy_[k];
    s[0] += 1, s[1] += wi, s[2] += yi, s[3] += wi * yi, s[4] += wi * wi;
  }
  tree_.means.push_back(means_of(s));
}

CausalForest::Tree CausalForest::grow(std::size_t index) const {
  return Grower(*this, index).grow();
}

}  // namespace causeway
