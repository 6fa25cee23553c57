// Instrumental variables by two-stage least squares, with the common causes (if any) as
// exogenous controls; with one 0/1 instrument and no controls this is the Wald ratio
// (E[Y | Z=1] - E[Y | Z=0]) / (E[T | Z=1] - E[T | Z=0]). Standard errors: heteroskedasticity-
// robust (HC1) sandwich around the second stage, using the structural residuals. The first
// stage's F statistic for the instruments is reported, with a warning below 10.
#include <fmt/format.h>

#include <cmath>

#include "causeway/learn/ols.h"
#include "estimate/method.h"

namespace causeway {
namespace {

constexpr double kWeakInstrumentF = 10.0;

Eigen::MatrixXd with_intercept(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
  Eigen::MatrixXd out(a.rows(), 1 + a.cols() + b.cols());
  out.col(0).setOnes();
  out.middleCols(1, a.cols()) = a;
  out.rightCols(b.cols()) = b;
  return out;
}

double rss(const Eigen::MatrixXd& design, const Eigen::VectorXd& y, Eigen::VectorXd* fitted) {
  const Eigen::VectorXd coef = least_squares(design, y);
  const Eigen::VectorXd f = design * coef;
  if (fitted) *fitted = f;
  return (y - f).squaredNorm();
}

}  // namespace

Estimate estimate_iv(const MethodInput& in) {
  const AnalysisData& d = in.data;
  if (d.z.cols() == 0)
    throw Error(ErrorCode::kBadInput,
                "iv needs an instrument: pass --instruments, or --graph with a valid instrument");
  const Eigen::Index n = d.t.size(), q = d.z.cols(), w = d.x.cols();
  // First stage: the treatment on controls and instruments, against controls alone.
  const Eigen::MatrixXd full = with_intercept(d.x, d.z);
  const Eigen::MatrixXd controls = with_intercept(d.x, Eigen::MatrixXd(n, 0));
  Eigen::VectorXd t_hat;
  const double rss_full = rss(full, d.t, &t_hat);
  const double rss_controls = rss(controls, d.t, nullptr);
  const double df = static_cast<double>(n - full.cols());
  const double f_stat = rss_full > 0
                            ? ((rss_controls - rss_full) / static_cast<double>(q)) / (rss_full / df)
                            : INFINITY;
  if (!(rss_controls - rss_full > 1e-12 * rss_controls))
    throw Error(
        ErrorCode::kNotIdentifiable,
        fmt::format("iv: the instruments ({}) do not move the treatment at all (first-stage "
                    "F = 0); they cannot identify its effect",
                    fmt::join(d.z_names, ", ")));
  // Second stage: the outcome on controls and the fitted treatment; residuals use the real one.
  Eigen::MatrixXd x_hat(n, w + 2), x_real(n, w + 2);
  x_hat.col(0).setOnes();
  x_hat.col(1) = t_hat;
  x_hat.rightCols(w) = d.x;
  x_real = x_hat;
  x_real.col(1) = d.t;
  const Eigen::VectorXd beta = least_squares(x_hat, d.y);
  const Eigen::VectorXd u = d.y - x_real * beta;
  const Eigen::MatrixXd bread = (x_hat.transpose() * x_hat).inverse();
  const Eigen::MatrixXd meat = x_hat.transpose() * u.array().square().matrix().asDiagonal() * x_hat;
  const double correction = static_cast<double>(n) / static_cast<double>(n - x_hat.cols());
  const Eigen::MatrixXd cov = correction * bread * meat * bread;
  Estimate e;
  const bool wald = q == 1 && w == 0 && (d.z.col(0).array() == 0 || d.z.col(0).array() == 1).all();
  e.target = Target::kAte;
  e.estimand =
      "the effect among units whose treatment the instrument moves (LATE, under monotonicity), "
      "or the ATE under a constant effect";
  e.estimate = beta[1];
  e.se = std::sqrt(cov(1, 1));
  e.se_method = wald ? "Wald ratio (2SLS with one 0/1 instrument), HC1 sandwich"
                     : "two-stage least squares, HC1 sandwich";
  e.n_treated = d.n_treated;
  e.n_control = d.n_control;
  e.answers = "the effect identified by the instrument's random push on the treatment";
  e.misses = "instruments that affect the outcome directly; units the instrument does not move";
  e.details["first_stage_f"] = f_stat;
  e.details["instruments"] = d.z_names;
  e.notes.push_back(
      fmt::format("instruments: {}; first-stage F = {:.1f}", fmt::join(d.z_names, ", "), f_stat));
  if (f_stat < kWeakInstrumentF)
    e.warnings.push_back(fmt::format(
        "weak instrument: first-stage F = {:.1f} < 10; the estimate is biased towards the naive "
        "one and the interval is too narrow",
        f_stat));
  if (in.options.target != Target::kAte)
    e.notes.push_back(
        fmt::format("iv reports one effect, not the requested {}", target_name(in.options.target)));
  set_normal_interval(e);
  return e;
}

}  // namespace causeway
