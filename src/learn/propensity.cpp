#include "causeway/learn/propensity.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "causeway/learn/logistic.h"
#include "core/text.h"
#include "learn/separation.h"

namespace causeway {

std::size_t PropensityModel::count_equal(double value) const {
  return static_cast<std::size_t>((score.array() == value).count());
}

namespace {

Eigen::MatrixXd take(const Eigen::MatrixXd& x, const std::vector<std::uint32_t>& rows,
                     const std::vector<std::size_t>& cols) {
  Eigen::MatrixXd out(static_cast<Eigen::Index>(rows.size()),
                      static_cast<Eigen::Index>(cols.size()));
  for (std::size_t i = 0; i < rows.size(); ++i)
    for (std::size_t j = 0; j < cols.size(); ++j)
      out(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) =
          x(static_cast<Eigen::Index>(rows[i]), static_cast<Eigen::Index>(cols[j]));
  return out;
}

[[noreturn]] void report_unexplained_separation(const AnalysisData& data, const Eigen::MatrixXd& x,
                                                const LogisticFit& fit,
                                                const std::vector<std::size_t>& cols) {
  std::size_t culprit = 0;
  double largest = -1;
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    const double sd = std::sqrt((x.col(j).array() - x.col(j).mean()).square().mean());
    const double size = std::abs(fit.coef[j + 1]) * sd;
    if (size > largest) largest = size, culprit = cols[static_cast<std::size_t>(j)];
  }
  const Eigen::VectorXd p = fit.predict(x);
  const auto extreme = (p.array() < 1e-8 || p.array() > 1 - 1e-8).count();
  throw Error(ErrorCode::kBadInput,
              fmt::format("{}the propensity model for '{}' does not converge: the covariates "
                          "separate treated from control units ({} {} a score of 0 or 1 "
                          "after {} Newton steps); the covariate with the largest standardised "
                          "coefficient is '{}'. Remove it, or pass --propensity-l2 1 for a "
                          "penalised fit",
                          data.source.empty() ? "" : data.source + ": ", data.treatment,
                          counted(static_cast<std::size_t>(extreme), "unit"),
                          extreme == 1 ? "gets" : "get", fit.iterations, data.x_names[culprit]));
}

PropensityModel fit(const AnalysisData& data, const PropensityOptions& options) {
  PropensityModel model;
  model.l2 = options.l2;
  const std::size_t n = data.rows();
  SeparationScan scan = scan_separation(data, /*fix=*/options.l2 == 0.0);
  // Every row fitted: the fit's predictions are the scores, and no other array is needed.
  if (scan.active_rows.size() != n || scan.active_cols.size() != data.x_names.size())
    model.score = Eigen::VectorXd::Constant(static_cast<Eigen::Index>(n), NAN);
  model.separation = scan.findings;
  for (const auto& f : scan.findings) {
    for (std::size_t r : f.rows) {
      const auto i = static_cast<Eigen::Index>(r);
      if (options.l2 == 0.0) model.score[i] = std::isnan(f.fixed_score) ? data.t[i] : f.fixed_score;
    }
    model.warnings.push_back(options.l2 == 0.0 ? f.message
                                               : f.message +
                                                     " (the L2-penalised fit keeps these "
                                                     "scores inside (0, 1))");
  }
  std::vector<std::uint32_t> rows = std::move(scan.active_rows);
  model.fit_cols = std::move(scan.active_cols);
  model.names = {"(intercept)"};
  for (std::size_t j : model.fit_cols) model.names.push_back(data.x_names[j]);
  if (rows.empty()) return model;

  model.fit_all_rows = rows.size() == n;
  const bool everything =
      model.fit_all_rows && model.fit_cols.size() == static_cast<std::size_t>(data.x.cols());
  const Eigen::MatrixXd x_subset =
      everything ? Eigen::MatrixXd() : take(data.x, rows, model.fit_cols);
  const Eigen::MatrixXd& x = everything ? data.x : x_subset;
  Eigen::VectorXd t(static_cast<Eigen::Index>(everything ? 0 : rows.size()));
  for (std::size_t i = 0; i < static_cast<std::size_t>(t.size()); ++i)
    t[static_cast<Eigen::Index>(i)] = data.t[static_cast<Eigen::Index>(rows[i])];
  // A covariate far from 0 for its spread (a timestamp) is fitted less a centre: see LogisticFit.
  const LogisticFit lf =
      fit_logistic(x, everything ? data.t : t, {options.l2, 100, 1e-10, options.threads});
  if (lf.separated && options.l2 == 0.0) report_unexplained_separation(data, x, lf, model.fit_cols);
  if (!lf.converged)
    model.warnings.push_back(
        fmt::format("the propensity fit stopped after {} steps without "
                    "converging",
                    lf.iterations));
  if (lf.max_abs_linear_predictor > 13.8)
    model.warnings.push_back(fmt::format(
        "some propensity scores are below 1e-6 or above 1 - 1e-6 (largest |logit| {:.1f}): "
        "those units have almost no counterpart in the other arm, and weights or matches "
        "involving them are extreme; consider --trim",
        lf.max_abs_linear_predictor));
  model.coef = lf.coef;
  model.hessian = lf.hessian;
  model.centre = lf.centre;
  model.centred_intercept = lf.centred_intercept;
  model.iterations = lf.iterations;
  if (everything) {
    model.score = lf.predict(x, options.threads, &model.clearance);
    return model;
  }
  const Eigen::VectorXd scores = lf.predict(x, options.threads);
  for (std::size_t i = 0; i < rows.size(); ++i)
    model.score[static_cast<Eigen::Index>(rows[i])] = scores[static_cast<Eigen::Index>(i)];
  if (!model.fit_all_rows) model.fit_rows = std::move(rows);
  return model;
}

}  // namespace

