#include "refute/confounder.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "causeway/learn/ols.h"
#include "causeway/rng.h"
#include "refute/simulate_estimates.h"

namespace causeway {
namespace {

Eigen::MatrixXd design(const AnalysisData& d, bool with_treatment, Eigen::Index skip = -1) {
  const Eigen::Index p = d.x.cols() - (skip >= 0 ? 1 : 0);
  Eigen::MatrixXd out(d.x.rows(), 1 + (with_treatment ? 1 : 0) + p);
  out.col(0).setOnes();
  Eigen::Index c = 1;
  if (with_treatment) out.col(c++) = d.t;
  for (Eigen::Index j = 0; j < d.x.cols(); ++j)
    if (j != skip) out.col(c++) = d.x.col(j);
  return out;
}

Eigen::VectorXd residual(const Eigen::MatrixXd& x, const Eigen::VectorXd& y) {
  return y - x * least_squares(x, y);
}

Eigen::VectorXd standardised(Eigen::VectorXd v) {
  const double sd =
      std::sqrt(v.squaredNorm() / std::max<double>(1.0, static_cast<double>(v.size())));
  return sd > 0 ? Eigen::VectorXd(v / sd) : v;
}

double correlation(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  const double den = std::sqrt(a.squaredNorm() * b.squaredNorm());
  return den > 0 ? a.dot(b) / den : 0.0;
}

}  // namespace

std::vector<CovariateStrength> covariate_strengths(const AnalysisData& d) {
  std::vector<CovariateStrength> out;
  for (Eigen::Index j = 0; j < d.x.cols(); ++j) {
    CovariateStrength s;
    s.name = d.x_names[static_cast<std::size_t>(j)];
    const Eigen::MatrixXd others = design(d, false, j), others_t = design(d, true, j);
    s.with_treatment = correlation(residual(others, d.x.col(j)), residual(others, d.t));
    s.with_outcome = correlation(residual(others_t, d.x.col(j)), residual(others_t, d.y));
    out.push_back(s);
  }
  return out;
}

Refutation unobserved_common_cause(const AnalysisData& data, const std::string& method,
                                   const Estimate& original, const EstimateOptions& options,
                                   const RefuteOptions& ro) {
  Refutation r;
  r.name = "unobserved-common-cause";
  r.null_hypothesis =
      "a hidden common cause of the strengths on the grid (partial correlations with treatment "
      "and outcome) leaves the estimate's sign and its interval's distance from 0";
  r.original = original.estimate;
  const std::vector<CovariateStrength> strengths = covariate_strengths(data);
  for (const auto& s : strengths) {
    r.benchmark_treatment = std::max(r.benchmark_treatment, std::abs(s.with_treatment));
    r.benchmark_outcome = std::max(r.benchmark_outcome, std::abs(s.with_outcome));
  }
  const Eigen::VectorXd rt = standardised(residual(design(data, false), data.t));
  const Eigen::VectorXd ry = standardised(residual(design(data, true), data.y));
  // A cell's new estimate varies only through the confounder's own noise: a few simulations
  // pin its mean.
  const int per_cell = std::max(3, ro.simulations / 20);
  const bool original_excludes_zero = original.ci_low > 0 || original.ci_high < 0;
  const double sign = original.estimate >= 0 ? 1.0 : -1.0;
  std::size_t cell_index = 0;
  std::string first_failure;
  const auto grid_of = [](std::vector<double> given, double benchmark) {
    if (!given.empty()) {
      std::sort(given.begin(), given.end());
      given.erase(std::unique(given.begin(), given.end()), given.end());
      return given;
    }
    std::vector<double> g = {0.05, 0.1, 0.2, 0.3};
    const double b = std::round(benchmark * 100) / 100;  // printed with 2 decimals
    if (b > 0 && b < 1) g.push_back(b);
    std::sort(g.begin(), g.end());
    g.erase(std::unique(g.begin(), g.end()), g.end());
    return g;
  };
  const bool chosen = !ro.strength_treatment.empty() || !ro.strength_outcome.empty();
  for (double kt : grid_of(ro.strength_treatment, r.benchmark_treatment))
    for (double ky : grid_of(ro.strength_outcome, r.benchmark_outcome)) {
      const bool possible = kt >= 0 && ky >= 0 && kt * kt + ky * ky < 1;
      if (!possible && !chosen) continue;  // a default pair no confounder can have
      if (!possible)
        throw Error(ErrorCode::kBadInput,
                    fmt::format("confounder strengths {} and {}: each must be at least 0 and "
                                "their squares must sum to less than 1",
                                kt, ky));
      const double rest = std::sqrt(1 - kt * kt - ky * ky);
      RefuteOptions cell_options = ro;
      const std::string label = fmt::format("unobserved-common-cause {}x{}", kt, ky);
      EstimateOptions cell_seed = options;
      cell_seed.seed = options.seed + 1000003 * ++cell_index;
      const Draws draws = simulate_estimates(
          label, per_cell, method, cell_seed, cell_options, [&](std::uint64_t seed) {
            AnalysisData d = data;
            Rng rng(seed);
            d.x.conservativeResize(Eigen::NoChange, d.x.cols() + 1);
            for (Eigen::Index i = 0; i < d.x.rows(); ++i)
              d.x(i, d.x.cols() - 1) = kt * rt[i] + ky * ry[i] + rest * rng.normal();
            d.x_names.push_back("simulated_confounder");
            d.x_value_labels.push_back({"", ""});
            return d;
          });
      r.simulations += static_cast<int>(draws.estimate.size());
      r.failed += draws.failed;
      if (draws.estimate.empty()) {
        if (first_failure.empty()) first_failure = draws.first_failure;
        continue;
      }
      ConfounderCell cell;
      cell.strength_treatment = kt;
      cell.strength_outcome = ky;
      cell.effect = spread(draws.estimate).mean;
      cell.ci_low = spread(draws.ci_low).mean;
      cell.ci_high = spread(draws.ci_high).mean;
      cell.erased = sign * cell.effect <= 0 ||
                    (original_excludes_zero && cell.ci_low <= 0 && cell.ci_high >= 0);
      r.grid.push_back(cell);
    }
  std::vector<double> effects;
  for (const auto& c : r.grid) effects.push_back(c.effect);
  if (effects.empty() || r.failed * 10 > r.simulations + r.failed) {
    r.verdict = Verdict::kInconclusive;
    r.reason = fmt::format("{} of {} simulations failed (first: {}); too few to judge", r.failed,
                           r.simulations + r.failed, first_failure);
    return r;
  }
  const Spread s = spread(effects);
  r.mean = s.mean, r.sd = s.sd, r.low = s.low, r.high = s.high;
  r.has_draws = true;
  r.p_meaning = "no p-value: the grid shows how the estimate moves, it does not test";
  r.threshold =
      "fail if a confounder no stronger (with both treatment and outcome) than some measured "
      "covariate moves the interval to 0 or flips the sign";
  // A confounder is plausible when some measured covariate is at least as strong with both the
  // treatment and the outcome: each covariate's own pair, not the two maxima of different ones.
  const auto as_strong = [&](const ConfounderCell& c) -> const CovariateStrength* {
    for (const auto& x : strengths)
      if (std::abs(x.with_treatment) >= c.strength_treatment &&
          std::abs(x.with_outcome) >= c.strength_outcome)
        return &x;
    return nullptr;
  };
  const ConfounderCell *weakest = nullptr, *within = nullptr;
  const auto weaker = [](const ConfounderCell* a, const ConfounderCell& b) {
    return !a ||
           b.strength_treatment * b.strength_outcome < a->strength_treatment * a->strength_outcome;
  };
  for (const auto& c : r.grid) {
    if (!c.erased) continue;
    if (weaker(weakest, c)) weakest = &c;
    if (as_strong(c) && weaker(within, c)) within = &c;
  }
  if (!original_excludes_zero) {
    r.verdict = Verdict::kInconclusive;
    r.reason =
        "the original interval already includes 0: there is no effect for a hidden "
        "confounder to erase";
  } else if (within) {
    const CovariateStrength& like = *as_strong(*within);
    r.verdict = Verdict::kFail;
    r.reason = fmt::format(
        "a hidden confounder with partial correlations {:.2g} (treatment) and {:.2g} (outcome) "
        "moves the estimate to {:.4g} [{:.4g}, {:.4g}], erasing it; the measured covariate '{}' "
        "is at least that strong ({:.2f} and {:.2f}), so a confounder like that is plausible",
        within->strength_treatment, within->strength_outcome, within->effect, within->ci_low,
        within->ci_high, like.name, std::abs(like.with_treatment), std::abs(like.with_outcome));
  } else if (strengths.empty()) {
    r.verdict = Verdict::kInconclusive;
    r.reason = weakest ? fmt::format(
                             "a hidden confounder with partial correlations {:.2g} and "
                             "{:.2g} erases the estimate, and with no measured "
                             "covariate there is nothing to judge its plausibility by",
                             weakest->strength_treatment, weakest->strength_outcome)
                       : "no confounder on the grid erases the estimate; with no measured "
                         "covariate there is nothing to compare the grid's strengths with";
  } else {
    r.verdict = Verdict::kPass;
    r.reason = weakest ? fmt::format(
                             "only a hidden confounder stronger than every measured "
                             "covariate (partial correlations {:.2g} and {:.2g}) "
                             "erases the estimate",
                             weakest->strength_treatment, weakest->strength_outcome)
                       : "no confounder on the grid erases the estimate";
  }
  return r;
}

}  // namespace causeway
