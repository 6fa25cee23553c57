#include "causeway/learn/logistic.h"

#include <emmintrin.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "learn/exp_kernel.h"
#include "learn/far_centre.h"

namespace causeway {
namespace {

constexpr Eigen::Index kBlock = 8192;
constexpr Eigen::Index kWarmStartRows = 200000;
// The most a step may move any row's linear predictor (see the trust region in newton()).
constexpr double kMaxChange = 20.0;
// Below this many rows a parallel region costs more than it saves (and, on a loaded machine,
// waiting for a descheduled thread can cost far more).
constexpr Eigen::Index kParallelRows = 500000;

int thread_count(int threads) {
  return threads > 0 ? threads : omp_get_max_threads();
}

// Log-likelihood, gradient and Hessian (negative second derivative) at one coefficient vector,
// intercept first, penalty included.
struct Terms {
  double objective = 0;
  Eigen::VectorXd gradient;
  Eigen::MatrixXd hessian;
  double max_abs_eta = 0;
};

// The fitted probability at linear predictor eta, given z = exp(-|eta|) (never overflows).
double fitted(double eta, double z) {
  return (eta >= 0 ? 1.0 : z) / (1.0 + z);
}

// The gradient and Hessian sums of a block with P covariates, in one pass over its rows: per row
// the residual and weight, then every product of them with the covariates. Rows go to four lanes
// in turn, each lane with its own sums, added at the end as (0 + 2) + (1 + 3): a running sum
// waits for the addition before it, and four sums side by side, two to a vector register (SSE2,
// which every x86-64 has), do not wait on each other.
template <int P>
void few_column_sums(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const Eigen::ArrayXd& eta,
                     const Eigen::ArrayXd& z, Eigen::Index start, Terms& t) {
  // sums[s][v]: sum s (g0, h00, then per column g, h0 and the h below the diagonal) of lanes
  // 2v and 2v + 1
  constexpr int kSums = 2 + 2 * P + P * (P + 1) / 2;
  __m128d sums[kSums][2];
  for (auto& s : sums) s[0] = s[1] = _mm_setzero_pd();
  const double* col[P + 1];
  for (int j = 0; j < P; ++j) col[j] = x.col(j).data() + start;
  const double* const yb = y.data() + start;
  const Eigen::Index n = eta.size();
  const __m128d one = _mm_set1_pd(1.0), zero = _mm_setzero_pd();
  const auto add = [&](Eigen::Index i, int v) {
    const __m128d e = _mm_loadu_pd(&eta[i]), zz = _mm_loadu_pd(&z[i]);
    // fitted(): (eta >= 0 ? 1 : z) / (1 + z)
    const __m128d up = _mm_cmpge_pd(e, zero);
    const __m128d top = _mm_or_pd(_mm_and_pd(up, one), _mm_andnot_pd(up, zz));
    const __m128d mu = _mm_div_pd(top, _mm_add_pd(one, zz));
    const __m128d r = _mm_sub_pd(_mm_loadu_pd(yb + i), mu);
    const __m128d w = _mm_mul_pd(mu, _mm_sub_pd(one, mu));
    int s = 0;
    sums[s][v] = _mm_add_pd(sums[s][v], r), ++s;
    sums[s][v] = _mm_add_pd(sums[s][v], w), ++s;
    __m128d xs[P + 1];
    for (int j = 0; j < P; ++j) xs[j] = _mm_loadu_pd(col[j] + i);
    for (int j = 0; j < P; ++j) {
      const __m128d xw = _mm_mul_pd(xs[j], w);
      sums[s][v] = _mm_add_pd(sums[s][v], _mm_mul_pd(xs[j], r)), ++s;
      sums[s][v] = _mm_add_pd(sums[s][v], xw), ++s;
      for (int k = 0; k <= j; ++k) sums[s][v] = _mm_add_pd(sums[s][v], _mm_mul_pd(xw, xs[k])), ++s;
    }
  };
  Eigen::Index i = 0;
  for (; i + 4 <= n; i += 4) add(i, 0), add(i + 2, 1);
  // The last rows, one at a time, in lane 0 (row i of a block of 8192 is never one of them
  // unless the block is short).
  double rest[kSums] = {};
  for (; i < n; ++i) {
    const double mu = fitted(eta[i], z[i]);
    const double r = yb[i] - mu, w = mu * (1.0 - mu);
    int s = 0;
    rest[s++] += r;
    rest[s++] += w;
    for (int j = 0; j < P; ++j) {
      const double xw = col[j][i] * w;
      rest[s++] += col[j][i] * r;
      rest[s++] += xw;
      for (int k = 0; k <= j; ++k) rest[s++] += xw * col[k][i];
    }
  }
  double total[kSums];
  for (int s = 0; s < kSums; ++s) {
    double lane[4];
    _mm_storeu_pd(lane, sums[s][0]);
    _mm_storeu_pd(lane + 2, sums[s][1]);
    total[s] = ((lane[0] + lane[2]) + (lane[1] + lane[3])) + rest[s];
  }
  int s = 0;
  t.gradient[0] = total[s++];
  t.hessian(0, 0) = total[s++];
  for (int j = 0; j < P; ++j) {
    t.gradient[j + 1] = total[s++];
    t.hessian(j + 1, 0) = t.hessian(0, j + 1) = total[s++];
    for (int k = 0; k <= j; ++k) t.hessian(j + 1, k + 1) = t.hessian(k + 1, j + 1) = total[s++];
  }
}

Terms block_terms(const Eigen::VectorXd& coef, const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                  Eigen::Index start, Eigen::Index len, bool objective) {
  const Eigen::Index p = x.cols();
  const auto xb = x.middleRows(start, len);
  Eigen::ArrayXd eta = Eigen::ArrayXd::Constant(len, coef[0]);
  for (Eigen::Index j = 0; j < p; ++j) eta += coef[j + 1] * xb.col(j).array();
  Eigen::ArrayXd z(len);  // exp(-|eta|), in (0, 1]: never overflows
  exp_minus_abs(eta.data(), z.data(), static_cast<std::size_t>(len));
  Terms t;
  t.max_abs_eta = eta.abs().maxCoeff();
  if (objective)
    t.objective = (y.segment(start, len).array() * eta - eta.max(0.0) - z.log1p()).sum();
  t.gradient.resize(p + 1);
  t.hessian.resize(p + 1, p + 1);
  switch (p) {  // a handful of covariates: one fused pass, no temporaries
    case 0:
      return few_column_sums<0>(x, y, eta, z, start, t), t;
    case 1:
      return few_column_sums<1>(x, y, eta, z, start, t), t;
    case 2:
      return few_column_sums<2>(x, y, eta, z, start, t), t;
    case 3:
      return few_column_sums<3>(x, y, eta, z, start, t), t;
    case 4:
      return few_column_sums<4>(x, y, eta, z, start, t), t;
    default:
      break;
  }
  Eigen::VectorXd r(len), w(len);
  for (Eigen::Index i = 0; i < len; ++i) {
    const double mu = fitted(eta[i], z[i]);
    r[i] = y[start + i] - mu;
    w[i] = mu * (1.0 - mu);
  }
  t.gradient[0] = r.sum();
  t.gradient.tail(p).noalias() = xb.transpose() * r;
  t.hessian(0, 0) = w.sum();
  // X'WX as (sqrt(w) X)'(sqrt(w) X): a symmetric rank update does half a general product's work.
  const Eigen::VectorXd root = w.array().sqrt();
  const Eigen::MatrixXd sx = xb.array().colwise() * root.array();
  t.hessian.block(1, 0, p, 1).noalias() = sx.transpose() * root;
  Eigen::MatrixXd xx = Eigen::MatrixXd::Zero(p, p);
  xx.selfadjointView<Eigen::Lower>().rankUpdate(sx.transpose());
  t.hessian.block(1, 1, p, p) = xx.selfadjointView<Eigen::Lower>();
  t.hessian.block(0, 1, 1, p) = t.hessian.block(1, 0, p, 1).transpose();
  return t;
}

// The objective (one log1p per row) is computed only when `objective` is set. `threads`: how many
// share the blocks (1: no parallel region).
Terms evaluate(const Eigen::VectorXd& coef, const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
               double l2, int threads, bool objective = true) {
  const Eigen::Index n = x.rows(), blocks = (n + kBlock - 1) / kBlock;
  std::vector<Terms> parts(static_cast<std::size_t>(blocks));
#pragma omp parallel for schedule(dynamic) num_threads(threads) if (threads > 1)
  for (Eigen::Index b = 0; b < blocks; ++b)
    parts[static_cast<std::size_t>(b)] =
        block_terms(coef, x, y, b * kBlock, std::min(kBlock, n - b * kBlock), objective);
  Terms total;
  const Eigen::Index p = x.cols();
  total.gradient = Eigen::VectorXd::Zero(p + 1);
  total.hessian = Eigen::MatrixXd::Zero(p + 1, p + 1);
  for (const Terms& t : parts) {  // in block order: independent of the thread count
    total.objective += t.objective;
    total.gradient += t.gradient;
    total.hessian += t.hessian;
    total.max_abs_eta = std::max(total.max_abs_eta, t.max_abs_eta);
  }
  total.objective -= 0.5 * l2 * coef.tail(p).squaredNorm();
  total.gradient.tail(p) -= l2 * coef.tail(p);
  total.hessian.block(1, 1, p, p).diagonal().array() += l2;
  return total;
}

// The largest |step_0 + x_i . step_1..| over the rows i: how far the step moves a row's linear
// predictor.
double largest_change(const Eigen::MatrixXd& x, const Eigen::VectorXd& step, int threads) {
  const Eigen::Index n = x.rows(), blocks = (n + kBlock - 1) / kBlock;
  std::vector<double> part(static_cast<std::size_t>(blocks), 0.0);
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1)
  for (Eigen::Index b = 0; b < blocks; ++b) {
    const Eigen::Index start = b * kBlock, len = std::min(kBlock, n - start);
    Eigen::ArrayXd change = Eigen::ArrayXd::Constant(len, step[0]);
    for (Eigen::Index j = 0; j < x.cols(); ++j)
      change += step[j + 1] * x.col(j).segment(start, len).array();
    part[static_cast<std::size_t>(b)] = change.abs().maxCoeff();
  }
  return *std::max_element(part.begin(), part.end());
}

Eigen::VectorXd share_start(const Eigen::VectorXd& y, Eigen::Index columns) {
  Eigen::VectorXd coef = Eigen::VectorXd::Zero(columns + 1);
  const double share = y.mean();
  if (share > 0 && share < 1) coef[0] = std::log(share / (1 - share));
  return coef;
}

LogisticFit newton(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                   const LogisticOptions& options, Eigen::VectorXd start, int threads);

Eigen::VectorXd starting_point(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                               const LogisticOptions& options) {
  // An every-stride-th subsample of 25,000 rows, fitted to well within its sampling error: from
  // there three Newton steps on all rows reach the tolerance.
  if (x.rows() > kWarmStartRows) {
    const Eigen::Index stride = x.rows() / (kWarmStartRows / 8);
    const Eigen::Index m = (x.rows() + stride - 1) / stride;
    Eigen::MatrixXd xs(m, x.cols());
    Eigen::VectorXd ys(m);
    for (Eigen::Index i = 0; i < m; ++i) xs.row(i) = x.row(i * stride), ys[i] = y[i * stride];
    LogisticOptions sub = options;
    sub.tolerance = 1e-4;
    // On all threads although small: it runs once per large fit, while the others would wait.
    const LogisticFit fit =
        newton(xs, ys, sub, share_start(ys, x.cols()), thread_count(options.threads));
    if (fit.converged && !fit.separated) return fit.coef;
  }
  return share_start(y, x.cols());
}

}  // namespace