Eigen::VectorXd predict_propensity(const PropensityModel& model, const Eigen::MatrixXd& x) {
  Eigen::VectorXd out(x.rows());
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    double score = NAN;
    for (const auto& f : model.separation) {
      if (model.l2 != 0.0) break;
      const double v = x(i, static_cast<Eigen::Index>(f.column));
      if (!f.all_zero_columns.empty()) {
        const bool reference =
            std::all_of(f.all_zero_columns.begin(), f.all_zero_columns.end(),
                        [&](std::size_t c) { return x(i, static_cast<Eigen::Index>(c)) == 0.0; });
        if (reference) score = f.fixed_score;
      } else if (std::isnan(f.fixed_score))
        score = (v > f.value) == f.treated_high ? 1.0 : 0.0;
      else if (v == f.value)
        score = f.fixed_score;
      if (!std::isnan(score)) break;
    }
    if (std::isnan(score) && model.coef.size() > 0) {
      const bool centred = model.centre.size() > 0;
      double eta = centred ? model.centred_intercept : model.coef[0];
      for (std::size_t j = 0; j < model.fit_cols.size(); ++j) {
        const auto k = static_cast<Eigen::Index>(j);
        eta += model.coef[k + 1] * (x(i, static_cast<Eigen::Index>(model.fit_cols[j])) -
                                    (centred ? model.centre[k] : 0.0));
      }
      score = logistic(eta);
    }
    if (std::isnan(score))
      throw Error(ErrorCode::kNotIdentifiable,
                  "the propensity model was fitted on units that are all separated and cannot "
                  "score a new unit; remove the separating covariate");
    out[i] = score;
  }
  return out;
}

Result<PropensityModel> fit_propensity(const AnalysisData& data, const PropensityOptions& options) {
  return guarded([&] {
    if (options.l2 < 0 || !std::isfinite(options.l2))
      throw Error(ErrorCode::kBadInput, "--propensity-l2 must be a finite number >= 0");
    return fit(data, options);
  });
}

}  // namespace causeway
