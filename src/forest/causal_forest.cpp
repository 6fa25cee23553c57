#include "forest/causal_forest.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "causeway/rng.h"
#include "causeway/status.h"
#include "core/stop.h"
#include "forest/forest_common.h"

namespace causeway {
CausalForest::CausalForest(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                           const Eigen::VectorXd& w, const ForestOptions& options)
    : options_(options), bins_(x), y_(y), w_(w) {}

int CausalForest::tune_min_node_size(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                     const Eigen::VectorXd& w, const ForestOptions& options) {
  // A small forest (200 trees, same seed) per candidate; the lowest out-of-bag R-loss wins.
  // Candidates too large to allow a split in the splitting half are skipped.
  int chosen = 5;
  double best = INFINITY;
  for (int m : {5, 10, 15, 20, 30, 50, 100, 200}) {
    if (static_cast<double>(4 * m) > options.sample_fraction * static_cast<double>(x.rows()) / 2)
      break;
    ForestOptions trial = options;
    trial.progress = nullptr;  // the tuning forests are not the one being reported
    trial.min_node_size = m;
    trial.trees = 200;
    const double loss = r_loss(train(x, y, w, trial).predict_oob().tau, y, w);
    if (loss < best) best = loss, chosen = m;
  }
  return chosen;
}

CausalForest CausalForest::train(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                 const Eigen::VectorXd& w, const ForestOptions& options) {
  if (x.rows() != y.size() || x.rows() != w.size())
    throw std::invalid_argument("features, outcome and treatment must have the same rows");
  if (options.trees < 1 || !(options.sample_fraction > 0 && options.sample_fraction <= 1))
    throw std::invalid_argument("trees >= 1 and 0 < sample_fraction <= 1");
  if (x.cols() >= SplitNode::kMaxFeatures)
    throw std::invalid_argument("at most 8,388,607 features");
  if (!(options.min_gain >= 0 && std::isfinite(options.min_gain)))
    throw std::invalid_argument("min_gain must be finite and >= 0");
  if (options.ci_group_size < 1 ||
      (options.ci_group_size > 1 &&
       (options.sample_fraction > 0.5 || options.trees % options.ci_group_size != 0)))
    throw std::invalid_argument(
        "ci_group_size >= 1; above 1, sample_fraction <= 0.5 and trees a multiple of it");
  ForestOptions chosen = options;
  if (chosen.min_node_size == 0) chosen.min_node_size = tune_min_node_size(x, y, w, options);
  CausalForest f(x, y, w, chosen);
  f.trees_.resize(static_cast<std::size_t>(options.trees));
  const int threads = thread_count(options.threads);
  std::atomic<int> done{0};
#pragma omp parallel for schedule(dynamic) num_threads(threads)
  for (int t = 0; t < options.trees; ++t) {
    if (stop_requested()) continue;
    f.trees_[static_cast<std::size_t>(t)] = f.grow(static_cast<std::size_t>(t));
    const int finished = ++done;
    if (options.progress) {
#pragma omp critical(causeway_forest_progress)
      options.progress(finished, options.trees);
    }
  }
  throw_if_stopped();
  return f;
}

std::vector<std::uint32_t> CausalForest::subsample(std::size_t index) const {
  return draw_subsample(bins_.rows(), options_.sample_fraction, options_.seed, index,
                        options_.ci_group_size);
}

double CausalForest::r_loss(const Eigen::VectorXd& tau, const Eigen::VectorXd& y,
                            const Eigen::VectorXd& w) {
  double sum = 0, n = 0;
  for (Eigen::Index i = 0; i < tau.size(); ++i)
    if (std::isfinite(tau[i])) sum += (y[i] - tau[i] * w[i]) * (y[i] - tau[i] * w[i]), n += 1;
  return n > 0 ? sum / n : INFINITY;
}

CausalForest::Means CausalForest::means_of(const std::array<double, 5>& s) {
  if (!(s[0] > 0)) return {NAN, NAN, NAN, NAN};
  return {s[1] / s[0], s[2] / s[0], s[3] / s[0], s[4] / s[0]};
}

double CausalForest::effect(const std::array<double, 5>& total, double trees) {
  if (trees <= 0) return NAN;
  const double w_bar = total[1] / trees, y_bar = total[2] / trees;
  const double var = total[4] / trees - w_bar * w_bar;
  return var > 0 ? (total[3] / trees - w_bar * y_bar) / var : NAN;
}

namespace {

// A positive variance from a difference of two noisy ones: the mean of a normal posterior
// truncated at 0, centred on the difference (the bootstrap of little bags' debiasing).
double debiased(double between, double noise, double groups) {
  const double estimate = between - noise;
  const double se = std::max(between, noise) * std::sqrt(2 / groups);
  if (!(se > 0)) return std::max(estimate, 0.0);
  const double r = estimate / se;
  const double density = std::exp(-r * r / 2) / std::sqrt(2 * M_PI);
  const double mass = 0.5 * std::erfc(-r / std::sqrt(2.0));
  return mass > 1e-300 ? estimate + se * density / mass : 0.0;
}

}  // namespace

std::vector<char> CausalForest::out_of_bag(std::size_t index) const {
  return out_of_bag_mask(bins_.rows(), subsample(index));
}

template <class Test, class Visit>
void CausalForest::visit_leaves(std::size_t rows, bool out_of_bag_only, const Test& goes_left,
                                const Visit& visit) const {
  visit_by_chunks(
      trees_.size(), rows, thread_count(options_.threads), out_of_bag_only,
      [this](std::size_t t) { return out_of_bag(t); },
      [&](std::size_t t, const std::uint32_t* batch, std::size_t n, std::uint32_t* leaf) {
        find_leaves(trees_[t].nodes, batch, n, leaf, goes_left);
      },
      [&](std::size_t i, std::size_t t, std::uint32_t leaf) {
        visit(i, t, trees_[t].leaf_means(leaf));
      });
}

namespace {

// One row's running sums over the trees that reached it. A tree's leaf gives the averages
// a = (w, y, wy, ww) of its estimation rows; the effect solves the moment on the mean of the
// a's. Each tree's score at that effect, psi = a3 - w_bar a1 ... (see spread()), is linear in
// its a, so the spread of the scores between and within groups of trees follows from the
// first and second moments of the a's, gathered in the same single pass.
struct RowSums {
  double trees = 0;
  std::array<double, 4> mean{};  // sum of a over trees
  double groups = 0;
  std::array<double, 4> group_sum{};       // sum over complete groups of the group's mean a
  std::array<double, 10> between{};        // sum over groups of (group mean a)(group mean a)'
  std::array<double, 10> within{};         // sum over groups and trees of (a - group mean)(...)'
  std::size_t group = SIZE_MAX, seen = 0;  // the group being read, trees of it seen in order
};

// Adds v v' into the upper triangle `m` (row-major over 4x4, 10 entries), scaled.
void add_outer(std::array<double, 10>& m, const std::array<double, 4>& v, double scale) {
  std::size_t k = 0;
  for (std::size_t r = 0; r < 4; ++r)
    for (std::size_t c = r; c < 4; ++c) m[k++] += scale * v[r] * v[c];
}

// c' M c for the symmetric matrix held as its upper triangle.
double quadratic(const std::array<double, 10>& m, const std::array<double, 4>& c) {
  double out = 0;
  std::size_t k = 0;
  for (std::size_t r = 0; r < 4; ++r)
    for (std::size_t col = r; col < 4; ++col) out += (r == col ? 1 : 2) * m[k++] * c[r] * c[col];
  return out;
}

}  // namespace

template <class Test>
CausalForest::Prediction CausalForest::predict_with(std::size_t n, bool out_of_bag_only,
                                                    bool intervals, const Test& goes_left) const {
  const std::size_t group = static_cast<std::size_t>(options_.ci_group_size);
  const bool spread = intervals && group >= 2;
  std::vector<RowSums> rows(n);
  // The a's of the current group's trees, per row (only while spread is wanted).
  std::vector<std::array<double, 4>> pending(spread ? n * group : 0);
  visit_leaves(n, out_of_bag_only, goes_left, [&](std::size_t i, std::size_t t, const Means& a) {
    if (std::isnan(a[0])) return;  // an empty honest leaf says nothing
    RowSums& r = rows[i];
    r.trees += 1;
    for (std::size_t k = 0; k < 4; ++k) r.mean[k] += a[k];
    if (!spread) return;
    // A group counts only when all its trees reached the row, in order.
    if (r.group != t / group) r.group = t / group, r.seen = 0;
    if (r.seen != t % group) return;
    pending[i * group + r.seen] = a;
    if (++r.seen < group) return;
    std::array<double, 4> m{};
    for (std::size_t j = 0; j < group; ++j)
      for (std::size_t k = 0; k < 4; ++k)
        m[k] += pending[i * group + j][k] / static_cast<double>(group);
    for (std::size_t j = 0; j < group; ++j) {
      std::array<double, 4> d{};
      for (std::size_t k = 0; k < 4; ++k) d[k] = pending[i * group + j][k] - m[k];
      add_outer(r.within, d, 1.0);
    }
    add_outer(r.between, m, 1.0);
    for (std::size_t k = 0; k < 4; ++k) r.group_sum[k] += m[k];
    r.groups += 1;
  });
  Prediction p;
  p.tau.resize(static_cast<Eigen::Index>(n));
  p.se = Eigen::VectorXd::Constant(static_cast<Eigen::Index>(n), NAN);
  for (std::size_t i = 0; i < n; ++i) {
    const RowSums& r = rows[i];
    const double tau = effect({r.trees, r.mean[0], r.mean[1], r.mean[2], r.mean[3]}, r.trees);
    p.tau[static_cast<Eigen::Index>(i)] = tau;
    if (!spread || r.groups < 2 || !std::isfinite(tau)) continue;
    // A tree's score at the forest's effect: psi = c'a + constant, with
    // c = (2 tau w_bar - y_bar, -w_bar, 1, -tau) for a = (w, y, wy, ww).
    const double w_bar = r.mean[0] / r.trees, y_bar = r.mean[1] / r.trees;
    const std::array<double, 4> c{2 * tau * w_bar - y_bar, -w_bar, 1.0, -tau};
    double first = 0;
    for (std::size_t k = 0; k < 4; ++k) first += c[k] * r.group_sum[k] / r.groups;
    const double between = quadratic(r.between, c) / r.groups - first * first;
    const double noise = quadratic(r.within, c) /
                         (r.groups * static_cast<double>(group) * static_cast<double>(group - 1));
    const double h = r.mean[3] / r.trees - w_bar * w_bar;  // the moment's slope
    if (h > 0)
      p.se[static_cast<Eigen::Index>(i)] = std::sqrt(debiased(between, noise, r.groups)) / h;
  }
  return p;
}

CausalForest::Prediction CausalForest::predict_oob() const {
  return predict_with(bins_.rows(), true, true, ByBin{bins_});
}

CausalForest::Prediction CausalForest::predict(const Eigen::MatrixXd& x, bool intervals) const {
  const RowMajorMatrix rows = x;
  return predict_with(static_cast<std::size_t>(x.rows()), false, intervals, ByValue{rows});
}

void CausalForest::write(ByteWriter& out) const {
  out.i32(options_.ci_group_size);
  out.i32(options_.min_node_size);
  out.u64(options_.seed);
  out.u64(trees_.size());
  for (const Tree& tree : trees_) {
    out.u64(tree.nodes.size());
    for (std::size_t k = 0; k < tree.nodes.size(); ++k) {
      const Node& node = tree.nodes[k];
      out.i32(node.feature);
      if (node.feature >= 0) {
        out.i32(static_cast<int>(node.bin)), out.f64(node.threshold), out.i32(node.left);
        out.i32(node.right());
      } else {
        // As the sums of one row (the format's n, Σw, Σy, Σwy, Σww); 0 for an empty leaf.
        const Means& a = tree.means[static_cast<std::size_t>(node.left)];
        const bool empty = std::isnan(a[0]);
        out.f64(empty ? 0.0 : 1.0);
        for (double v : a) out.f64(empty ? 0.0 : v);
      }
    }
  }
}

CausalForest CausalForest::read(ByteReader& in, std::size_t features) {
  ForestOptions options;
  options.ci_group_size = in.i32();
  options.min_node_size = in.i32();
  options.seed = in.u64();
  const auto damaged = [] {
    return Error(ErrorCode::kBadInput, "the model file's forest is damaged; save the model again");
  };
  if (options.ci_group_size < 1) throw damaged();
  CausalForest f(Eigen::MatrixXd(0, static_cast<Eigen::Index>(features)), Eigen::VectorXd(),
                 Eigen::VectorXd(), options);
  f.trees_.resize(in.count(in.remaining() / 8));
  for (Tree& tree : f.trees_) {
    tree.nodes.resize(in.count(in.remaining() / 4));
    for (std::size_t k = 0; k < tree.nodes.size(); ++k) {
      Node& node = tree.nodes[k];
      const int feature = in.i32();
      if (feature >= 0) {
        const int bin = in.i32();
        node.threshold = in.f64(), node.left = in.i32();
        const int right = in.i32();
        const auto child_ok = [&](int c) {
          return c > static_cast<int>(k) && static_cast<std::size_t>(c) < tree.nodes.size();
        };
        if (static_cast<std::size_t>(feature) >= features || bin < 0 || bin > 255 ||
            !child_ok(node.left) || right != node.left + 1 || !child_ok(right) ||
            !std::isfinite(node.threshold))
          throw damaged();
        node.feature = feature, node.bin = static_cast<unsigned>(bin);
      } else {
        if (feature != -1) throw damaged();
        node.left = static_cast<int>(tree.means.size());
        std::array<double, 5> sums;
        for (double& s : sums) s = in.f64();
        tree.means.push_back(means_of(sums));
      }
    }
    if (tree.nodes.empty()) throw damaged();
  }
  f.options_.trees = static_cast<int>(f.trees_.size());
  return f;
}

std::vector<double> CausalForest::variable_importance(int max_depth, double decay) const {
  const std::size_t p = bins_.cols();
  const auto depths = static_cast<std::size_t>(max_depth);
  std::vector<std::vector<double>> count(depths, std::vector<double>(p, 0.0));
  for (const Tree& tree : trees_) {
    std::vector<std::pair<int, std::size_t>> stack{{0, 0}};  // (node, depth from 0)
    while (!stack.empty()) {
      const auto [node, depth] = stack.back();
      stack.pop_back();
      const Node& n = tree.nodes[static_cast<std::size_t>(node)];
      if (n.feature < 0 || depth >= depths) continue;
      count[depth][static_cast<std::size_t>(n.feature)] += 1;
      stack.push_back({n.left, depth + 1});
      stack.push_back({n.right(), depth + 1});
    }
  }
  std::vector<double> importance(p, 0.0);
  double weights = 0;
  for (std::size_t d = 0; d < depths; ++d) {
    double splits = 0;
    for (double c : count[d]) splits += c;
    if (splits == 0) continue;
    const double weight = std::pow(static_cast<double>(d + 1), -decay);
    for (std::size_t j = 0; j < p; ++j) importance[j] += weight * count[d][j] / splits;
    weights += weight;
  }
  if (weights > 0)
    for (double& v : importance) v /= weights;
  return importance;
}

}  // namespace causeway