double logistic(double eta) {
  if (eta >= 0) return 1.0 / (1.0 + std::exp(-eta));
  const double e = std::exp(eta);
  return e / (1.0 + e);
}

// Block by block, each block's linear predictor summed column by column and turned into
// probabilities while it is in cache; the result is the only array written.
Eigen::VectorXd LogisticFit::predict(const Eigen::MatrixXd& x, int threads,
                                     double* clearance) const {
  const Eigen::Index n = x.rows(), p = x.cols(), blocks = (n + kBlock - 1) / kBlock;
  Eigen::VectorXd out(n);
  double nearest = 1;  // the smallest exp(-|eta|): a probability p is min(p, 1 - p) = z / (1 + z)
  // clang-format off
#pragma omp parallel for schedule(static) num_threads(thread_count(threads)) \
    reduction(min : nearest) if (n >= kParallelRows)
  // clang-format on
  for (Eigen::Index b = 0; b < blocks; ++b) {
    const Eigen::Index start = b * kBlock, len = std::min(kBlock, n - start);
    auto eta = out.segment(start, len);
    eta.setZero();
    for (Eigen::Index j = 0; j < p; ++j) {
      if (centre.size() == 0 || centre[j] == 0)
        eta += coef[j + 1] * x.col(j).segment(start, len);
      else
        eta.array() += coef[j + 1] * (x.col(j).segment(start, len).array() - centre[j]);
    }
    eta.array() += centre.size() == 0 ? coef[0] : centred_intercept;
    // As in the fit: exp(-|eta|) for the whole block at once, never overflowing.
    Eigen::ArrayXd z(len);
    exp_minus_abs(eta.data(), z.data(), static_cast<std::size_t>(len));
    for (Eigen::Index i = 0; i < len; ++i) eta[i] = fitted(eta[i], z[i]);
    if (clearance) nearest = std::min(nearest, z.minCoeff());
  }
  if (clearance) *clearance = nearest / (1 + nearest);
  return out;
}

