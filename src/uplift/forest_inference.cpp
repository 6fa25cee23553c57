#include "uplift/forest_inference.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "causeway/learn/ols.h"
#include "core/spread.h"

namespace causeway {
namespace {

// One-sided p-value of a coefficient above 0.
double upper_p(double estimate, double se) {
  return se > 0 ? 0.5 * std::erfc(estimate / se / std::sqrt(2.0)) : 1.0;
}

}  // namespace

Eigen::VectorXd dr_scores(const ForestFit& f) {
  const Eigen::ArrayXd wc = f.t.array() - f.e_hat.array();
  return (f.tau.array() + wc / (f.e_hat.array() * (1 - f.e_hat.array())) *
                              (f.y.array() - f.m_hat.array() - wc * f.tau.array()))
      .matrix();
}

std::vector<AverageEffect> average_effects(const ForestFit& f) {
  const Eigen::Index n = f.y.size();
  const Eigen::ArrayXd t = f.t.array(), e = f.e_hat.array(), y = f.y.array();
  const Eigen::ArrayXd mu0 = f.m_hat.array() - e * f.tau.array();
  const Eigen::ArrayXd mu1 = f.m_hat.array() + (1 - e) * f.tau.array();
  std::vector<AverageEffect> out;
  const Eigen::VectorXd scores = dr_scores(f);
  const auto [ate, ate_se] = mean_and_se({scores.data(), static_cast<std::size_t>(scores.size())});
  out.push_back({"ate", ate, ate_se, static_cast<std::size_t>(n)});
  // On the treated: sum over treated of (y - mu0), less the controls' residuals weighted by the
  // odds e/(1 - e), over the treated count; influence function (term - t * att) / share.
  const Eigen::ArrayXd att_term = t * (y - mu0) - (1 - t) * e / (1 - e) * (y - mu0);
  const Eigen::ArrayXd atc_term = (1 - t) * (mu1 - y) + t * (1 - e) / e * (y - mu1);
  const double treated = t.sum(), control = static_cast<double>(n) - treated;
  const auto add = [&](const char* name, const Eigen::ArrayXd& term, const Eigen::ArrayXd& arm,
                       double count) {
    const double estimate = term.sum() / count;
    const double share = count / static_cast<double>(n);
    const Eigen::VectorXd psi = ((term - arm * estimate) / share).matrix();
    out.push_back({name, estimate,
                   mean_and_se({psi.data(), static_cast<std::size_t>(psi.size())}).second,
                   static_cast<std::size_t>(count)});
  };
  add("att", att_term, t, treated);
  add("atc", atc_term, 1 - t, control);
  return out;
}

std::vector<ProjectionTerm> best_linear_projection(const Eigen::VectorXd& scores,
                                                   const Eigen::MatrixXd& x,
                                                   const std::vector<std::string>& names,
                                                   std::vector<std::string>& warnings) {
  // A 0/1 column that few customers differ on would get a coefficient resting on those few,
  // with a sandwich error that cannot see how few they are: it is left out, and said so.
  constexpr double kMinRare = 20;
  std::vector<Eigen::Index> kept;
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    const auto col = x.col(j).array();
    const double ones = (col == 1).count();
    if ((col == 0 || col == 1).all() && std::min(ones, x.rows() - ones) < kMinRare) {
      warnings.push_back(fmt::format(
          "{}: only {} customers differ from the rest; left out of the linear projection",
          names[static_cast<std::size_t>(j)], std::min(ones, x.rows() - ones)));
      continue;
    }
    kept.push_back(j);
  }
  Eigen::MatrixXd design(x.rows(), static_cast<Eigen::Index>(kept.size()) + 1);
  design.col(0).setOnes();
  for (std::size_t k = 0; k < kept.size(); ++k)
    design.col(static_cast<Eigen::Index>(k) + 1) = x.col(kept[k]);
  const OlsFit fit = fit_ols(design, scores).or_throw();
  std::vector<ProjectionTerm> out{{"(intercept)", fit.coef[0], fit.se_hc1[0]}};
  for (std::size_t k = 0; k < kept.size(); ++k) {
    const auto c = static_cast<Eigen::Index>(k) + 1;
    out.push_back({names[static_cast<std::size_t>(kept[k])], fit.coef[c], fit.se_hc1[c]});
  }
  return out;
}

Calibration calibration_test(const ForestFit& f) {
  const Eigen::VectorXd wc = f.t - f.e_hat;
  const double tau_bar = f.tau.mean();
  Eigen::MatrixXd design(f.y.size(), 2);
  design.col(0) = wc * tau_bar;
  design.col(1) = wc.array() * (f.tau.array() - tau_bar);
  const OlsFit fit = fit_ols(design, f.y - f.m_hat).value();
  Calibration c;
  c.mean = fit.coef[0], c.mean_se = fit.se_hc1[0], c.mean_p = upper_p(c.mean, c.mean_se);
  c.differential = fit.coef[1], c.differential_se = fit.se_hc1[1];
  c.differential_p = upper_p(c.differential, c.differential_se);
  return c;
}

}  // namespace causeway
