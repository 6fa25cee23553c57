#include "forest/causal_forest.h"

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "causeway/rng.h"

namespace causeway {
namespace {

// The five sums of a set of rows, plus its treated count (for the balance rule).
struct Sums {
  double n = 0, w = 0, y = 0, wy = 0, ww = 0, treated = 0;
  void add(double wi, double yi, bool is_treated) {
    n += 1, w += wi, y += yi, wy += wi * yi, ww += wi * wi, treated += is_treated;
  }
  Sums minus(const Sums& o) const {
    return {n - o.n, w - o.w, y - o.y, wy - o.wy, ww - o.ww, treated - o.treated};
  }
};

// The parent's moment: centre and effect, which fix each row's pseudo-outcome
// rho_i = (w_i - w_bar)((y_i - y_bar) - tau (w_i - w_bar)) / var_w.
struct Moment {
  double w_bar = 0, y_bar = 0, tau = 0, var_w = 0;
  explicit Moment(const Sums& s) {
    w_bar = s.w / s.n, y_bar = s.y / s.n;
    var_w = s.ww / s.n - w_bar * w_bar;
    tau = var_w > 0 ? (s.wy / s.n - w_bar * y_bar) / var_w : 0;
  }
  // The sum of the pseudo-outcomes over a child, from its sums alone.
  double rho_sum(const Sums& c) const {
    const double cross = c.wy - w_bar * c.y - y_bar * c.w + c.n * w_bar * y_bar;
    const double square = c.ww - 2 * w_bar * c.w + c.n * w_bar * w_bar;
    return (cross - tau * square) / var_w;
  }
};

}  // namespace

CausalForest::CausalForest(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                           const Eigen::VectorXd& w, const ForestOptions& options)
    : options_(options), bins_(x), y_(y), w_(w) {}

CausalForest CausalForest::train(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                 const Eigen::VectorXd& w, const ForestOptions& options) {
  if (x.rows() != y.size() || x.rows() != w.size())
    throw std::invalid_argument("features, outcome and treatment must have the same rows");
  if (options.trees < 1 || !(options.sample_fraction > 0 && options.sample_fraction <= 1))
    throw std::invalid_argument("trees >= 1 and 0 < sample_fraction <= 1");
  if (options.ci_group_size < 1 ||
      (options.ci_group_size > 1 &&
       (options.sample_fraction > 0.5 || options.trees % options.ci_group_size != 0)))
    throw std::invalid_argument(
        "ci_group_size >= 1; above 1, sample_fraction <= 0.5 and trees a multiple of it");
  ForestOptions chosen = options;
  if (chosen.min_node_size == 0) {
    // Small forests (200 trees, same seed) for each candidate; the lowest out-of-bag R-loss
    // wins. Candidates too large to allow a split in the splitting half are skipped.
    double best = INFINITY;
    for (int m : {5, 10, 20, 50, 100, 200}) {
      if (static_cast<double>(4 * m) > options.sample_fraction * static_cast<double>(x.rows()) / 2)
        break;
      ForestOptions trial = options;
      trial.progress = nullptr;  // the tuning forests are not the one being reported
      trial.min_node_size = m;
      trial.trees = 200;
      const Eigen::VectorXd tau = train(x, y, w, trial).predict_oob().tau;
      const double loss = r_loss(tau, y, w);
      if (loss < best) best = loss, chosen.min_node_size = m;
    }
    if (chosen.min_node_size == 0) chosen.min_node_size = 5;
  }
  CausalForest f(x, y, w, chosen);
  f.trees_.resize(static_cast<std::size_t>(options.trees));
  const int threads = options.threads > 0 ? options.threads : omp_get_max_threads();
  std::atomic<int> done{0};
#pragma omp parallel for schedule(dynamic) num_threads(threads)
  for (int t = 0; t < options.trees; ++t) {
    f.trees_[static_cast<std::size_t>(t)] = f.grow(static_cast<std::size_t>(t));
    const int finished = ++done;
    if (options.progress) {
#pragma omp critical(causeway_forest_progress)
      options.progress(finished, options.trees);
    }
  }
  return f;
}

std::vector<std::uint32_t> CausalForest::subsample(std::size_t index) const {
  const std::size_t n = bins_.rows();
  const std::size_t m =
      std::max<std::size_t>(2, static_cast<std::size_t>(options_.sample_fraction * n));
  std::vector<std::uint32_t> rows(n);
  std::iota(rows.begin(), rows.end(), 0u);
  // A random first k of `list`, by a partial shuffle.
  const auto draw = [](std::vector<std::uint32_t>& list, std::size_t k, Rng& rng) {
    k = std::min(k, list.size());
    for (std::size_t i = 0; i < k; ++i) std::swap(list[i], list[i + rng.below(list.size() - i)]);
    list.resize(k);
  };
  if (options_.ci_group_size > 1) {  // the group's half-sample first
    Rng group(options_.seed ^ 0x5851f42d4c957f2dULL ^
              (index / static_cast<std::size_t>(options_.ci_group_size)));
    draw(rows, n / 2, group);
  }
  Rng rng(options_.seed + index);
  draw(rows, m, rng);
  return rows;
}

CausalForest::Tree CausalForest::grow(std::size_t index) const {
  std::vector<std::uint32_t> rows = subsample(index);
  const std::size_t half = rows.size() / 2;  // [0, half): splitting; [half, end): estimation
  const std::size_t p = bins_.cols();
  const std::size_t mtry =
      options_.mtry > 0
          ? std::min<std::size_t>(static_cast<std::size_t>(options_.mtry), p)
          : std::min<std::size_t>(
                static_cast<std::size_t>(std::ceil(std::sqrt(static_cast<double>(p)) + 20)), p);
  Rng rng(options_.seed + index + 0x9e3779b97f4a7c15ULL);
  Tree tree(1);
  struct Work {
    int node;
    std::size_t begin, end;
  };
  std::vector<Work> stack{{0, 0, half}};
  std::vector<std::size_t> features(p);
  std::vector<Sums> hist(256);
  const auto min_child = static_cast<double>(options_.min_node_size);
  while (!stack.empty()) {
    const Work work = stack.back();
    stack.pop_back();
    const std::size_t count = work.end - work.begin;
    if (count < 2 * static_cast<std::size_t>(options_.min_node_size)) continue;
    Sums parent;
    for (std::size_t k = work.begin; k < work.end; ++k) {
      const std::uint32_t i = rows[k];
      parent.add(w_[i], y_[i], w_[i] > 0);  // centred: w above 0 is the treated side
    }
    const Moment moment(parent);
    if (!(moment.var_w > 0)) continue;
    // Candidate features: a random mtry of them (a partial shuffle).
    std::iota(features.begin(), features.end(), 0);
    for (std::size_t k = 0; k < mtry; ++k) std::swap(features[k], features[k + rng.below(p - k)]);
    double best = 0;
    int best_feature = -1, best_bin = 0;
    const double floor_size = std::max(min_child, options_.alpha * static_cast<double>(count));
    const double floor_treated = std::max(min_child, options_.alpha * parent.treated);
    const double floor_control = std::max(min_child, options_.alpha * (parent.n - parent.treated));
    for (std::size_t f = 0; f < mtry; ++f) {
      const std::size_t j = features[f];
      const int nb = bins_.bins(j);
      if (nb < 2) continue;
      std::fill(hist.begin(), hist.begin() + nb, Sums{});
      const std::uint8_t* code = bins_.column(j);
      for (std::size_t k = work.begin; k < work.end; ++k) {
        const std::uint32_t i = rows[k];
        hist[code[i]].add(w_[i], y_[i], w_[i] > 0);
      }
      Sums left;
      for (int b = 0; b + 1 < nb; ++b) {
        const Sums& h = hist[static_cast<std::size_t>(b)];
        left = Sums{left.n + h.n,   left.w + h.w,   left.y + h.y,
                    left.wy + h.wy, left.ww + h.ww, left.treated + h.treated};
        const Sums right = parent.minus(left);
        if (left.n < floor_size || right.n < floor_size) continue;
        // Stable splits: each side keeps enough treated and enough control rows (the minimum
        // node size, or alpha of the parent's), so no leaf's effect rests on a handful.
        if (left.treated < floor_treated || right.treated < floor_treated ||
            left.n - left.treated < floor_control || right.n - right.treated < floor_control)
          continue;
        const double rl = moment.rho_sum(left), rr = moment.rho_sum(right);
        const double gain = rl * rl / left.n + rr * rr / right.n;
        if (gain > best) best = gain, best_feature = static_cast<int>(j), best_bin = b;
      }
    }
    if (best_feature < 0) continue;
    const std::uint8_t* code = bins_.column(static_cast<std::size_t>(best_feature));
    const auto middle = std::partition(rows.begin() + static_cast<long>(work.begin),
                                       rows.begin() + static_cast<long>(work.end),
                                       [&](std::uint32_t i) { return code[i] <= best_bin; });
    const auto split = static_cast<std::size_t>(middle - rows.begin());
    const int left_id = static_cast<int>(tree.size()), right_id = left_id + 1;
    tree.resize(tree.size() + 2);
    Node& node = tree[static_cast<std::size_t>(work.node)];
    node.feature = best_feature;
    node.bin = best_bin;
    node.threshold = bins_.threshold(static_cast<std::size_t>(best_feature), best_bin);
    node.left = left_id;
    node.right = right_id;
    stack.push_back({left_id, work.begin, split});
    stack.push_back({right_id, split, work.end});
  }
  // Honesty: the estimation half fills the leaves the splitting half shaped.
  for (std::size_t k = half; k < rows.size(); ++k) {
    const std::uint32_t i = rows[k];
    auto& s = tree[leaf_by_bin(tree, i)].sums;
    const double wi = w_[i], yi = y_[i];
    s[0] += 1, s[1] += wi, s[2] += yi, s[3] += wi * yi, s[4] += wi * wi;
  }
  return tree;
}

double CausalForest::r_loss(const Eigen::VectorXd& tau, const Eigen::VectorXd& y,
                            const Eigen::VectorXd& w) {
  double sum = 0, n = 0;
  for (Eigen::Index i = 0; i < tau.size(); ++i)
    if (std::isfinite(tau[i])) sum += (y[i] - tau[i] * w[i]) * (y[i] - tau[i] * w[i]), n += 1;
  return n > 0 ? sum / n : INFINITY;
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

std::size_t CausalForest::leaf_by_bin(const Tree& tree, std::size_t row) const {
  std::size_t node = 0;
  while (tree[node].feature >= 0)
    node = static_cast<std::size_t>(bins_.at(row, static_cast<std::size_t>(tree[node].feature)) <=
                                            tree[node].bin
                                        ? tree[node].left
                                        : tree[node].right);
  return node;
}

std::vector<char> CausalForest::out_of_bag(std::size_t index) const {
  std::vector<char> mask(bins_.rows(), 1);
  for (std::uint32_t i : subsample(index)) mask[i] = 0;
  return mask;
}

CausalForest::Prediction CausalForest::predict_oob() const {
  const std::size_t n = bins_.rows();
  // Pass 1: the forest-weighted sums, hence each row's effect and centres.
  std::vector<std::array<double, 5>> total(n, std::array<double, 5>{});
  std::vector<double> trees(n, 0.0);
  for (std::size_t t = 0; t < trees_.size(); ++t) {
    const std::vector<char> unseen = out_of_bag(t);
    for (std::size_t i = 0; i < n; ++i) {
      if (!unseen[i]) continue;
      const auto& s = trees_[t][leaf_by_bin(trees_[t], i)].sums;
      if (s[0] <= 0) continue;  // an empty honest leaf says nothing
      for (std::size_t k = 0; k < 5; ++k) total[i][k] += s[k] / s[0];
      trees[i] += 1;
    }
  }
  Prediction p;
  p.tau.resize(static_cast<Eigen::Index>(n));
  p.se = Eigen::VectorXd::Constant(static_cast<Eigen::Index>(n), NAN);
  for (std::size_t i = 0; i < n; ++i)
    p.tau[static_cast<Eigen::Index>(i)] = effect(total[i], trees[i]);
  const std::size_t group = static_cast<std::size_t>(options_.ci_group_size);
  if (group < 2) return p;
  // Pass 2: each tree's average score at the row's effect, spread within and between groups
  // of trees that all left the row out.
  std::vector<double> groups(n, 0.0), sum(n, 0.0), sum_sq(n, 0.0), within(n, 0.0);
  std::vector<double> psi(group);
  std::vector<std::vector<char>> unseen(group);
  for (std::size_t g = 0; g * group < trees_.size(); ++g) {
    for (std::size_t k = 0; k < group; ++k) unseen[k] = out_of_bag(g * group + k);
    for (std::size_t i = 0; i < n; ++i) {
      const double tau = p.tau[static_cast<Eigen::Index>(i)];
      if (!std::isfinite(tau)) continue;
      const double w_bar = total[i][1] / trees[i], y_bar = total[i][2] / trees[i];
      bool good = true;
      for (std::size_t k = 0; k < group && good; ++k) {
        if (!unseen[k][i]) {
          good = false;
          break;
        }
        const Tree& tree = trees_[g * group + k];
        const auto& s = tree[leaf_by_bin(tree, i)].sums;
        good = s[0] > 0;
        if (!good) break;
        const double cross = s[3] - w_bar * s[2] - y_bar * s[1] + s[0] * w_bar * y_bar;
        const double square = s[4] - 2 * w_bar * s[1] + s[0] * w_bar * w_bar;
        psi[k] = (cross - tau * square) / s[0];
      }
      if (!good) continue;
      double mean = 0;
      for (double v : psi) mean += v;
      mean /= static_cast<double>(group);
      for (double v : psi) within[i] += (v - mean) * (v - mean);
      groups[i] += 1, sum[i] += mean, sum_sq[i] += mean * mean;
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (groups[i] < 2) continue;
    const double mean = sum[i] / groups[i];
    const double between = sum_sq[i] / groups[i] - mean * mean;
    const double noise =
        within[i] / (groups[i] * static_cast<double>(group) * static_cast<double>(group - 1));
    const double w_bar = total[i][1] / trees[i];
    const double h = total[i][4] / trees[i] - w_bar * w_bar;  // the moment's slope
    if (h > 0)
      p.se[static_cast<Eigen::Index>(i)] = std::sqrt(debiased(between, noise, groups[i])) / h;
  }
  return p;
}

Eigen::VectorXd CausalForest::predict(const Eigen::MatrixXd& x) const {
  Eigen::VectorXd out(x.rows());
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    std::array<double, 5> total{};
    double trees = 0;
    for (const Tree& tree : trees_) {
      std::size_t node = 0;
      while (tree[node].feature >= 0)
        node = static_cast<std::size_t>(
            x(i, tree[node].feature) <= tree[node].threshold ? tree[node].left : tree[node].right);
      const auto& s = tree[node].sums;
      if (s[0] <= 0) continue;
      for (std::size_t k = 0; k < 5; ++k) total[k] += s[k] / s[0];
      trees += 1;
    }
    out[i] = effect(total, trees);
  }
  return out;
}

}  // namespace causeway
