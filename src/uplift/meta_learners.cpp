#include "uplift/meta_learners.h"

#include <fmt/format.h>
#include <omp.h>

#include <algorithm>
#include <functional>
#include <numeric>
#include <optional>
#include <vector>

#include "causeway/learn/boosting.h"
#include "causeway/learn/logistic.h"
#include "causeway/learn/ols.h"
#include "causeway/status.h"
#include "core/folds.h"

namespace causeway {
namespace {

using Predictor = std::function<Eigen::VectorXd(const Eigen::MatrixXd&)>;

bool zero_one(const Eigen::VectorXd& y) {
  return (y.array() == 0 || y.array() == 1).all();
}

// How a base model is used: for an outcome or propensity, or for smoothing imputed effects or
// pseudo-outcomes, whose noise dwarfs their signal and calls for a more cautious fit.
enum class Stage { kOutcome, kPropensity, kEffect };

// A base model fitted on (x, y): probabilities for a propensity (and, with boosting, for any
// 0/1 target), means otherwise.
Predictor fit_base(const std::string& base, const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                   Stage stage, std::uint64_t seed) {
  const bool propensity = stage == Stage::kPropensity;
  if (base == "linear") {
    if (propensity) {
      const LogisticFit fit = fit_logistic(x, y, {});
      return [fit](const Eigen::MatrixXd& z) { return fit.predict(z, 1); };
    }
    Eigen::MatrixXd design(x.rows(), x.cols() + 1);
    design << Eigen::VectorXd::Ones(x.rows()), x;
    const Eigen::VectorXd beta = least_squares(design, y);
    return [beta](const Eigen::MatrixXd& z) -> Eigen::VectorXd {
      return (z * beta.tail(beta.size() - 1)).array() + beta[0];
    };
  }
  BoostingOptions options;
  options.seed = seed;
  if (stage == Stage::kEffect) {
    // Fewer, shallower trees with large leaves (at least 1 % of the rows): the defaults would
    // chase the pseudo-outcomes' noise, which is many times the effect's own variation.
    options.rounds = 100;
    options.max_depth = 3;
    options.min_child_weight = std::max(20.0, 0.01 * static_cast<double>(x.rows()));
  }
  const bool logistic = zero_one(y) && (y.array() == 1).any() && (y.array() == 0).any();
  auto model = std::make_shared<BoostedModel>(
      BoostedModel::fit(x, y, logistic ? BoostObjective::kLogistic : BoostObjective::kSquaredError,
                        options)
          .or_throw());
  return [model](const Eigen::MatrixXd& z) { return model->predict(z).or_throw(); };
}

Eigen::MatrixXd rows_of(const Eigen::MatrixXd& x, const std::vector<Eigen::Index>& rows) {
  return x(rows, Eigen::all);
}
Eigen::VectorXd rows_of(const Eigen::VectorXd& v, const std::vector<Eigen::Index>& rows) {
  return v(rows);
}
// dst[rows[k]] = src[k].
void scatter(Eigen::VectorXd& dst, const std::vector<Eigen::Index>& rows,
             const Eigen::VectorXd& src) {
  for (std::size_t k = 0; k < rows.size(); ++k) dst[rows[k]] = src[static_cast<Eigen::Index>(k)];
}

// One fit of the learner, as a function predicting the effect for new rows (covariates,
// features).
using EffectModel = std::function<Eigen::VectorXd(const Eigen::MatrixXd&, const Eigen::MatrixXd&)>;

struct Learner {
  const MetaOptions& o;

  std::vector<Eigen::Index> arm(const Eigen::VectorXd& t, double value) const {
    std::vector<Eigen::Index> out;
    for (Eigen::Index i = 0; i < t.size(); ++i)
      if (t[i] == value) out.push_back(i);
    return out;
  }

  // mu0 and mu1 fitted on each arm of (x, y, t).
  std::pair<Predictor, Predictor> arms(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                       const Eigen::VectorXd& t, std::uint64_t seed) const {
    const auto c = arm(t, 0), tr = arm(t, 1);
    return {fit_base(o.base, rows_of(x, c), rows_of(y, c), Stage::kOutcome, seed),
            fit_base(o.base, rows_of(x, tr), rows_of(y, tr), Stage::kOutcome, seed + 1)};
  }

