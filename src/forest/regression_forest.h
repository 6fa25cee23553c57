// The honest regression forest (the regression forest of generalised random forests), for the
// nuisance models of the causal forest: E[y | x] for the outcome and E[w | x] for the treatment.
//
// Each tree is grown on a random share of the rows (sample_fraction, drawn without
// replacement). With honesty that share is split in two: one half chooses the splits, the other
// fills the leaves, so a leaf's mean is not fitted to the noise that shaped the leaf. A split
// "feature <= threshold" maximises the between-children sum of squares of y, found on per-bin
// histograms (count, sum of y) of pre-binned features. A prediction is the average of the leaf
// means a row reaches over the trees; out-of-bag predictions use only the trees whose subsample
// left the row out, so they act as cross-fitted predictions.
//
// Tree i is seeded with seed + i and trees are grown in parallel; the thread count changes no
// result. A trained forest is immutable and its const methods may be called from several threads.
// train throws std::invalid_argument for inconsistent inputs or options.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <vector>

#include "forest/binning.h"
#include "forest/forest_common.h"

namespace causeway {

struct RegressionForestOptions {
  // 500 trees, as generalised random forests use for the nuisance forests of a 2,000-tree causal
  // forest: each row is out of bag in about 250 of them, so the averaging adds a variance near
  // 1/250 of one tree's, small beside the error of the regression itself.
  int trees = 500;
  double sample_fraction = 0.5;  // of the rows, for each tree
  bool honesty = true;           // half of each subsample splits, the other half fills leaves
  // Rows of the splitting half each child keeps, at least; a node with fewer than twice this
  // is a leaf.
  int min_node_size = 5;
  double alpha = 0.05;  // each child keeps at least this share of its parent's rows
  int mtry = 0;         // features tried per split; 0: min(ceil(sqrt(p) + 20), p)
  std::uint64_t seed = 42;
  int threads = 0;  // 0: all cores
};

class RegressionForest {
 public:
  // x: features (rows x p), y: the response; both finite.
  static RegressionForest train(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                const RegressionForestOptions& options);

  // For each training row, the average over the trees that did not see it. A row that every
  // tree saw, or whose out-of-bag leaves are all empty, gets the mean of y over all rows (only
  // likely with few trees or a sample_fraction near 1).
  Eigen::VectorXd predict_oob() const;
  // For new rows (columns as in training), the average over every tree; the mean of y for a row
  // that reaches only empty leaves.
  Eigen::VectorXd predict(const Eigen::MatrixXd& x) const;

  std::size_t tree_count() const { return trees_.size(); }

 private:
  struct Node : SplitNode {
    double mean = 0;  // leaves: mean of y over the rows that filled it; NaN when none did
  };
  using Tree = std::vector<Node>;
  class Grower;

  RegressionForest(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                   const RegressionForestOptions& options);
  // Averages, per row, the means of the leaves the split test goes_left (ByBin or ByValue)
  // leads it to.
  template <class Test>
  Eigen::VectorXd average(std::size_t rows, bool out_of_bag_only, const Test& goes_left) const;

  RegressionForestOptions options_;
  BinnedFeatures bins_;
  Eigen::VectorXd y_;
  double y_mean_ = 0;
  std::vector<Tree> trees_;
};

}  // namespace causeway