double LogisticFit::linear_predictor(const Eigen::Ref<const Eigen::RowVectorXd>& row) const {
  const auto slopes = coef.tail(coef.size() - 1);
  if (centre.size() == 0) return coef[0] + row.dot(slopes);
  return centred_intercept + (row - centre.transpose()).dot(slopes);
}

LogisticFit fit_logistic(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                         const LogisticOptions& options) {
  const int threads = x.rows() >= kParallelRows ? thread_count(options.threads) : 1;
  const Eigen::Index p = x.cols();
  Eigen::VectorXd centre(p);
  for (Eigen::Index j = 0; j < p; ++j) centre[j] = far_centre(x.col(j));
  if (centre.isZero()) return newton(x, y, options, starting_point(x, y, options), threads);
  // The fit's coefficients g on the centred columns give the columns' own: the same slopes, and
  // the intercept g_0 - centre . g.
  const Eigen::MatrixXd centred = x.rowwise() - centre.transpose();
  LogisticFit fit = newton(centred, y, options, starting_point(centred, y, options), threads);
  fit.centre = std::move(centre);
  fit.centred_intercept = fit.coef[0];
  fit.coef[0] -= fit.centre.dot(fit.coef.tail(p));
  return fit;
}

namespace {

// Newton's method from `start`, its passes over the rows shared by `threads`.
LogisticFit newton(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                   const LogisticOptions& options, Eigen::VectorXd start, int threads) {
  LogisticFit fit;
  fit.coef = std::move(start);
  // The largest magnitude in each column: a step moves no row's linear predictor by more than
  // |step_0| + sum_j |step_j| reach_j (see `moves`).
  Eigen::VectorXd reach(x.cols());
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    double largest = 0;
    const double* column = x.col(j).data();
    // clang-format off
#pragma omp parallel for schedule(static) num_threads(threads) \
    reduction(max : largest) if (threads > 1)
    // clang-format on
    for (Eigen::Index i = 0; i < x.rows(); ++i)  // not std::max: its reference costs a store
      largest = std::abs(column[i]) > largest ? std::abs(column[i]) : largest;
    reach[j] = largest;
  }
  // How far a step moves the rows' linear predictors at most. The bound from `reach` costs
  // nothing but overstates an uncentred column's step (a year's slope and the intercept cancel):
  // past 0.5, where it decides something, the largest change is measured on the rows.
  const auto moves = [&](const Eigen::VectorXd& step) {
    const double bound =
        std::abs(step[0]) + (step.tail(reach.size()).cwiseAbs().array() * reach.array()).sum();
    return bound <= 0.5 ? bound : largest_change(x, step, threads);
  };
  // A trust region: a step that would move some row's linear predictor by more than kMaxChange is
  // shortened to it. Returns how far the step moved the rows before.
  const auto shorten = [&](Eigen::VectorXd& step) {
    const double moved = moves(step);
    if (moved > kMaxChange) step *= kMaxChange / moved;
    return moved;
  };
  // The objective is computed only for large steps (see below), so not here.
  Terms terms = evaluate(fit.coef, x, y, options.l2, threads, false);
  bool have_objective = false;
  double last_step = 0;  // the size of the last full Newton step, 0 before one
  for (fit.iterations = 1; fit.iterations <= options.max_iterations; ++fit.iterations) {
    Eigen::VectorXd step = terms.hessian.ldlt().solve(terms.gradient);
    if (!step.allFinite()) break;
    // A step within the tolerance is the last: taken without a pass over the data after it
    // (the Hessian kept is the one it was computed from, equal to many digits). So is a step
    // after which Newton's quadratic convergence (each step c times the square of the one
    // before, c read off the last two steps) leaves a next step a hundredth of the tolerance.
    const double tolerance = options.tolerance * (1.0 + fit.coef.cwiseAbs().maxCoeff());
    const double size = step.cwiseAbs().maxCoeff();
    const double c = last_step > 0 ? size / (last_step * last_step) : INFINITY;
    if (size < tolerance || (size < last_step && c < 100 && c * size * size < 0.01 * tolerance)) {
      fit.coef += step;
      fit.converged = true;
      break;
    }
    // Step halving keeps every large step an ascent step. A step that moves no row's linear
    // predictor by more than 0.5 ascends without a check: along it each row's weight p(1 - p)
    // changes by at most a factor e^0.5 < 2 (its log's derivative is 1 - 2p), and a Newton step
    // ascends wherever the curvature stays within twice the one it was computed from. So its
    // objective need not be computed (near the maximum, the usual case, no pass is spent on it).
    // The trust region: a step moving some row's linear predictor by more than 20 (a probability
    // from 1/2 to 2e-9) is shortened to 20. Far from the maximum, where rows of a small level
    // have probabilities near 0 or 1, the Hessian is nearly singular along their column and the
    // Newton step enormous: taken, even halved, it throws the level to the other extreme, where
    // the fit stalls with a gradient it cannot follow. No step of a fit that behaves is this long
    // (the fits of the data in ../shared/data are unchanged by it).
    const double moved = shorten(step);
    const bool capped = moved > kMaxChange;
    const bool large = !(std::min(moved, kMaxChange) <= 0.5);
    if (large && !have_objective) terms = evaluate(fit.coef, x, y, options.l2, threads);
    have_objective = large;
    double scale = 1.0;
    Eigen::VectorXd next = fit.coef + step;
    Terms next_terms = evaluate(next, x, y, options.l2, threads, large);
    const auto worse = [&terms](const Terms& t) {
      return t.objective < terms.objective - 1e-12 * std::abs(terms.objective);
    };
    while (large && worse(next_terms) && scale > 1e-6) {
      scale *= 0.5;
      next = fit.coef + scale * step;
      next_terms = evaluate(next, x, y, options.l2, threads);
    }
    if (large && worse(next_terms)) {
      // Halving found no ascent: the Hessian is nearly singular along the step (the last step
      // pushed all rows of a small level to probabilities near 0 or 1, so their weights vanish
      // while their residuals do not), and the step is enormous. Damped steps, (H + lambda I)
      // with lambda growing tenfold, are shorter and closer to the gradient: the first that
      // ascends is taken (Levenberg-Marquardt). Such a step says nothing about convergence.
      const double base = terms.hessian.diagonal().cwiseAbs().maxCoeff();
      for (double lambda = 1e-8 * base; lambda <= 1e8 * base && worse(next_terms); lambda *= 10) {
        Eigen::MatrixXd damped = terms.hessian;
        damped.diagonal().array() += lambda;
        Eigen::VectorXd damped_step = damped.ldlt().solve(terms.gradient);
        shorten(damped_step);  // within the trust region too
        next = fit.coef + damped_step;
        next_terms = evaluate(next, x, y, options.l2, threads);
      }
      if (worse(next_terms)) break;  // no ascent at all: not converged
      fit.coef = next;
      terms = std::move(next_terms);
      have_objective = true;
      last_step = 0.0;
      continue;
    }
    fit.coef = next;
    terms = std::move(next_terms);
    last_step = scale == 1.0 && !capped ? size : 0.0;
    if (scale * size < options.tolerance * (1.0 + fit.coef.cwiseAbs().maxCoeff())) {
      fit.converged = true;
      break;
    }
  }
  fit.hessian = terms.hessian;
  // Under separation the likelihood has no maximum: the coefficients grow every step and never
  // converge. A converged fit with a few extreme scores is a genuine fit (glm agrees).
  fit.separated = !fit.converged;
  fit.max_abs_linear_predictor = terms.max_abs_eta;
  if (fit.iterations > options.max_iterations) fit.iterations = options.max_iterations;
  return fit;
}

}  // namespace

}  // namespace causeway