  struct FirstStage {
    Eigen::VectorXd mu0, mu1, e;
  };

  // Each row's outcome per arm and propensity from models fitted on the other folds.
  FirstStage first_stage(const MetaData& d, std::uint64_t seed) const {
    const Eigen::Index n = d.y.size();
    FirstStage f{Eigen::VectorXd(n), Eigen::VectorXd(n), Eigen::VectorXd(n)};
    for_each_fold(n, seed,
                  [&](const std::vector<Eigen::Index>& train, const std::vector<Eigen::Index>& test,
                      std::uint64_t s) {
                    const Eigen::MatrixXd x = rows_of(d.covariates, train);
                    const Eigen::VectorXd y = rows_of(d.y, train), t = rows_of(d.t, train);
                    const auto [m0, m1] = arms(x, y, t, s);
                    const Predictor p = fit_base(o.base, x, t, Stage::kPropensity, s + 2);
                    const Eigen::MatrixXd xt = rows_of(d.covariates, test);
                    scatter(f.mu0, test, m0(xt));
                    scatter(f.mu1, test, m1(xt));
                    scatter(f.e, test, p(xt).cwiseMax(0.01).cwiseMin(0.99));
                  });
    return f;
  }

  static FirstStage rows_of_stage(const FirstStage& f, const std::vector<Eigen::Index>& rows) {
    return {rows_of(f.mu0, rows), rows_of(f.mu1, rows), rows_of(f.e, rows)};
  }

  // One fit on `d` (with `first`, d's rows of the first stage, for x and dr).
  EffectModel fit(const MetaData& d, const FirstStage* first, std::uint64_t seed) const {
    if (o.method == "t") {
      const auto [mu0, mu1] = arms(d.covariates, d.y, d.t, seed);
      return [mu0, mu1](const Eigen::MatrixXd& x, const Eigen::MatrixXd&) -> Eigen::VectorXd {
        return mu1(x) - mu0(x);
      };
    }
    if (o.method == "s") {
      const bool linear = o.base == "linear";
      const auto design = [linear](const Eigen::MatrixXd& x, const Eigen::VectorXd& t) {
        Eigen::MatrixXd z(x.rows(), x.cols() * (linear ? 2 : 1) + 1);
        z.leftCols(x.cols()) = x;
        z.col(x.cols()) = t;
        if (linear) z.rightCols(x.cols()) = x.array().colwise() * t.array();
        return z;
      };
      const Predictor f = fit_base(o.base, design(d.covariates, d.t), d.y, Stage::kOutcome, seed);
      return [f, design](const Eigen::MatrixXd& x, const Eigen::MatrixXd&) -> Eigen::VectorXd {
        const Eigen::VectorXd one = Eigen::VectorXd::Ones(x.rows());
        return f(design(x, one)) - f(design(x, Eigen::VectorXd::Zero(x.rows())));
      };
    }
    // x and dr: the first stage (cross-fitted over all training rows once) gives d's rows'
    // outcome predictions per arm and propensities.
    const Eigen::VectorXd &mu0 = first->mu0, &mu1 = first->mu1, &e = first->e;
    if (o.method == "x") {
      const auto c = arm(d.t, 0), tr = arm(d.t, 1);
      const Eigen::VectorXd d1 = rows_of(d.y, tr) - rows_of(mu0, tr);
      const Eigen::VectorXd d0 = rows_of(mu1, c) - rows_of(d.y, c);
      const Predictor tau1 =
          fit_base(o.base, rows_of(d.features, tr), d1, Stage::kEffect, seed + 3);
      const Predictor tau0 = fit_base(o.base, rows_of(d.features, c), d0, Stage::kEffect, seed + 4);
      const Predictor prop = fit_base(o.base, d.covariates, d.t, Stage::kPropensity, seed + 5);
      return [tau0, tau1, prop](const Eigen::MatrixXd& x,
                                const Eigen::MatrixXd& f) -> Eigen::VectorXd {
        const Eigen::ArrayXd p = prop(x).cwiseMax(0.01).cwiseMin(0.99).array();
        return (p * tau0(f).array() + (1 - p) * tau1(f).array()).matrix();
      };
    }
    if (o.method == "dr") {
      const Eigen::ArrayXd t = d.t.array(), y = d.y.array();
      const Eigen::VectorXd pseudo =
          (mu1.array() - mu0.array() + t * (y - mu1.array()) / e.array() -
           (1 - t) * (y - mu0.array()) / (1 - e.array()))
              .matrix();
      const Predictor tau = fit_base(o.base, d.features, pseudo, Stage::kEffect, seed + 3);
      return [tau](const Eigen::MatrixXd&, const Eigen::MatrixXd& f) { return tau(f); };
    }
    throw Error(ErrorCode::kInternal, "unknown meta-learner '" + o.method + "'");
  }

