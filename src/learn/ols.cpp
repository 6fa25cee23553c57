#include "causeway/learn/ols.h"

#include <fmt/format.h>

namespace causeway {

Eigen::VectorXd least_squares(const Eigen::MatrixXd& design, const Eigen::VectorXd& y) {
  const Eigen::MatrixXd xtx = design.transpose() * design;
  Eigen::LDLT<Eigen::MatrixXd> ldlt(xtx);
  return ldlt.solve(design.transpose() * y);
}

Result<OlsFit> fit_ols(const Eigen::MatrixXd& design, const Eigen::VectorXd& y) {
  return guarded([&]() -> OlsFit {
    const Eigen::Index n = design.rows(), p = design.cols();
    if (n <= p)
      throw Error(ErrorCode::kBadInput,
                  fmt::format("regression needs more rows ({}) than coefficients ({})", n, p));
    const Eigen::MatrixXd xtx = design.transpose() * design;
    Eigen::LLT<Eigen::MatrixXd> llt(xtx);
    if (llt.info() != Eigen::Success)
      throw Error(ErrorCode::kNumericalFailure,
                  "the regression design is singular; a covariate is constant or a linear "
                  "combination of others");
    const Eigen::MatrixXd inverse = llt.solve(Eigen::MatrixXd::Identity(p, p));
    OlsFit fit;
    fit.coef = llt.solve(design.transpose() * y);
    fit.residuals = y - design * fit.coef;
    const double sigma2 = fit.residuals.squaredNorm() / static_cast<double>(n - p);
    fit.se_classical = (sigma2 * inverse.diagonal()).cwiseSqrt();
    const Eigen::MatrixXd scaled = design.array().colwise() * fit.residuals.array();
    const Eigen::MatrixXd meat = scaled.transpose() * scaled;
    const Eigen::MatrixXd sandwich = inverse * meat * inverse;
    fit.se_hc1 =
        (sandwich.diagonal() * (static_cast<double>(n) / static_cast<double>(n - p))).cwiseSqrt();
    return fit;
  });
}

}  // namespace causeway
