// Pieces shared by the causal and regression forests: each tree's subsample, drawn again from
// the seed whenever it is needed; the number of features tried per split; the descent of a tree
// by training bins or by raw values; and the visit of rows by trees in an order that does not
// depend on the thread count.
#pragma once

#include <omp.h>

#include <Eigen/Dense>
#include <algorithm>
#include <array>
#include <cstdint>
#include <utility>
#include <vector>

#include "forest/binning.h"

namespace causeway {

// Rows of tree `index`'s subsample: sample_fraction of `rows` (at least 2), drawn by a partial
// shuffle from Rng(seed + index). With group_size above 1 the draw is made from a half-sample
// shared by the group of trees index / group_size (the bootstrap of little bags).
std::vector<std::uint32_t> draw_subsample(std::size_t rows, double sample_fraction,
                                          std::uint64_t seed, std::size_t index, int group_size);

// Per row: 1 when it is not in `subsample`.
std::vector<char> out_of_bag_mask(std::size_t rows, const std::vector<std::uint32_t>& subsample);

// Features tried per split: `mtry` (at most p) when positive, else min(ceil(sqrt(p) + 20), p).
std::size_t split_candidates(int mtry, std::size_t p);

// The thread count of a parallel region: `requested`, or all cores when it is 0.
inline int thread_count(int requested) {
  return requested > 0 ? requested : omp_get_max_threads();
}

// What a descent through a tree reads at each node, in 16 bytes (a forest of 1M rows holds
// millions of nodes, and small nodes keep a tree's upper levels in cache); each forest keeps what
// its leaves hold beside it. Children are made in pairs: the right is the one after the left.
struct SplitNode {
  static constexpr int kMaxFeatures = 1 << 23;  // what `feature` can number
  double threshold = 0;                         // new values <= this go left ...
  int left = -1;                                // the left child; the right is left + 1
  int feature : 24 = -1;                        // -1: a leaf
  unsigned bin : 8 = 0;                         // ... as do training rows with bin <= this
  int right() const { return left + 1; }
};
static_assert(sizeof(SplitNode) == 16);

// Adds rows 0..count-1 to the histograms of every feature in one pass: row k, whose p bins are
// at codes(k), adds value(k) to out[offset[j] + its bin in column j] for each column j (Bin has
// +=). Reading a row's bins together costs one memory access per row rather than one per row
// and feature; the bins of rows a little ahead are fetched before they are needed.
template <class Bin, class Codes, class Value>
void fill_all_histograms(std::size_t count, std::size_t p, const std::vector<std::size_t>& offset,
                         Bin* out, const Codes& codes, const Value& value) {
  constexpr std::size_t kAhead = 16;
  for (std::size_t k = 0; k < count; ++k) {
    if (k + kAhead < count) __builtin_prefetch(codes(k + kAhead));
    const std::uint8_t* code = codes(k);
    const Bin v = value(k);
    for (std::size_t j = 0; j < p; ++j) out[offset[j] + code[j]] += v;
  }
}

// Where each feature's bins start in an all-feature histogram; the last entry is the total.
inline std::vector<std::size_t> bin_offsets(const BinnedFeatures& bins) {
  std::vector<std::size_t> offset(bins.cols() + 1, 0);
  for (std::size_t j = 0; j < bins.cols(); ++j)
    offset[j + 1] = offset[j] + static_cast<std::size_t>(bins.bins(j));
  return offset;
}

// The all-feature histograms a tree grower holds for its pending nodes: slots of `bins` Bins
// (Bin has += and -=), reused as nodes finish.
template <class Bin>
class HistogramPool {
 public:
  explicit HistogramPool(std::size_t bins) : bins_(bins) {}

  int take() {  // a slot of zeros
    if (free_.empty()) {
      free_.push_back(static_cast<int>(slots_.size()));
      slots_.emplace_back(bins_);
    }
    const int slot = free_.back();
    free_.pop_back();
    std::fill(slots_[static_cast<std::size_t>(slot)].begin(),
              slots_[static_cast<std::size_t>(slot)].end(), Bin{});
    return slot;
  }
  void give(int slot) {
    if (slot >= 0) free_.push_back(slot);
  }
  Bin* operator[](int slot) { return slots_[static_cast<std::size_t>(slot)].data(); }

  // Hands a split node's slot on to its children: the larger child's histograms are the
  // parent's less the smaller's, which make_small() builds into a slot of its own (the sums do
  // not depend on the node). A child that keeps none gets -1, and a slot nobody keeps goes back.
  // Returns the slots of {smaller, larger}.
  template <class MakeSmall>
  std::pair<int, int> split(int parent, bool small_keeps, bool large_keeps,
                            const MakeSmall& make_small) {
    if (parent < 0) return {-1, -1};
    if (!large_keeps) {
      give(parent);
      return {-1, -1};
    }
    const int small = make_small();
    std::vector<Bin>& from = slots_[static_cast<std::size_t>(parent)];
    const std::vector<Bin>& taken = slots_[static_cast<std::size_t>(small)];
    for (std::size_t b = 0; b < from.size(); ++b) from[b] -= taken[b];
    if (small_keeps) return {small, parent};
    give(small);
    return {-1, parent};
  }

