// Augmented inverse propensity weighting (doubly robust) with K-fold cross-fitting: the
// propensity and the two outcome models that score a unit never saw it. Outcome models are
// logistic for a 0/1 outcome and linear otherwise, fitted per arm. The standard error is the
// empirical standard deviation of the efficient influence function.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "causeway/learn/logistic.h"
#include "causeway/learn/ols.h"
#include "causeway/rng.h"
#include "core/folds.h"
#include "core/text.h"
#include "estimate/method.h"
#include "estimate/positivity.h"

namespace causeway {
namespace {

struct Nuisance {
  Eigen::VectorXd e, mu0, mu1;
};

// Predicts the outcome of `test` rows from a model fitted on the `train` rows of one arm.
Eigen::VectorXd outcome_model(const AnalysisData& d, const std::vector<std::size_t>& train,
                              const Eigen::MatrixXd& test_x) {
  Eigen::MatrixXd x(static_cast<Eigen::Index>(train.size()), d.x.cols());
  Eigen::VectorXd y(static_cast<Eigen::Index>(train.size()));
  for (std::size_t i = 0; i < train.size(); ++i) {
    x.row(static_cast<Eigen::Index>(i)) = d.x.row(static_cast<Eigen::Index>(train[i]));
    y[static_cast<Eigen::Index>(i)] = d.y[static_cast<Eigen::Index>(train[i])];
  }
  if (d.binary_outcome) {
    const double share = y.mean();
    if (share == 0.0 || share == 1.0) return Eigen::VectorXd::Constant(test_x.rows(), share);
    return fit_logistic(x, y, {0.0, 30, 1e-8}).predict(test_x);
  }
  Eigen::MatrixXd design(x.rows(), x.cols() + 1);
  design.col(0).setOnes();
  design.rightCols(x.cols()) = x;
  const Eigen::VectorXd coef = least_squares(design, y);
  Eigen::VectorXd pred = test_x * coef.tail(coef.size() - 1);
  pred.array() += coef[0];
  return pred;
}

// The propensity model of one cross-fitting fold. A separation that appears only because of the
// split (a rare level whose treated units all fell in the held-out fold) is an artefact, not a
// fact about the data: that fold's model is then fitted with an L2 penalty of 1 and a note says so.
PropensityModel fold_propensity(const AnalysisData& train, const EstimateOptions& o,
                                const PropensityModel* full, int fold,
                                std::vector<std::string>& notes) {
  PropensityOptions po = propensity_options(o);
  auto fitted = fit_propensity(train, po);
  std::string why = fitted.ok() ? "" : fitted.status().message();
  if (fitted.ok() && po.l2 == 0.0) {
    for (const auto& f : fitted.value().separation) {
      const bool in_full =
          full && std::any_of(full->separation.begin(), full->separation.end(),
                              [&](const auto& g) { return g.covariate == f.covariate; });
      if (!in_full) why = f.message;
    }
  }
  if (why.empty()) return std::move(fitted).value();
  po.l2 = 1.0;
  auto penalised = fit_propensity(train, po);
  if (!penalised.ok()) throw Error(penalised.status().code(), penalised.status().message());
  notes.push_back(
      fmt::format("fold {}: {} in its training folds only; that fold's propensity "
                  "model uses an L2 penalty of 1",
                  fold + 1, why));
  return std::move(penalised).value();
}

Nuisance cross_fit(const AnalysisData& d, const EstimateOptions& o, const PropensityModel* full,
                   std::vector<std::string>& notes) {
  const std::size_t n = d.rows();
  const std::vector<int> fold = assign_folds(n, o.folds, o.seed);
  Nuisance nu{Eigen::VectorXd(static_cast<Eigen::Index>(n)),
              Eigen::VectorXd(static_cast<Eigen::Index>(n)),
              Eigen::VectorXd(static_cast<Eigen::Index>(n))};
  for (int k = 0; k < o.folds; ++k) {
    std::vector<std::size_t> train, test, train_arm[2];
    for (std::size_t r = 0; r < n; ++r) (fold[r] == k ? test : train).push_back(r);
    for (std::size_t r : train) train_arm[d.t[static_cast<Eigen::Index>(r)] == 1.0].push_back(r);
    if (train_arm[0].size() < 2 || train_arm[1].size() < 2)
      throw Error(ErrorCode::kNotIdentifiable,
                  fmt::format("aipw: cross-fitting fold {} leaves fewer than 2 {} units to train "
                              "on; use fewer --folds",
                              k + 1, train_arm[1].size() < 2 ? "treated" : "control"));
    Eigen::MatrixXd test_x(static_cast<Eigen::Index>(test.size()), d.x.cols());
    for (std::size_t i = 0; i < test.size(); ++i)
      test_x.row(static_cast<Eigen::Index>(i)) = d.x.row(static_cast<Eigen::Index>(test[i]));
    const PropensityModel pm = fold_propensity(subsample(d, train), o, full, k, notes);
    const Eigen::VectorXd e = predict_propensity(pm, test_x);
    const Eigen::VectorXd m0 = outcome_model(d, train_arm[0], test_x);
    const Eigen::VectorXd m1 = outcome_model(d, train_arm[1], test_x);
    for (std::size_t i = 0; i < test.size(); ++i) {
      const auto r = static_cast<Eigen::Index>(test[i]), j = static_cast<Eigen::Index>(i);
      nu.e[r] = e[j], nu.mu0[r] = m0[j], nu.mu1[r] = m1[j];
    }
  }
  return nu;
}

void require_overlap(const AnalysisData& d, const Nuisance& nu, Target target,
                     const std::vector<std::size_t>& rows) {
  std::size_t bad = 0;
  for (std::size_t r : rows) {
    const auto i = static_cast<Eigen::Index>(r);
    const bool need_below_one = target != Target::kAtc || d.t[i] == 0.0;
    const bool need_above_zero = target != Target::kAtt || d.t[i] == 1.0;
    bad += (need_below_one && near_one(nu.e[i])) || (need_above_zero && near_zero(nu.e[i]));
  }
  if (bad > 0)
    throw Error(ErrorCode::kNotIdentifiable,
                fmt::format("aipw cannot estimate the {}: positivity fails for {} whose "
                            "cross-fitted propensity is exactly 0 or 1 (separation in the "
                            "propensity model of a fold). Pass --trim "
                            "0.01 to estimate the effect on the population with overlap, or "
                            "choose another --target",
                            target_name(target), counted(bad, "unit")));
}

// One cross-fitting split: the doubly robust score of every unit kept, and what it gives.
struct Split {
  double estimate = 0, se = 0;
  std::size_t count[2] = {0, 0};  // units used per arm
  std::size_t trimmed = 0;
  std::vector<std::string> notes;
};

Split one_split(const MethodInput& in, std::uint64_t seed) {
  const AnalysisData& d = in.data;
  EstimateOptions o = in.options;
  o.seed = seed;
  const Target target = o.target;
  Split split;
  const Nuisance nu = cross_fit(d, o, in.propensity, split.notes);
  std::vector<std::size_t> rows;
  for (std::size_t r = 0; r < d.rows(); ++r) {
    const double e = nu.e[static_cast<Eigen::Index>(r)];
    if (o.trim == 0.0 || (e >= o.trim && e <= 1.0 - o.trim)) rows.push_back(r);
  }
  require_overlap(d, nu, target, rows);
  split.trimmed = d.rows() - rows.size();
  // Per-unit scores: the estimate is sum(num) / sum(den); influence = (num - est * den) /
  // mean(den).
  double sum_num = 0, sum_den = 0;
  std::vector<double> num(rows.size()), den(rows.size());
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const auto i = static_cast<Eigen::Index>(rows[k]);
    const double t = d.t[i], y = d.y[i], e = nu.e[i], m0 = nu.mu0[i], m1 = nu.mu1[i];
    ++split.count[t == 1.0];
    if (target == Target::kAte) {
      num[k] = m1 - m0 + t * (y - m1) / e - (1 - t) * (y - m0) / (1 - e);
      den[k] = 1;
    } else if (target == Target::kAtt) {
      num[k] = t * (y - m0) - (1 - t) * e / (1 - e) * (y - m0);
      den[k] = t;
    } else {
      num[k] = (1 - t) * (m1 - y) + t * (1 - e) / e * (y - m1);
      den[k] = 1 - t;
    }
    sum_num += num[k], sum_den += den[k];
  }
  if (split.count[0] == 0 || split.count[1] == 0 || sum_den == 0)
    throw Error(ErrorCode::kNotIdentifiable, "aipw: trimming left one arm empty; lower --trim");
  split.estimate = sum_num / sum_den;
  const double m = static_cast<double>(rows.size());
  double ss = 0;
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const double psi = (num[k] - split.estimate * den[k]) / (sum_den / m);
    ss += psi * psi;
  }
  split.se = std::sqrt(ss) / m;
  return split;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t h = v.size() / 2;
  return v.size() % 2 ? v[h] : (v[h - 1] + v[h]) / 2;
}

}  // namespace

