#include "causeway/learn/logistic.h"

#include <cmath>

namespace causeway {
namespace {

Eigen::VectorXd linear_predictor(const Eigen::VectorXd& coef, const Eigen::MatrixXd& x) {
  Eigen::VectorXd eta = x * coef.tail(coef.size() - 1);
  eta.array() += coef[0];
  return eta;
}

double log_likelihood(const Eigen::VectorXd& eta, const Eigen::VectorXd& y) {
  double ll = 0;
  for (Eigen::Index i = 0; i < eta.size(); ++i) {
    // log(1 + exp(eta)) computed without overflow.
    const double softplus =
        eta[i] > 0 ? eta[i] + std::log1p(std::exp(-eta[i])) : std::log1p(std::exp(eta[i]));
    ll += y[i] * eta[i] - softplus;
  }
  return ll;
}

double penalised_objective(const Eigen::VectorXd& coef, const Eigen::MatrixXd& x,
                           const Eigen::VectorXd& y, double l2) {
  return log_likelihood(linear_predictor(coef, x), y) -
         0.5 * l2 * coef.tail(coef.size() - 1).squaredNorm();
}

// Gradient and Hessian of the penalised log-likelihood, intercept first.
void newton_terms(const Eigen::VectorXd& coef, const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                  double l2, Eigen::VectorXd& gradient, Eigen::MatrixXd& hessian) {
  const Eigen::Index p = x.cols();
  const Eigen::VectorXd eta = linear_predictor(coef, x);
  Eigen::VectorXd mu(eta.size()), w(eta.size());
  for (Eigen::Index i = 0; i < eta.size(); ++i) {
    mu[i] = logistic(eta[i]);
    w[i] = mu[i] * (1.0 - mu[i]);
  }
  const Eigen::VectorXd r = y - mu;
  gradient.resize(p + 1);
  gradient[0] = r.sum();
  gradient.tail(p) = x.transpose() * r - l2 * coef.tail(p);
  hessian.resize(p + 1, p + 1);
  hessian(0, 0) = w.sum();
  const Eigen::MatrixXd wx = x.array().colwise() * w.array();
  hessian.block(1, 0, p, 1) = wx.colwise().sum().transpose();
  hessian.block(0, 1, 1, p) = hessian.block(1, 0, p, 1).transpose();
  hessian.block(1, 1, p, p) = x.transpose() * wx;
  hessian.block(1, 1, p, p).diagonal().array() += l2;
}

bool probabilities_degenerate(const Eigen::VectorXd& coef, const Eigen::MatrixXd& x) {
  const Eigen::VectorXd eta = linear_predictor(coef, x);
  return (eta.array().abs() > 30.0).any();
}

}  // namespace

double logistic(double eta) {
  if (eta >= 0) return 1.0 / (1.0 + std::exp(-eta));
  const double e = std::exp(eta);
  return e / (1.0 + e);
}

Eigen::VectorXd LogisticFit::predict(const Eigen::MatrixXd& x) const {
  Eigen::VectorXd eta = linear_predictor(coef, x);
  for (Eigen::Index i = 0; i < eta.size(); ++i) eta[i] = logistic(eta[i]);
  return eta;
}

LogisticFit fit_logistic(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                         const LogisticOptions& options) {
  LogisticFit fit;
  fit.coef = Eigen::VectorXd::Zero(x.cols() + 1);
  const double share = y.mean();
  if (share > 0 && share < 1) fit.coef[0] = std::log(share / (1 - share));
  Eigen::VectorXd gradient;
  double objective = penalised_objective(fit.coef, x, y, options.l2);
  for (fit.iterations = 1; fit.iterations <= options.max_iterations; ++fit.iterations) {
    newton_terms(fit.coef, x, y, options.l2, gradient, fit.hessian);
    const Eigen::VectorXd step = fit.hessian.ldlt().solve(gradient);
    if (!step.allFinite()) break;
    // Step halving keeps every iteration an ascent step.
    double scale = 1.0;
    Eigen::VectorXd next = fit.coef + step;
    double next_objective = penalised_objective(next, x, y, options.l2);
    while (next_objective < objective - 1e-12 * std::abs(objective) && scale > 1e-6) {
      scale *= 0.5;
      next = fit.coef + scale * step;
      next_objective = penalised_objective(next, x, y, options.l2);
    }
    fit.coef = next;
    objective = next_objective;
    const double size = (scale * step).cwiseAbs().maxCoeff();
    if (size < options.tolerance * (1.0 + fit.coef.cwiseAbs().maxCoeff())) {
      fit.converged = true;
      break;
    }
  }
  newton_terms(fit.coef, x, y, options.l2, gradient, fit.hessian);
  fit.separated = !fit.converged || probabilities_degenerate(fit.coef, x);
  if (fit.iterations > options.max_iterations) fit.iterations = options.max_iterations;
  return fit;
}

}  // namespace causeway
