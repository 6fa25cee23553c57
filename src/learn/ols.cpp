#include "causeway/learn/ols.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "learn/far_centre.h"

namespace causeway {
namespace {

// A design with an intercept (a constant column) and a column far from 0 for its spread (a
// timestamp: 1.7e12 give or take 5,000) is nearly singular as given: the normal equations lose
// the column, or all digits (a regression on one came out as the naive difference). Such columns
// are fitted less a centre (far_centre), which the intercept absorbs: with X = Xc M,
// M = I + e_k c' / x_k (k the constant column, x_k its value), the coefficients are b = M^-1 g,
// only the intercept changing: b_k = g_k - c'g / x_k.
struct Centring {
  Eigen::Index constant = -1;  // the constant column; -1: no centring
  double level = 0;            // its value
  Eigen::VectorXd centre;      // per column, 0 where none
};

Centring centring(const Eigen::MatrixXd& design) {
  Centring c;
  const Eigen::Index n = design.rows(), p = design.cols();
  if (n == 0) return c;
  for (Eigen::Index j = 0; j < p && c.constant < 0; ++j)
    if (design(0, j) != 0 && (design.col(j).array() == design(0, j)).all()) c.constant = j;
  if (c.constant < 0) return c;
  c.level = design(0, c.constant);
  c.centre = Eigen::VectorXd::Zero(p);
  for (Eigen::Index j = 0; j < p; ++j)
    if (j != c.constant) c.centre[j] = far_centre(design.col(j));
  if (c.centre.isZero()) c.constant = -1;
  return c;
}

// M^-1, the map from the centred fit's coefficients to the design's.
Eigen::MatrixXd back(const Centring& c, Eigen::Index p) {
  Eigen::MatrixXd m = Eigen::MatrixXd::Identity(p, p);
  m.row(c.constant) -= c.centre.transpose() / c.level;
  return m;
}

}  // namespace

Eigen::VectorXd least_squares(const Eigen::MatrixXd& given, const Eigen::VectorXd& y) {
  const Centring c = centring(given);
  const Eigen::MatrixXd centred =
      c.constant < 0 ? Eigen::MatrixXd() : Eigen::MatrixXd(given.rowwise() - c.centre.transpose());
  const Eigen::MatrixXd& design = c.constant < 0 ? given : centred;
  const Eigen::MatrixXd xtx = design.transpose() * design;
  Eigen::LDLT<Eigen::MatrixXd> ldlt(xtx);
  const Eigen::VectorXd coef = ldlt.solve(design.transpose() * y);
  return c.constant < 0 ? coef : Eigen::VectorXd(back(c, design.cols()) * coef);
}

Result<OlsFit> fit_ols(const Eigen::MatrixXd& given, const Eigen::VectorXd& y) {
  return guarded([&]() -> OlsFit {
    const Eigen::Index n = given.rows(), p = given.cols();
    if (n <= p)
      throw Error(ErrorCode::kBadInput,
                  fmt::format("regression needs more rows ({}) than coefficients ({})", n, p));
    const Centring c = centring(given);
    const Eigen::MatrixXd centred = c.constant < 0
                                        ? Eigen::MatrixXd()
                                        : Eigen::MatrixXd(given.rowwise() - c.centre.transpose());
    const Eigen::MatrixXd& design = c.constant < 0 ? given : centred;
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
    Eigen::MatrixXd classical = sigma2 * inverse;
    const Eigen::MatrixXd scaled = design.array().colwise() * fit.residuals.array();
    const Eigen::MatrixXd meat = scaled.transpose() * scaled;
    Eigen::MatrixXd sandwich =
        inverse * meat * inverse * (static_cast<double>(n) / static_cast<double>(n - p));
    if (c.constant >= 0) {  // back to the design's coefficients (the residuals are the same)
      const Eigen::MatrixXd m = back(c, p);
      fit.coef = m * fit.coef;
      classical = m * classical * m.transpose();
      sandwich = m * sandwich * m.transpose();
    }
    fit.se_classical = classical.diagonal().cwiseSqrt();
    fit.se_hc1 = sandwich.diagonal().cwiseSqrt();
    return fit;
  });
}

}  // namespace causeway