Estimate estimate_aipw(const MethodInput& in) {
  const AnalysisData& d = in.data;
  const EstimateOptions& o = in.options;
  const Target target = o.target;
  if (o.folds < 2) throw Error(ErrorCode::kBadInput, "--folds must be at least 2");
  if (static_cast<std::size_t>(o.folds) > d.rows())
    throw Error(ErrorCode::kBadInput,
                fmt::format("aipw: --folds {} exceeds the {} rows; use at most {} folds", o.folds,
                            d.rows(), d.rows()));
  if (o.repeats < 1) throw Error(ErrorCode::kBadInput, "--repeats must be at least 1");
  // The full-sample model names the covariate behind a positivity failure; cross-fitting below
  // checks the scores actually used.
  if (o.trim == 0.0 && in.propensity) require_positivity(d, *in.propensity, target, "aipw");
  // Repeated splits (split r seeded with seed + r): the median estimate, and the median of each
  // split's variance plus its distance to that median (Chernozhukov et al. 2018).
  std::vector<Split> splits;
  for (int r = 0; r < o.repeats; ++r)
    splits.push_back(one_split(in, o.seed + static_cast<std::uint64_t>(r)));
  std::vector<double> estimates, variances;
  for (const auto& s : splits) estimates.push_back(s.estimate);
  Estimate e;
  e.target = target;
  e.estimate = median(estimates);
  for (const auto& s : splits)
    variances.push_back(s.se * s.se + (s.estimate - e.estimate) * (s.estimate - e.estimate));
  e.se = std::sqrt(median(variances));
  e.se_method = o.repeats > 1 ? fmt::format(
                                    "influence function, median over {} cross-fitting "
                                    "splits",
                                    o.repeats)
                              : "influence function (cross-fitted nuisances)";
  const Split& first = splits.front();
  e.n_treated = first.count[1];
  e.n_control = first.count[0];
  e.estimand = fmt::format("{} (doubly robust)", target_name(target));
  e.answers = "the effect if either the propensity or the outcome model is right";
  e.misses = "confounders not measured; both models wrong in the same region";
  e.notes.push_back(fmt::format("{}-fold cross-fitting (seed {}{}); outcome models: {} per arm",
                                o.folds, o.seed,
                                o.repeats > 1 ? fmt::format(", {} splits", o.repeats) : "",
                                d.binary_outcome ? "logistic" : "linear"));
  if (o.repeats > 1) {
    const auto [lo, hi] = std::minmax_element(estimates.begin(), estimates.end());
    e.details["split_estimates_min"] = *lo;
    e.details["split_estimates_max"] = *hi;
  } else if (d.rows() < 2000) {
    e.warnings.push_back(
        "on a sample this small the estimate moves with the random fold split; "
        "--repeats 10 takes the median over 10 splits");
  }
  for (const auto& n : first.notes) e.notes.push_back(n);
  note_trimming(first.trimmed, o.trim, e);
  set_normal_interval(e);
  return e;
}

}  // namespace causeway
