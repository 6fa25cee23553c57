// The causal forest (generalised random forest for heterogeneous treatment effects), on
// residualised data: y and w are the outcome and treatment minus their predictions from the
// features (local centering, see centering.h), so each tree only has to find where the effect
// of w on y changes.
//
// Each tree is grown on a random half of the rows, itself split in two (honesty): one half
// chooses the splits, the other fills the leaves. A split maximises the heterogeneity of the
// gradient-based pseudo-outcomes of the causal moment at the node; the pseudo-outcomes are
// linear in five sums (n, Σw, Σy, Σwy, Σww), so the split search runs on per-bin histograms of
// those sums over pre-binned features. The effect at x is the one solving the moment equation
// with the forest's weights: the leaf averages of the five sums, averaged over trees. Tree i is
// seeded with seed + i and built in parallel; the thread count changes nothing.
#pragma once

#include <Eigen/Dense>
#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "core/binary_io.h"
#include "forest/binning.h"
#include "forest/forest_common.h"

namespace causeway {

struct ForestOptions {
  int trees = 2000;
  double sample_fraction = 0.5;  // of the rows, for each tree
  // Treated and control rows of the splitting half a leaf keeps, at least. 0: tuned for point
  // accuracy (tune_min_node_size). The default 8 undersmooths on purpose: the accuracy-tuned
  // leaf is often 100 or 200 rows, whose smoothing bias leaves intervals that cover the truth
  // for only 60 to 90 % of customers (bench/README.md has the figures).
  int min_node_size = 8;
  // A split is made only when its gain exceeds this many times the node's mean squared
  // pseudo-outcome: the gain over that noise level is a chi-square with one degree of freedom
  // when the effect does not change at the node. Where the effect is flat, fewer splits pass
  // and leaves are larger (less variance); where it changes, strong splits still pass down to
  // min_node_size (less bias). 0: every split the leaf size allows. With 2 and leaf 8, over
  // 48 seeds of the uplift simulation, both RMSE and coverage improved on leaf 15 without it
  // (bench/uplift_seed_sweep.sh; figures in bench/README.md).
  double min_gain = 2;
  double alpha = 0.05;  // each child keeps at least this share of its parent's rows
  int mtry = 0;         // features tried per split; 0: min(ceil(sqrt(p) + 20), p)
  // Trees grown in groups on a shared half-sample (the bootstrap of little bags): the spread
  // between groups, less the spread within, estimates each prediction's variance. 1: no
  // variance; more than 1 needs sample_fraction <= 0.5.
  int ci_group_size = 2;
  std::uint64_t seed = 42;
  int threads = 0;  // 0: all cores
  // Called after each tree of the final forest with (trees done, trees); may be empty.
  std::function<void(int, int)> progress;
};

class CausalForest {
 public:
  // x: features (rows x p); y, w: centred outcome and treatment.
  static CausalForest train(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                            const Eigen::VectorXd& w, const ForestOptions& options);

  struct Prediction {
    Eigen::VectorXd tau;  // the effect
    Eigen::VectorXd se;   // its standard error (NaN without groups or with too few of them)
  };
  // The effect for each training row from the trees that did not see it (out of bag).
  Prediction predict_oob() const;
  // The effect for new rows (columns as in training), from every tree, with its standard error
  // unless `intervals` is false (then se is NaN).
  Prediction predict(const Eigen::MatrixXd& x, bool intervals = true) const;

  // Per feature: the share of splits on it at depths 1 to max_depth, depth k's shares weighted
  // by k^-decay and the whole normalised to sum to 1 (the usual split-frequency importance of
  // generalised random forests). A feature the forest never splits on scores 0.
  std::vector<double> variable_importance(int max_depth = 4, double decay = 2) const;

  // The trees and the options prediction needs, as bytes, and back (model files: see
  // causeway/uplift/model.h). A forest read back predicts new rows; it holds no training rows,
  // so predict_oob() gives an empty prediction. read() checks every node (feature below
  // `features`, children after their parent) and throws Error(kBadInput) on a damaged file.
  void write(ByteWriter& out) const;
  static CausalForest read(ByteReader& in, std::size_t features);

  std::size_t tree_count() const { return trees_.size(); }
  // False when every tree is a single leaf: every row then gets about the same effect.
  bool has_splits() const {
    return std::any_of(trees_.begin(), trees_.end(),
                       [](const Tree& t) { return t.nodes.size() > 1; });
  }
  int min_node_size() const { return options_.min_node_size; }

  // The leaf size for options.min_node_size = 0: the one of 5, 10, 15, 20, 30, 50, 100 and 200
  // whose small forest has the lowest out-of-bag R-loss.
  static int tune_min_node_size(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                const Eigen::VectorXd& w, const ForestOptions& options);
  // The R-loss of effects `tau` on centred data: mean of (y - tau w)^2; lower is better.
  static double r_loss(const Eigen::VectorXd& tau, const Eigen::VectorXd& y,
                       const Eigen::VectorXd& w);

 private:
  using Node = SplitNode;
  // A leaf's `left` indexes its entry of `means`: the means of w, y, wy and ww over its
  // estimation rows, NaN when none fell in it. Inner nodes hold none (half the nodes).
  using Means = std::array<double, 4>;
  struct Tree {
    std::vector<Node> nodes;
    std::vector<Means> means;
    const Means& leaf_means(std::uint32_t leaf) const {
      return means[static_cast<std::size_t>(nodes[leaf].left)];
    }
  };
  // A leaf's means from its sums n, Σw, Σy, Σwy, Σww (NaN when n is 0).
  static Means means_of(const std::array<double, 5>& sums);

  CausalForest(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const Eigen::VectorXd& w,
               const ForestOptions& options);
  class Grower;  // grows one tree (causal_tree.cpp)
  Tree grow(std::size_t index) const;
  // Rows of tree `index`'s subsample: the splitting half, then the estimation half.
  std::vector<std::uint32_t> subsample(std::size_t index) const;
  // Per training row: 1 when tree `index` did not see it. Rebuilt from the seed when needed, so
  // the forest never holds one mask per tree.
  std::vector<char> out_of_bag(std::size_t index) const;
  static double effect(const std::array<double, 5>& total, double trees);
  // Calls visit(row, tree, leaf sums) for rows 0..rows-1 and every tree (only the trees that
  // left the row out, if out_of_bag_only), each row meeting the trees in order; rows in
  // parallel. goes_left(row, node) is the split test (ByBin or ByValue).
  template <class Test, class Visit>
  void visit_leaves(std::size_t rows, bool out_of_bag_only, const Test& goes_left,
                    const Visit& visit) const;
  template <class Test>
  Prediction predict_with(std::size_t rows, bool out_of_bag_only, bool intervals,
                          const Test& goes_left) const;

  ForestOptions options_;
  BinnedFeatures bins_;
  Eigen::VectorXd y_, w_;
  std::vector<Tree> trees_;
};

}  // namespace causeway