  // Calls body(train rows, test rows, seed) for each of o.folds folds of n rows (a seeded
  // shuffle), the folds in parallel; an error in any fold is thrown after all have finished.
  template <class Body>
  void for_each_fold(Eigen::Index n, std::uint64_t seed, const Body& body) const {
    const std::vector<int> fold = assign_folds(static_cast<std::size_t>(n), o.folds, seed);
    std::vector<std::optional<Error>> errors(static_cast<std::size_t>(o.folds));
    const int threads = o.threads > 0 ? o.threads : omp_get_max_threads();
#pragma omp parallel for schedule(dynamic) num_threads(threads)
    for (int f = 0; f < o.folds; ++f) {
      std::vector<Eigen::Index> train, test;
      for (Eigen::Index i = 0; i < n; ++i)
        (fold[static_cast<std::size_t>(i)] == f ? test : train).push_back(i);
      try {
        body(train, test, seed + 101 * static_cast<std::uint64_t>(f + 1));
      } catch (const Error& e) {
        errors[static_cast<std::size_t>(f)] = e;
      } catch (const std::exception& e) {
        errors[static_cast<std::size_t>(f)] = Error(ErrorCode::kInternal, e.what());
      }
    }
    for (const auto& e : errors)
      if (e) throw *e;
  }
};

}  // namespace

MetaFit fit_meta_learner(const MetaData& d, const MetaData* held_out, const MetaOptions& o) {
  if (o.base != "linear" && o.base != "boosting")
    throw Error(ErrorCode::kBadInput, "--base must be linear or boosting, not '" + o.base + "'");
  if (o.method != "t" && o.method != "s" && o.method != "x" && o.method != "dr")
    throw Error(ErrorCode::kBadInput,
                "--method must be forest, t, s, x or dr, not '" + o.method + "'");
  const Learner learner{o};
  const bool staged = o.method == "x" || o.method == "dr";
  Learner::FirstStage first;
  if (staged) first = learner.first_stage(d, o.seed + 11);
  MetaFit out;
  out.tau.resize(d.y.size());
  // Each training row's effect from a fit on the other folds, the folds in parallel.
  learner.for_each_fold(
      d.y.size(), o.seed,
      [&](const std::vector<Eigen::Index>& train, const std::vector<Eigen::Index>& test,
          std::uint64_t seed) {
        const Eigen::MatrixXd x = rows_of(d.covariates, train), f = rows_of(d.features, train);
        const Eigen::VectorXd y = rows_of(d.y, train), t = rows_of(d.t, train);
        const Learner::FirstStage part =
            staged ? Learner::rows_of_stage(first, train) : Learner::FirstStage{};
        const EffectModel model = learner.fit({x, f, y, t}, staged ? &part : nullptr, seed);
        scatter(out.tau, test, model(rows_of(d.covariates, test), rows_of(d.features, test)));
      });
  if (held_out != nullptr)
    out.holdout = learner.fit(d, staged ? &first : nullptr, o.seed + 7)(held_out->covariates,
                                                                        held_out->features);
  return out;
}

}  // namespace causeway
