#include "causeway/uplift/uplift.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "causeway/learn/propensity.h"
#include "core/folds.h"
#include "forest/causal_forest.h"
#include "forest/centering.h"
#include "forest/regression_forest.h"
#include "uplift/deciles.h"
#include "uplift/forest_inference.h"
#include "uplift/meta_learners.h"
#include "uplift/targeting.h"

namespace causeway {
namespace {

constexpr double kZ = 1.959963984540054;

// The columns of `x` named `names`, in that order.
Eigen::MatrixXd columns_named(const AnalysisData& d, const std::vector<std::string>& names) {
  Eigen::MatrixXd out(d.x.rows(), static_cast<Eigen::Index>(names.size()));
  for (std::size_t j = 0; j < names.size(); ++j) {
    const auto it = std::find(d.x_names.begin(), d.x_names.end(), names[j]);
    if (it == d.x_names.end())
      throw Error(ErrorCode::kInternal, "feature column '" + names[j] + "' is not in the sample");
    out.col(static_cast<Eigen::Index>(j)) = d.x.col(it - d.x_names.begin());
  }
  return out;
}

// A forest needs 50 customers per arm; judging a ranking by deciles needs 20.
void check_arms(const AnalysisData& d, const std::string& part, std::size_t min_arm) {
  if (d.n_treated < min_arm || d.n_control < min_arm)
    throw Error(
        ErrorCode::kBadInput,
        fmt::format("{}: uplift needs at least {} treated and {} control customers {}; "
                    "there are {} and {} ({})",
                    d.source, min_arm, min_arm, part, d.n_treated, d.n_control, d.coding()));
}

// Rows split by a seeded shuffle: the first share held out, both parts in file order.
std::pair<std::vector<std::size_t>, std::vector<std::size_t>> split_rows(std::size_t n,
                                                                         double holdout,
                                                                         std::uint64_t seed) {
  const std::vector<std::size_t> order = shuffled_rows(n, seed ^ 0x686f6c646f7574ULL);
  const auto held = static_cast<std::size_t>(std::llround(holdout * static_cast<double>(n)));
  std::vector<std::size_t> test(order.begin(), order.begin() + static_cast<long>(held));
  std::vector<std::size_t> train(order.begin() + static_cast<long>(held), order.end());
  std::sort(test.begin(), test.end());
  std::sort(train.begin(), train.end());
  return {train, test};
}

// Rankings that never saw the customer's own outcome: out-of-bag predictions of customers who
// share a leaf move against their own outcome, so two forests on the two halves of the rows
// each rank the other half.
Eigen::VectorXd cross_fitted_ranking(const Eigen::MatrixXd& features, const Centered& c,
                                     const ForestOptions& fo, int trees) {
  const Eigen::Index n = features.rows();
  Eigen::VectorXd rank_tau(n);
  for (int h = 0; h < 2; ++h) {
    std::vector<Eigen::Index> train, other;
    for (Eigen::Index i = 0; i < n; ++i) ((i % 2 == h) ? train : other).push_back(i);
    const Eigen::MatrixXd xf = features(train, Eigen::all);
    ForestOptions half = fo;
    half.trees = std::max(100, (trees / 8) * 2);  // a ranking needs no intervals: fewer trees
    half.min_node_size = std::max(5, fo.min_node_size / 2);
    half.progress = nullptr;
    half.seed = fo.seed + 7919 + static_cast<std::uint64_t>(h);
    const CausalForest half_forest = CausalForest::train(xf, c.y(train), c.w(train), half);
    const Eigen::VectorXd pred = half_forest.predict(features(other, Eigen::all), false).tau;
    for (std::size_t k = 0; k < other.size(); ++k) {
      const double v = pred[static_cast<Eigen::Index>(k)];
      rank_tau[other[k]] = std::isfinite(v) ? v : 0.0;
    }
  }
  return rank_tau;
}

std::vector<double> as_vector(const Eigen::VectorXd& v) {
  return {v.begin(), v.end()};
}

Centered center(const UpliftOptions& o, const AnalysisData& d, std::uint64_t seed) {
  if (o.given_nuisance) {
    const auto& [y_hat, w_hat] = *o.given_nuisance;
    if (y_hat.size() != d.y.size() || w_hat.size() != d.t.size())
      throw Error(ErrorCode::kInternal, "given nuisance predictions do not match the rows");
    Centered c;
    c.y_hat = y_hat;
    c.w_hat = w_hat.cwiseMax(0.01).cwiseMin(0.99);
    c.y = d.y - c.y_hat;
    c.w = d.t - c.w_hat;
    return c;
  }
  if (o.nuisance == "linear") return center_linear(d.x, d.y, d.t, o.folds, seed);
  if (o.nuisance == "boosting") return center_boosting(d.x, d.y, d.t, o.folds, seed, o.threads);
  if (o.nuisance == "forest") {
    RegressionForestOptions fo;
    fo.seed = seed;
    fo.threads = o.threads;
    return center_forest(d.x, d.y, d.t, fo);
  }
  throw Error(ErrorCode::kBadInput,
              "--nuisance must be linear, boosting or forest, not '" + o.nuisance + "'");
}

// Per-customer effects from one method: for the training rows (cross-fitted or out of bag), a
// ranking of them that never saw their own outcomes, and for the held-out rows.
struct Effects {
  Eigen::VectorXd tau, se;  // training rows; se is empty without intervals
  Eigen::VectorXd rank;
  Eigen::VectorXd held_tau, held_se;
  std::shared_ptr<const CausalForest> forest;
  int min_node_size = 0;
  std::string leaf_rule;
};

// Every prediction must come with its interval; `name` names the row in the message.
template <class RowName>
void require_intervals(const CausalForest::Prediction& p, const RowName& name, const char* what) {
  for (Eigen::Index i = 0; i < p.tau.size(); ++i)
    if (!std::isfinite(p.tau[i]) || !std::isfinite(p.se[i]))
      throw Error(ErrorCode::kNumericalFailure,
                  fmt::format("{} has no {} with an interval; use more --trees",
                              name(static_cast<std::size_t>(i)), what));
}

// The feature columns of the training rows and, with --holdout, of the held-out rows.
struct FeatureRows {
  const Eigen::MatrixXd& train;
  const Eigen::MatrixXd* held;  // nullptr without --holdout
};

Effects forest_effects(const AnalysisData& d, const AnalysisData* test, const FeatureRows& x,
                       const Centered& c, const UpliftOptions& o) {
  if (o.trees < 100)
    throw Error(ErrorCode::kBadInput,
                "--trees must be at least 100: with fewer, some customers have no out-of-bag "
                "prediction or interval");
  // A tree's splitting quarter must hold two leaves' worth of each arm.
  const int leaf_room = static_cast<int>(std::min(d.n_treated, d.n_control) / 8);
  Effects e;
  int leaf = o.min_node_size;
  e.leaf_rule = leaf == 0 ? "tuned by R-loss" : o.min_node_size_given ? "given" : "default";
  if (leaf > leaf_room && !o.min_node_size_given)
    leaf = std::max(1, leaf_room), e.leaf_rule = "default, reduced to fit the smaller arm";
  if (leaf > leaf_room)
    throw Error(ErrorCode::kBadInput,
                fmt::format("--min-node-size {} leaves no room to split: a tree's splitting "
                            "quarter of the data holds about {} treated and {} control",
                            o.min_node_size, d.n_treated / 4, d.n_control / 4));
  ForestOptions fo;
  fo.trees = o.trees;
  fo.min_node_size = leaf;
  fo.min_gain = o.min_split_gain;
  fo.seed = o.seed;
  fo.threads = o.threads;
  fo.progress = o.progress;
  e.forest = std::make_shared<const CausalForest>(CausalForest::train(x.train, c.y, c.w, fo));
  fo.min_node_size = e.min_node_size = e.forest->min_node_size();
  const CausalForest::Prediction p = e.forest->predict_oob();
  require_intervals(
      p, [&](std::size_t i) { return d.row_name(i); }, "out-of-bag prediction");
  e.tau = p.tau, e.se = p.se;
  if (test == nullptr) {
    e.rank = cross_fitted_ranking(x.train, c, fo, o.trees);
    return e;
  }
  const CausalForest::Prediction q = e.forest->predict(*x.held);
  require_intervals(
      q, [&](std::size_t i) { return test->row_name(i); }, "prediction");
  e.held_tau = q.tau, e.held_se = q.se;
  return e;
}

Effects meta_effects(const AnalysisData& d, const AnalysisData* test, const FeatureRows& x,
                     const UpliftOptions& o) {
  const MetaOptions mo{o.method, o.base, o.folds, o.seed, o.threads};
  const MetaData train{d.x, x.train, d.y, d.t};
  Effects e;
  if (test == nullptr) {
    e.tau = e.rank = fit_meta_learner(train, nullptr, mo).tau;
    return e;
  }
  const MetaData held{test->x, *x.held, test->y, test->t};
  const MetaFit fit = fit_meta_learner(train, &held, mo);
  e.tau = e.rank = fit.tau;
  e.held_tau = fit.holdout;
  return e;
}

UpliftReport uplift(const AnalysisData& all, const UpliftOptions& o) {
  if (o.features.empty())
    throw Error(ErrorCode::kBadInput,
                "uplift needs --features: the columns whose values may change the effect");
  if (!(o.holdout >= 0 && o.holdout <= 0.5))
    throw Error(ErrorCode::kBadInput, "--holdout must be between 0 and 0.5");
  if (o.given_nuisance && o.holdout > 0)
    throw Error(ErrorCode::kBadInput,
                "--nuisance-columns cannot be combined with --holdout: held-out customers need "
                "predictions from models that never saw them; hold them out yourself instead");
  const bool forest = o.method == "forest";
  const auto [train_rows, test_rows] = split_rows(all.rows(), o.holdout, o.seed);
  const bool held_out = !test_rows.empty();
  if (o.holdout > 0 && !held_out)
    throw Error(ErrorCode::kBadInput,
                fmt::format("--holdout {} holds out no customer of {}; give a larger share",
                            o.holdout, all.rows()));
  const AnalysisData d = held_out ? subsample(all, train_rows) : all;
  check_arms(d, held_out ? "in the training part" : "to fit the effect model", 50);
  const AnalysisData test = held_out ? subsample(all, test_rows) : AnalysisData{};
  if (held_out) check_arms(test, "in the held-out part (raise --holdout)", 20);
  // Per-customer effects and doubly robust scores need both arms wherever customers are: a
  // level or range with one arm only (separation) leaves its customers' effects unidentified.
  const PropensityModel overlap = fit_propensity(d, {}).or_throw();
  if (!overlap.separation.empty())
    throw Error(ErrorCode::kNotIdentifiable,
                fmt::format("{}: {}; per-customer effects need treated and control customers in "
                            "every region of the covariates: leave the covariate out or drop "
                            "the customers it separates",
                            all.source, overlap.separation[0].message));
  // Nuisances on every covariate (features and controls): for the forest's local centering,
  // and for every method's doubly robust scores.
  const Centered c = center(o, d, o.seed);
  const Eigen::MatrixXd features = columns_named(d, o.features);
  const Eigen::MatrixXd held_features =
      held_out ? columns_named(test, o.features) : Eigen::MatrixXd();
  const FeatureRows x{features, held_out ? &held_features : nullptr};
  const AnalysisData* held = held_out ? &test : nullptr;
  const Effects e = forest ? forest_effects(d, held, x, c, o) : meta_effects(d, held, x, o);
  const bool intervals = e.se.size() > 0;
  UpliftReport r;
  r.source = all.source;
  r.treatment = all.treatment;
  r.outcome = all.outcome;
  r.features = o.features;
  for (const auto& name : all.x_names)
    if (std::find(o.features.begin(), o.features.end(), name) == o.features.end())
      r.controls.push_back(name);
  r.method = o.method;
  r.base = forest ? "" : o.base;
  r.intervals = intervals;
  r.trees = forest ? o.trees : 0;
  r.min_node_size = e.min_node_size;
  r.min_split_gain = forest ? o.min_split_gain : 0;
  r.leaf_rule = e.leaf_rule;
  r.forest = e.forest;
  r.holdout = o.holdout;
  r.nuisance = o.given_nuisance ? "given (--nuisance-columns)" : o.nuisance;
  r.warnings = all.warnings;
  const ForestFit fit{d.y, d.t, c.y_hat, c.w_hat, e.tau};
  const Eigen::VectorXd dr = dr_scores(fit);
  r.averages = average_effects(fit);
  r.ate = r.averages[0].estimate, r.ate_se = r.averages[0].se;
  r.projection = best_linear_projection(dr, features, o.features, r.warnings);
  r.calibration = calibration_test(fit);
  if (e.forest) {
    const std::vector<double> importance = e.forest->variable_importance();
    for (std::size_t j = 0; j < importance.size(); ++j)
      r.importance.emplace_back(o.features[j], importance[j]);
  }
  {
    std::size_t point = 0, surely = 0, possibly = 0;
    for (Eigen::Index i = 0; i < e.tau.size(); ++i) {
      const double margin = intervals ? kZ * e.se[i] : 0.0;
      point += e.tau[i] < 0, surely += e.tau[i] + margin < 0, possibly += e.tau[i] - margin < 0;
    }
    const double n = static_cast<double>(e.tau.size());
    r.share_hurt = static_cast<double>(point) / n;
    r.share_hurt_low = static_cast<double>(surely) / n;
    r.share_hurt_high = static_cast<double>(possibly) / n;
  }
  // Per customer, in file order: cross-fitted or out of bag for the training rows, from the
  // models fitted on all training rows for the held-out rows.
  r.tau.assign(all.rows(), 0.0);
  r.se.assign(intervals ? all.rows() : 0, 0.0);
  for (std::size_t k = 0; k < train_rows.size(); ++k) {
    r.tau[train_rows[k]] = e.tau[static_cast<Eigen::Index>(k)];
    if (intervals) r.se[train_rows[k]] = e.se[static_cast<Eigen::Index>(k)];
  }
  for (std::size_t k = 0; k < test_rows.size(); ++k) {
    r.tau[test_rows[k]] = e.held_tau[static_cast<Eigen::Index>(k)];
    if (intervals) r.se[test_rows[k]] = e.held_se[static_cast<Eigen::Index>(k)];
  }
  for (std::size_t i = 0; i < all.rows(); ++i) r.ids.push_back(all.row_name(i));
  r.held_out.assign(all.rows(), 0);
  for (std::size_t i : test_rows) r.held_out[i] = 1;
  Ranked ranked;
  if (held_out) {
    // The held-out customers' scores need their own nuisances, fitted on them alone.
    const Centered ct = center(o, test, o.seed + 1);
    ranked.rank = ranked.predicted = as_vector(e.held_tau);
    ranked.scores = as_vector(dr_scores({test.y, test.t, ct.y_hat, ct.w_hat, e.held_tau}));
    for (Eigen::Index i = 0; i < test.t.size(); ++i) ranked.treated.push_back(test.t[i] == 1);
  } else {
    ranked.rank = as_vector(e.rank);
    ranked.predicted = r.tau;
    ranked.scores = as_vector(dr);
    for (Eigen::Index i = 0; i < d.t.size(); ++i) ranked.treated.push_back(d.t[i] == 1);
  }
  evaluate_targeting(ranked, o.budget, r);
  // The scores file's deciles are for acting on: every customer ranked by their predicted
  // effect (the evaluation above ranks by predictions that never saw the outcomes instead).
  r.decile = deciles_of(r.tau);
  if (r.forest && !r.forest->has_splits())
    r.warnings.push_back(
        "the forest made no split (no split beat --min-split-gain, or none left --min-node-size "
        "rows on each side): every customer gets about the same effect, so the ranking, "
        "deciles, Qini, budget and calibration figures say nothing about whom to treat (tied "
        "rankings follow row order)");
  if (d.rows() < 2000)
    r.warnings.push_back(fmt::format(
        "{} rows: per-customer effects and their intervals need thousands of customers (on the "
        "747-row IHDP samples the forest's intervals covered only 21 to 61 % of the true "
        "effects); read the deciles and the averages, not single customers",
        d.rows()));
  return r;
}

}  // namespace

Result<UpliftReport> run_uplift(const AnalysisData& data, const UpliftOptions& options) {
  return guarded([&] { return uplift(data, options); });
}

}  // namespace causeway