 private:
  std::size_t bins_;
  std::vector<std::vector<Bin>> slots_;
  std::vector<int> free_;
};

// New rows stored row by row: a descent reads one row's values at every level, so they share a
// few cache lines instead of one line per feature column.
using RowMajorMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Split tests: whether a row goes left at a node. Training rows go by their bins ...
struct ByBin {
  const BinnedFeatures& bins;
  template <class Node>
  bool operator()(std::uint32_t row, const Node& n) const {
    return bins.at(row, static_cast<std::size_t>(n.feature)) <= static_cast<int>(n.bin);
  }
};

// ... new rows by their values and the thresholds.
struct ByValue {
  const RowMajorMatrix& x;
  template <class Node>
  bool operator()(std::uint32_t row, const Node& n) const {
    return x.data()[static_cast<std::size_t>(row) * static_cast<std::size_t>(x.cols()) +
                    static_cast<std::size_t>(n.feature)] <= n.threshold;
  }
};

// The leaf row `row` falls in. Node is a SplitNode or derives from one.
template <class Node, class Test>
std::size_t leaf_of(const std::vector<Node>& tree, std::uint32_t row, const Test& goes_left) {
  std::size_t node = 0;
  while (tree[node].feature >= 0) {
    const Node& n = tree[node];
    node = static_cast<std::size_t>(goes_left(row, n) ? n.left : n.right());
  }
  return node;
}

// The leaves of rows[0, count), written to leaf[0, count). Several descents run interleaved,
// so that while one waits on memory the others proceed.
template <class Node, class Test>
void find_leaves(const std::vector<Node>& tree, const std::uint32_t* rows, std::size_t count,
                 std::uint32_t* leaf, const Test& goes_left) {
  constexpr std::size_t kLanes = 8;
  std::size_t k = 0;
  for (; k + kLanes <= count; k += kLanes) {
    std::array<std::uint32_t, kLanes> at{};  // every lane starts at the root
    for (bool moving = true; moving;) {
      moving = false;
      for (std::size_t l = 0; l < kLanes; ++l) {
        const Node& n = tree[at[l]];
        if (n.feature < 0) continue;
        moving = true;
        // Arithmetic rather than a branch: which way a row goes is a coin toss to the predictor.
        const int right = !goes_left(rows[k + l], n);
        at[l] = static_cast<std::uint32_t>(n.left + right);
      }
    }
    std::copy(at.begin(), at.end(), leaf + k);
  }
  for (; k < count; ++k) leaf[k] = static_cast<std::uint32_t>(leaf_of(tree, rows[k], goes_left));
}

// Calls visit(row, tree, leaf) for rows 0..rows-1 and trees 0..trees-1, or only the pairs where
// unseen(tree) (a mask over rows) marks the row when out_of_bag_only; leaves(tree, rows, count,
// out) finds the leaves of a batch of rows. Trees go in chunks (their masks built in parallel)
// and rows in blocks; within a block the trees of a chunk run outermost, so a tree stays in
// cache while it serves the block. Every row meets the trees in index order and each row is
// visited by one thread at a time, so per-row sums do not depend on the thread count.
template <class Unseen, class Leaves, class Visit>
void visit_by_chunks(std::size_t trees, std::size_t rows, int threads, bool out_of_bag_only,
                     const Unseen& unseen, const Leaves& leaves, const Visit& visit) {
  constexpr std::size_t kChunk = 64, kBlock = 512;
  std::vector<std::vector<char>> masks(kChunk);
  for (std::size_t first = 0; first < trees; first += kChunk) {
    const std::size_t count = std::min(kChunk, trees - first);
    if (out_of_bag_only) {
#pragma omp parallel for schedule(static) num_threads(threads)
      for (std::size_t k = 0; k < count; ++k) masks[k] = unseen(first + k);
    }
    const std::size_t blocks = (rows + kBlock - 1) / kBlock;
#pragma omp parallel for schedule(dynamic) num_threads(threads)
    for (std::size_t b = 0; b < blocks; ++b) {
      const std::size_t begin = b * kBlock, end = std::min(rows, begin + kBlock);
      std::array<std::uint32_t, kBlock> batch, leaf;
      for (std::size_t k = 0; k < count; ++k) {
        std::size_t n = 0;
        for (std::size_t i = begin; i < end; ++i)
          if (!out_of_bag_only || masks[k][i]) batch[n++] = static_cast<std::uint32_t>(i);
        leaves(first + k, batch.data(), n, leaf.data());
        for (std::size_t m = 0; m < n; ++m) visit(batch[m], first + k, leaf[m]);
      }
    }
  }
}

}  // namespace causeway
