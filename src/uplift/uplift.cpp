#include "causeway/uplift/uplift.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "forest/causal_forest.h"
#include "forest/centering.h"
#include "uplift/deciles.h"
#include "uplift/forest_inference.h"

namespace causeway {
namespace {

constexpr double kZ = 1.959963984540054;

UpliftReport uplift(const AnalysisData& d, const UpliftOptions& o) {
  if (o.features.empty())
    throw Error(ErrorCode::kBadInput,
                "uplift needs --features: the columns whose values may change the effect");
  std::vector<Eigen::Index> feature_cols;
  for (const auto& f : o.features) {
    const auto it = std::find(d.x_names.begin(), d.x_names.end(), f);
    if (it == d.x_names.end())
      throw Error(ErrorCode::kInternal, "feature column '" + f + "' is not in the sample");
    feature_cols.push_back(static_cast<Eigen::Index>(it - d.x_names.begin()));
  }
  const Eigen::Index n = d.x.rows();
  constexpr std::size_t kMinArm = 50;
  if (d.n_treated < kMinArm || d.n_control < kMinArm)
    throw Error(ErrorCode::kBadInput,
                fmt::format("uplift needs at least {} treated and {} control customers to grow "
                            "a forest; the data have {} and {}",
                            kMinArm, kMinArm, d.n_treated, d.n_control));
  if (o.trees < 100)
    throw Error(ErrorCode::kBadInput,
                "--trees must be at least 100: with fewer, some customers have no out-of-bag "
                "prediction or interval");
  // A tree's splitting quarter must hold two leaves' worth of each arm.
  const int leaf_room = static_cast<int>(std::min(d.n_treated, d.n_control) / 8);
  int leaf = o.min_node_size;
  std::string leaf_rule = leaf == 0               ? "tuned by R-loss"
                          : o.min_node_size_given ? "given"
                                                  : "default";
  if (leaf > leaf_room && !o.min_node_size_given)
    leaf = std::max(1, leaf_room), leaf_rule = "default, reduced to fit the smaller arm";
  if (leaf > leaf_room)
    throw Error(ErrorCode::kBadInput,
                fmt::format("--min-node-size {} leaves no room to split: a tree's splitting "
                            "quarter of the data holds about {} treated and {} control",
                            o.min_node_size, d.n_treated / 4, d.n_control / 4));
  Eigen::MatrixXd features(n, static_cast<Eigen::Index>(feature_cols.size()));
  for (std::size_t j = 0; j < feature_cols.size(); ++j)
    features.col(static_cast<Eigen::Index>(j)) = d.x.col(feature_cols[j]);
  // Nuisances on every covariate (features and controls); the forest on the features.
  const Centered c = center_linear(d.x, d.y, d.t, o.folds, o.seed);
  ForestOptions fo;
  fo.trees = o.trees;
  fo.min_node_size = leaf;
  fo.seed = o.seed;
  fo.threads = o.threads;
  fo.progress = o.progress;
  const auto fitted =
      std::make_shared<const CausalForest>(CausalForest::train(features, c.y, c.w, fo));
  const CausalForest& forest = *fitted;
  const CausalForest::Prediction p = forest.predict_oob();
  for (Eigen::Index i = 0; i < n; ++i)
    if (!std::isfinite(p.tau[i]) || !std::isfinite(p.se[i]))
      throw Error(ErrorCode::kNumericalFailure,
                  fmt::format("{} has no out-of-bag prediction with an interval; use more --trees",
                              d.row_name(static_cast<std::size_t>(i))));
  // The ranking that decides deciles, Qini and the budget must not have seen the customer's own
  // outcome: out-of-bag predictions of customers who share a leaf move against their own
  // outcome. Two forests on the two halves of the rows each rank the other half.
  Eigen::VectorXd rank_tau(n);
  for (int h = 0; h < 2; ++h) {
    std::vector<Eigen::Index> train, other;
    for (Eigen::Index i = 0; i < n; ++i) ((i % 2 == h) ? train : other).push_back(i);
    Eigen::MatrixXd xf(static_cast<Eigen::Index>(train.size()), features.cols());
    Eigen::VectorXd yf(xf.rows()), wf(xf.rows());
    for (std::size_t k = 0; k < train.size(); ++k) {
      const auto r = static_cast<Eigen::Index>(k);
      xf.row(r) = features.row(train[k]);
      yf[r] = c.y[train[k]];
      wf[r] = c.w[train[k]];
    }
    ForestOptions half = fo;
    half.trees = std::max(100, (o.trees / 4) * 2);
    half.min_node_size = std::max(5, forest.min_node_size() / 2);
    half.progress = nullptr;
    half.seed = o.seed + 7919 + static_cast<std::uint64_t>(h);
    const CausalForest half_forest = CausalForest::train(xf, yf, wf, half);
    Eigen::MatrixXd xo(static_cast<Eigen::Index>(other.size()), features.cols());
    for (std::size_t k = 0; k < other.size(); ++k)
      xo.row(static_cast<Eigen::Index>(k)) = features.row(other[k]);
    const Eigen::VectorXd pred = half_forest.predict(xo, false).tau;
    for (std::size_t k = 0; k < other.size(); ++k) {
      const double v = pred[static_cast<Eigen::Index>(k)];
      rank_tau[other[k]] = std::isfinite(v) ? v : 0.0;
    }
  }
  UpliftReport r;
  r.source = d.source;
  r.treatment = d.treatment;
  r.outcome = d.outcome;
  r.features = o.features;
  for (const auto& name : d.x_names)
    if (std::find(o.features.begin(), o.features.end(), name) == o.features.end())
      r.controls.push_back(name);
  r.trees = o.trees;
  r.min_node_size = forest.min_node_size();
  r.leaf_rule = leaf_rule;
  r.forest = fitted;
  r.warnings = d.warnings;
  const ForestFit fit{d.y, d.t, c.y_hat, c.w_hat, p.tau};
  const Eigen::VectorXd dr = dr_scores(fit);
  const std::vector<double> score(dr.begin(), dr.end());
  r.averages = average_effects(fit);
  r.ate = r.averages[0].estimate, r.ate_se = r.averages[0].se;
  r.projection = best_linear_projection(dr, features, o.features);
  r.calibration = calibration_test(fit);
  const std::vector<double> importance = forest.variable_importance();
  for (std::size_t j = 0; j < importance.size(); ++j)
    r.importance.emplace_back(o.features[j], importance[j]);
  for (Eigen::Index i = 0; i < n; ++i) {
    r.tau.push_back(p.tau[i]);
    r.se.push_back(p.se[i]);
    r.ids.push_back(d.row_name(static_cast<std::size_t>(i)));
  }
  const auto mean_se = [](const std::vector<double>& v) {
    double m = 0, ss = 0;
    for (double x : v) m += x;
    m /= static_cast<double>(v.size());
    for (double x : v) ss += (x - m) * (x - m);
    return std::pair{
        m, std::sqrt(ss / (static_cast<double>(v.size()) - 1) / static_cast<double>(v.size()))};
  };
  std::size_t hurt = 0, finite = 0;
  for (Eigen::Index i = 0; i < n; ++i)
    if (std::isfinite(p.se[i])) ++finite, hurt += p.tau[i] + kZ * p.se[i] < 0;
  r.share_hurt = finite ? static_cast<double>(hurt) / static_cast<double>(finite) : 0.0;
  // Deciles of predicted uplift, 1 the highest; ties broken by row.
  const std::vector<double> ranking(rank_tau.begin(), rank_tau.end());
  const std::vector<std::size_t> order = descending_order(ranking);
  r.decile = deciles_of(ranking);
  for (int dec = 1; dec <= 10; ++dec) {
    UpliftDecile row;
    row.decile = dec;
    std::vector<double> scores;
    for (std::size_t i = 0; i < order.size(); ++i) {
      if (r.decile[i] != dec) continue;
      ++row.customers;
      (d.t[static_cast<Eigen::Index>(i)] == 1 ? row.treated : row.control) += 1;
      row.predicted += r.tau[i];
      scores.push_back(score[i]);
    }
    if (row.customers == 0) continue;
    row.predicted /= static_cast<double>(row.customers);
    if (row.treated == 0 || row.control == 0) {
      row.note = fmt::format("no {} customer in this decile: no lift can be measured",
                             row.treated == 0 ? "treated" : "control");
    } else if (scores.size() >= 2) {
      const auto [m, se] = mean_se(scores);
      row.lift = m, row.low = m - kZ * se, row.high = m + kZ * se;
    }
    r.deciles.push_back(row);
  }
  // Qini area: mean over ranks of (gain of the top k) - (k/N of the total gain), per customer;
  // a weighted mean of the scores, weight (N - rank + 1)/N - (N + 1)/(2N) for rank 1..N.
  const double nn = static_cast<double>(n);
  std::vector<double> weighted(order.size());
  for (std::size_t k = 0; k < order.size(); ++k) {
    const double w = (nn - static_cast<double>(k)) / nn - (nn + 1) / (2 * nn);
    weighted[k] = score[order[k]] * w;
  }
  std::tie(r.qini_area, r.qini_se) = mean_se(weighted);
  double gain = 0;
  for (std::size_t k = 0; k < order.size(); ++k) {
    gain += score[order[k]];
    const std::size_t next = k + 1;
    if (next * 10 % order.size() < 10 || next == order.size())  // about every tenth
      r.gain_curve.emplace_back(static_cast<double>(next) / nn, gain / nn);
  }
  r.budget = o.budget;
  const std::size_t top =
      std::max<std::size_t>(2, static_cast<std::size_t>(std::llround(o.budget * nn)));
  std::vector<double> chosen;
  for (std::size_t k = 0; k < top && k < order.size(); ++k) chosen.push_back(score[order[k]]);
  std::tie(r.budget_lift, r.budget_se) = mean_se(chosen);
  if (n < 2000)
    r.warnings.push_back(fmt::format(
        "{} rows: per-customer effects from a forest need thousands; read the deciles and the "
        "average, not single customers",
        n));
  return r;
}

}  // namespace

Result<UpliftReport> run_uplift(const AnalysisData& data, const UpliftOptions& options) {
  return guarded([&] { return uplift(data, options); });
}

}  // namespace causeway
