// Pieces shared by the causal and regression forests: each tree's subsample, drawn again from
// the seed whenever it is needed; the number of features tried per split; the descent of a tree
// by training bins or by raw values; and the visit of rows by trees in an order that does not
// depend on the thread count.
#pragma once

#include <omp.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cstdint>
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

// What a descent through a tree reads at each node (24 bytes, so a tree's upper levels stay in
// cache); each forest keeps what its leaves hold beside it.
struct SplitNode {
  int feature = -1;      // -1: a leaf
  int bin = 0;           // training rows with bin <= this go left ...
  double threshold = 0;  // ... as do values <= this
  int left = -1, right = -1;
};

// Adds rows ids[0, count) to the histograms of every feature in one pass: row k adds value(k)
// to out[offset[j] + its bin in column j] for each column j (Bin has +=). Reading a row's bins
// together costs one memory access per row rather than one per row and feature.
template <class Bin, class Value>
void fill_all_histograms(const BinnedFeatures& bins, const std::uint32_t* ids, std::size_t count,
                         const std::vector<std::size_t>& offset, Bin* out, const Value& value) {
  const std::size_t p = bins.cols();
  constexpr std::size_t kAhead = 16;  // rows whose bins are fetched before they are needed
  for (std::size_t k = 0; k < count; ++k) {
    if (k + kAhead < count) __builtin_prefetch(bins.row(ids[k + kAhead]));
    const std::uint8_t* code = bins.row(ids[k]);
    const Bin v = value(k);
    for (std::size_t j = 0; j < p; ++j) out[offset[j] + code[j]] += v;
  }
}

// The leaf a training row falls in, by its bins. Node is a SplitNode or derives from one.
template <class Node>
std::size_t leaf_by_bin(const std::vector<Node>& tree, const BinnedFeatures& bins,
                        std::size_t row) {
  std::size_t node = 0;
  while (tree[node].feature >= 0) {
    const Node& n = tree[node];
    node = static_cast<std::size_t>(
        bins.at(row, static_cast<std::size_t>(n.feature)) <= n.bin ? n.left : n.right);
  }
  return node;
}

// New rows stored row by row: a descent reads one row's values at every level, so they share a
// few cache lines instead of one line per feature column.
using RowMajorMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// The leaf a new row of `x` falls in, by the raw thresholds.
template <class Node>
std::size_t leaf_by_value(const std::vector<Node>& tree, const RowMajorMatrix& x, std::size_t row) {
  std::size_t node = 0;
  const double* values = x.data() + row * static_cast<std::size_t>(x.cols());
  while (tree[node].feature >= 0) {
    const Node& n = tree[node];
    node = static_cast<std::size_t>(values[n.feature] <= n.threshold ? n.left : n.right);
  }
  return node;
}

// Calls visit(row, tree) for rows 0..rows-1 and trees 0..trees-1, or only the pairs where
// unseen(tree) (a mask over rows) marks the row when out_of_bag_only. Trees go in chunks (their
// masks built in parallel) and rows in blocks; within a block the trees of a chunk run
// outermost, so a tree stays in cache while it serves the block. Every row meets the trees in
// index order and each row is visited by one thread at a time, so per-row sums do not depend on
// the thread count.
template <class Unseen, class Visit>
void visit_by_chunks(std::size_t trees, std::size_t rows, int threads, bool out_of_bag_only,
                     const Unseen& unseen, const Visit& visit) {
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
      for (std::size_t k = 0; k < count; ++k)
        for (std::size_t i = begin; i < end; ++i)
          if (!out_of_bag_only || masks[k][i]) visit(i, first + k);
    }
  }
}

}  // namespace causeway
