// Subclassification on the propensity score. Strata are cut at quantiles of the score among the
// target population (treated for the ATT, controls for the ATC, everyone for the ATE); a unit
// falls in stratum s when q_s <= score < q_{s+1}, the extremes folded into the end strata. The
// estimate weights each stratum's difference in means by its share of the target population.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/text.h"
#include "estimate/method.h"
#include "estimate/positivity.h"

namespace causeway {
namespace {

// Quantile with linear interpolation between order statistics (the common "type 7").
double quantile(std::vector<double> sorted, double p) {
  const double h = (static_cast<double>(sorted.size()) - 1) * p;
  const std::size_t lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

std::vector<double> cut_points(const AnalysisData& d, const Eigen::VectorXd& score, Target target,
                               int strata) {
  std::vector<double> base;
  for (Eigen::Index i = 0; i < score.size(); ++i)
    if (target == Target::kAte || (d.t[i] == 1.0) == (target == Target::kAtt))
      base.push_back(score[i]);
  std::sort(base.begin(), base.end());
  std::vector<double> distinct = base;
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  if (distinct.size() <= static_cast<std::size_t>(strata)) {
    // Few distinct scores: each is its own stratum (exact subclassification).
    if (distinct.size() == 1) return {-INFINITY, INFINITY};
    std::vector<double> cuts = {-INFINITY};
    for (std::size_t i = 1; i < distinct.size(); ++i) cuts.push_back(distinct[i]);
    cuts.push_back(INFINITY);
    return cuts;
  }
  std::vector<double> q;
  for (int s = 0; s <= strata; ++s) q.push_back(quantile(base, static_cast<double>(s) / strata));
  q.erase(std::unique(q.begin(), q.end()), q.end());
  return q;
}

std::size_t stratum_of(const std::vector<double>& q, double score) {
  const std::size_t intervals = q.size() - 1;
  const std::size_t pos =
      static_cast<std::size_t>(std::upper_bound(q.begin(), q.end(), score) - q.begin());
  return std::clamp<std::size_t>(pos, 1, intervals) - 1;
}

// "scores 0.41 to 0.69", with the open ends of the first and last strata said in words.
std::string stratum_bounds(const std::vector<double>& q, std::size_t s) {
  const bool first = s == 0 || std::isinf(q[s]), last = s + 2 == q.size() || std::isinf(q[s + 1]);
  if (first && last) return "all scores";
  if (first) return fmt::format("scores below {:.4g}", q[s + 1]);
  if (last) return fmt::format("scores from {:.4g} up", q[s]);
  return fmt::format("scores from {:.4g} to below {:.4g}", q[s], q[s + 1]);
}

struct Cell {
  double n = 0, sum = 0, sum_sq = 0;
  double mean() const { return sum / n; }
  double variance() const { return n > 1 ? (sum_sq - n * mean() * mean()) / (n - 1) : 0; }
};

}  // namespace

Estimate estimate_stratification(const MethodInput& in) {
  const AnalysisData& d = in.data;
  const PropensityModel& pm = *in.propensity;
  const Target target = in.options.target;
  const int strata = in.options.strata;
  if (strata < 1) throw Error(ErrorCode::kBadInput, "--strata must be at least 1");
  if (in.options.trim > 0) return with_trimming(in, estimate_stratification);
  require_positivity(d, pm, target, "stratification");
  const std::vector<double> q = strata == 1 ? std::vector<double>{-INFINITY, INFINITY}
                                            : cut_points(d, pm.score, target, strata);
  if (q.size() < 2)
    throw Error(ErrorCode::kBadInput,
                "stratification: every propensity score is equal; use "
                "--strata 1 or another method");
  const std::size_t ns = q.size() - 1;
  std::vector<Cell> cell[2];
  cell[0].resize(ns), cell[1].resize(ns);
  std::size_t outside = 0;
  for (Eigen::Index i = 0; i < d.y.size(); ++i) {
    // A control with score 0 has no treated counterpart (it carries no weight in the ATT), and a
    // treated unit with score 1 none in the ATC: they join no stratum.
    if ((target == Target::kAtt && d.t[i] == 0.0 && pm.score[i] <= 0.0) ||
        (target == Target::kAtc && d.t[i] == 1.0 && pm.score[i] >= 1.0)) {
      ++outside;
      continue;
    }
    Cell& c = cell[d.t[i] == 1.0][stratum_of(q, pm.score[i])];
    c.n += 1, c.sum += d.y[i], c.sum_sq += d.y[i] * d.y[i];
  }
  std::vector<std::string> empty;
  for (std::size_t s = 0; s < ns; ++s)
    for (int a = 0; a < 2; ++a)
      if (cell[a][s].n == 0)
        empty.push_back(fmt::format("stratum {} ({}) has no {} unit", s + 1, stratum_bounds(q, s),
                                    a ? "treated" : "control"));
  if (!empty.empty())
    throw Error(ErrorCode::kNotIdentifiable,
                fmt::format("stratification: {} rows cannot fill {} strata with at least 1 treated "
                            "and 1 control unit each{}: {}; use fewer --strata",
                            d.rows(), strata,
                            ns < static_cast<std::size_t>(strata)
                                ? fmt::format(" (equal quantiles left {})", ns)
                                : "",
                            list_first(empty.size(), 3, [&](std::size_t k) { return empty[k]; })));
  Estimate e;
  e.target = target;
  double total = 0, estimate = 0, variance = 0;
  bool thin = false;
  for (std::size_t s = 0; s < ns; ++s) {
    const double share = target == Target::kAtt   ? cell[1][s].n
                         : target == Target::kAtc ? cell[0][s].n
                                                  : cell[0][s].n + cell[1][s].n;
    total += share;
    estimate += share * (cell[1][s].mean() - cell[0][s].mean());
    variance += share * share *
                (cell[1][s].variance() / cell[1][s].n + cell[0][s].variance() / cell[0][s].n);
    thin = thin || cell[0][s].n < 2 || cell[1][s].n < 2;
  }
  e.estimate = estimate / total;
  e.se = std::sqrt(variance) / total;
  e.se_method = "within-stratum variances, strata weighted by their share of the target";
  if (thin)
    e.warnings.push_back(
        "a stratum has fewer than 2 units in an arm: its variance is "
        "taken as 0 and the interval is too narrow");
  e.n_treated = target == Target::kAtc ? d.n_treated - outside : d.n_treated;
  e.n_control = target == Target::kAtt ? d.n_control - outside : d.n_control;
  if (outside > 0)
    e.notes.push_back(
        fmt::format("{} units with a propensity of exactly {} have no counterpart "
                    "and join no stratum",
                    outside, target == Target::kAtt ? 0 : 1));
  e.estimand = fmt::format("{} from {} propensity strata", target_name(target), ns);
  e.answers = "the effect comparing units within bands of similar propensity";
  e.misses = "confounding left within each stratum; confounders not in the model";
  e.notes.push_back(fmt::format("{} strata cut at quantiles of the score among {}", ns,
                                target == Target::kAtt   ? "treated units"
                                : target == Target::kAtc ? "control units"
                                                         : "all units"));
  if (static_cast<int>(ns) < strata)
    e.notes.push_back(
        fmt::format("{} of the {} requested strata were merged because quantiles "
                    "coincided",
                    strata - static_cast<int>(ns), strata));
  set_normal_interval(e);
  return e;
}

}  // namespace causeway
