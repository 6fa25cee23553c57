// Propensity-score matching: 1:k nearest neighbours, with or without replacement, optional
// caliper. Standard errors: Abadie-Imbens (2006) with replacement, paired without.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "causeway/estimate/balance.h"
#include "core/radix_sort.h"
#include "core/text.h"
#include "estimate/matcher.h"
#include "estimate/method.h"
#include "estimate/positivity.h"

namespace causeway {
namespace {

constexpr int kVarianceNeighbours = 2;

struct Direction {
  bool focal_treated;
  std::vector<std::size_t> focal, pool;
  Matches matches;
};

Eigen::VectorXd distance_values(const PropensityModel& pm, MatchDistance distance) {
  if (distance == MatchDistance::kPropensity) return pm.score;
  Eigen::VectorXd out(pm.score.size());
  // A score of exactly 0 or 1 (separation) has an infinite logit; +-40 keeps distances finite
  // and such units as far from all others as they are.
  for (Eigen::Index i = 0; i < out.size(); ++i)
    out[i] = std::clamp(std::log(pm.score[i] / (1 - pm.score[i])), -40.0, 40.0);
  return out;
}

double absolute_caliper(const MatchingOptions& o, const Eigen::VectorXd& value) {
  if (o.caliper <= 0) return INFINITY;
  if (o.caliper_scale == CaliperScale::kAbsolute) return o.caliper;
  double sum = 0, sum_sq = 0;
  std::size_t n = 0;
  for (Eigen::Index i = 0; i < value.size(); ++i)
    if (std::isfinite(value[i])) sum += value[i], sum_sq += value[i] * value[i], ++n;
  const double mean = sum / static_cast<double>(n);
  return o.caliper *
         std::sqrt(std::max(0.0, (sum_sq - n * mean * mean) / static_cast<double>(n - 1)));
}

std::string caliper_words(const MatchingOptions& o, double absolute) {
  if (o.caliper <= 0) return "no caliper";
  const char* scale =
      o.distance == MatchDistance::kLogit ? "logit of the propensity" : "propensity";
  if (o.caliper_scale == CaliperScale::kAbsolute)
    return fmt::format("caliper {} (absolute, on the {})", o.caliper, scale);
  return fmt::format("caliper {} SD of the {} = {:.6g}", o.caliper, scale, absolute);
}

// Units of each arm in (value, row) order, from one sort of all units.
struct SortedArms {
  std::vector<std::size_t> arm[2];  // [0] control, [1] treated
};

SortedArms sort_arms(const AnalysisData& d, const Eigen::VectorXd& value) {
  std::vector<std::size_t> all(d.rows());
  std::iota(all.begin(), all.end(), 0);
  SortedArms s;
  for (std::size_t r : sort_by_value(all, value))
    s.arm[d.t[static_cast<Eigen::Index>(r)] == 1.0].push_back(r);
  return s;
}

Direction run_direction(const SortedArms& sorted, bool focal_treated, const Eigen::VectorXd& value,
                        const MatchingOptions& o, double caliper) {
  Direction dir{focal_treated, sorted.arm[focal_treated], sorted.arm[!focal_treated], {}};
  // Greedy order: hardest units first (largest propensity for treated, smallest for controls),
  // ties in row order. With replacement the order does not matter; ascending is cache-friendly.
  if (focal_treated && !o.replace) {
    std::reverse(dir.focal.begin(), dir.focal.end());
    for (std::size_t i = 0; i < dir.focal.size();) {  // restore row order within equal values
      std::size_t j = i + 1;
      while (j < dir.focal.size() && value[static_cast<Eigen::Index>(dir.focal[j])] ==
                                         value[static_cast<Eigen::Index>(dir.focal[i])])
        ++j;
      std::reverse(dir.focal.begin() + static_cast<long>(i),
                   dir.focal.begin() + static_cast<long>(j));
      i = j;
    }
  }
  MatchRequest req{dir.focal, dir.pool, &value, o.k, caliper, o.below_first};
  dir.matches = o.below_first ? match_below_first(req, o.replace)
                : o.replace   ? match_with_replacement(req)
                              : match_greedy(req);
  return dir;
}

std::string unit_list(const AnalysisData& d, const std::vector<std::size_t>& units) {
  return list_first(units.size(), 10, [&](std::size_t k) { return d.row_name(units[k]); });
}

// Per-unit usage as a match (K) and its sum of squared weights (K'), over all directions.
struct Usage {
  Eigen::VectorXd k, k2;
};

struct Tally {
  double sum_diff = 0;
  std::size_t matched_focal = 0;
  std::vector<double> diffs;  // per matched focal unit, in focal order
  std::vector<std::size_t> unmatched;
};

Tally tally(const AnalysisData& d, const Direction& dir, Usage& usage) {
  Tally t;
  for (std::size_t f = 0; f < dir.focal.size(); ++f) {
    const std::size_t unit = dir.focal[f];
    if (dir.matches.count(f) == 0) {
      t.unmatched.push_back(unit);
      continue;
    }
    double imputed = 0;
    for (std::size_t m = dir.matches.offsets[f]; m < dir.matches.offsets[f + 1]; ++m) {
      const auto j = static_cast<Eigen::Index>(dir.matches.unit[m]);
      imputed += dir.matches.weight[m] * d.y[j];
      usage.k[j] += dir.matches.weight[m];
      usage.k2[j] += dir.matches.weight[m] * dir.matches.weight[m];
    }
    const double own = d.y[static_cast<Eigen::Index>(unit)];
    const double diff = dir.focal_treated ? own - imputed : imputed - own;
    t.diffs.push_back(diff);
    t.sum_diff += diff;
    ++t.matched_focal;
  }
  return t;
}

double paired_se(const std::vector<double>& diffs, double mean) {
  double ss = 0;
  for (double x : diffs) ss += (x - mean) * (x - mean);
  const double n = static_cast<double>(diffs.size());
  return std::sqrt(ss / (n - 1) / n);
}

void add_capacity_warnings(const AnalysisData& d, const Direction& dir, const Tally& t,
                           const MatchingOptions& o, double caliper, Estimate& e) {
  const char* focal = dir.focal_treated ? "treated" : "control";
  const char* pool = dir.focal_treated ? "controls" : "treated";
  if (t.unmatched.empty()) return;
  if (!o.replace && dir.pool.size() < dir.focal.size() * static_cast<std::size_t>(o.k))
    e.warnings.push_back(
        fmt::format("{} {} for {} {} units: the estimate refers to the {} "
                    "matched {} units, not all of them; unmatched: {}",
                    dir.pool.size(), pool, dir.focal.size(), focal, t.matched_focal, focal,
                    unit_list(d, t.unmatched)));
  else
    e.warnings.push_back(
        fmt::format("the {} dropped {} {} units with no {} within reach: the "
                    "estimate refers to the {} retained {} units; dropped: {}",
                    caliper_words(o, caliper), t.unmatched.size(), focal, pool, t.matched_focal,
                    focal, unit_list(d, t.unmatched)));
}

}  // namespace

Estimate estimate_matching(const MethodInput& in) {
  const AnalysisData& d = in.data;
  const PropensityModel& pm = *in.propensity;
  const MatchingOptions& o = in.options.matching;
  const Target target = in.options.target;
  if (o.k < 1) throw Error(ErrorCode::kBadInput, "--k must be at least 1");
  if (in.options.trim > 0) return with_trimming(in, estimate_matching);
  require_positivity(d, pm, target, "matching");
  if (target == Target::kAte && !o.replace)
    throw Error(ErrorCode::kBadInput,
                "matching without replacement estimates the ATT or the ATC; pass --replace to "
                "estimate the ATE, or --target att");
  const Eigen::VectorXd value = distance_values(pm, o.distance);
  const double caliper = absolute_caliper(o, value);

  const SortedArms sorted = sort_arms(d, value);
  std::vector<Direction> dirs;
  if (target != Target::kAtc) dirs.push_back(run_direction(sorted, true, value, o, caliper));
  if (target != Target::kAtt) dirs.push_back(run_direction(sorted, false, value, o, caliper));

  Estimate e;
  e.target = target;
  Usage usage{Eigen::VectorXd::Zero(d.y.size()), Eigen::VectorXd::Zero(d.y.size())};
  std::vector<Tally> tallies;
  double sum = 0;
  std::size_t matched = 0;
  for (const auto& dir : dirs) {
    tallies.push_back(tally(d, dir, usage));
    sum += tallies.back().sum_diff;
    matched += tallies.back().matched_focal;
    add_capacity_warnings(d, dir, tallies.back(), o, caliper, e);
  }
  if (matched == 0) {
    double nearest = INFINITY;
    const auto& dir = dirs[0];
    MatchRequest req{dir.focal, dir.pool, &value, 1, INFINITY, false};
    const Matches any = match_with_replacement(req);
    for (std::size_t f = 0; f < dir.focal.size(); ++f)
      for (std::size_t m = any.offsets[f]; m < any.offsets[f + 1]; ++m)
        nearest = std::min(nearest, std::abs(value[static_cast<Eigen::Index>(dir.focal[f])] -
                                             value[static_cast<Eigen::Index>(any.unit[m])]));
    throw Error(
        ErrorCode::kNotIdentifiable,
        fmt::format("matching: no {} unit has a match within the {}; the smallest "
                    "distance is {:.6f}. Widen --caliper or drop it",
                    dir.focal_treated ? "treated" : "control", caliper_words(o, caliper), nearest));
  }
  e.estimate = sum / static_cast<double>(matched);

  // Standard error.
  Eigen::VectorXd sigma2 = Eigen::VectorXd::Zero(d.y.size());
  for (int a = 0; a < 2; ++a)
    conditional_variance(sorted.arm[a], value, d.y, kVarianceNeighbours, sigma2);
  if (o.replace || matched < 2) {
    double v = 0;
    for (const auto& t : tallies)
      for (double x : t.diffs) v += (x - e.estimate) * (x - e.estimate);
    const bool ate = dirs.size() == 2;
    for (Eigen::Index i = 0; i < usage.k.size(); ++i) {
      const double extra = usage.k[i] * usage.k[i] - usage.k2[i] + (ate ? 2 * usage.k[i] : 0.0);
      v += extra * sigma2[i];
    }
    if (matched < 2) {  // one pair: only the conditional variance of its outcomes is estimable
      v = 0;
      for (Eigen::Index i = 0; i < usage.k.size(); ++i) v += usage.k2[i] * sigma2[i];
      for (const auto& dir : dirs)
        for (std::size_t f = 0; f < dir.focal.size(); ++f)
          if (dir.matches.count(f) > 0) v += sigma2[static_cast<Eigen::Index>(dir.focal[f])];
      e.warnings.push_back(
          "a single matched unit: the interval uses only the within-arm outcome "
          "variance and is unreliable");
    }
    e.se = std::sqrt(v) / static_cast<double>(matched);
    e.se_method = "Abadie-Imbens (conditional variance from 2 same-arm neighbours)";
  } else {
    e.se = paired_se(tallies[0].diffs, e.estimate);
    e.se_method = "paired differences of matched sets";
  }

  // Counts and facts.
  std::size_t distinct_pool = 0;
  for (Eigen::Index i = 0; i < usage.k.size(); ++i) distinct_pool += usage.k[i] > 0;
  const Direction& first = dirs[0];
  const std::size_t focal_matched = tallies[0].matched_focal;
  e.n_treated = first.focal_treated ? focal_matched : distinct_pool;
  e.n_control = first.focal_treated ? distinct_pool : focal_matched;
  if (dirs.size() == 2) {
    e.n_treated = tallies[0].matched_focal;
    e.n_control = tallies[1].matched_focal;
  }
  e.estimand = target == Target::kAtt   ? "ATT: the effect on the treated units that were matched"
               : target == Target::kAtc ? "ATC: the effect on the control units that were matched"
                                        : "ATE: the average effect over all matched units";
  e.answers = "the effect among units paired with similar propensity in the other arm";
  e.misses = "confounders not in the propensity model; units without a close match";
  e.details["matched_focal"] = matched;
  e.details["distinct_matches_used"] = distinct_pool;
  std::size_t dropped = 0, ties = 0;
  for (const auto& t : tallies) dropped += t.unmatched.size();
  for (const auto& dir : dirs) ties += dir.matches.focal_with_ties;
  e.details["unmatched_focal"] = dropped;
  e.details["ties"] = ties;
  e.notes.push_back(fmt::format(
      "1:{} nearest neighbour on the {}, {}, {}; {} focal units matched, {} distinct matches "
      "used, {} unmatched",
      o.k, o.distance == MatchDistance::kLogit ? "logit of the propensity" : "propensity score",
      o.replace ? "with replacement" : "without replacement (greedy, largest propensity first)",
      caliper_words(o, caliper), matched, distinct_pool, dropped));
  if (!o.replace && !o.below_first && ties > 0)
    e.warnings.push_back(fmt::format(
        "{} matches were chosen among equally near units by row order: reordering the rows can "
        "change the estimate; --replace shares tied matches instead",
        ties));
  if (o.k > 1) {
    std::vector<std::size_t> by_count(static_cast<std::size_t>(o.k) + 1, 0);
    for (const auto& dir : dirs)
      for (std::size_t f = 0; f < dir.focal.size(); ++f)
        ++by_count[std::min<std::size_t>(dir.matches.count(f), static_cast<std::size_t>(o.k))];
    std::string counts;
    for (int c = o.k; c >= 0; --c)
      counts += fmt::format("{}{} got {}", c == o.k ? "" : ", ",
                            by_count[static_cast<std::size_t>(c)], c);
    e.notes.push_back("matches per focal unit: " + counts);
  }
  if (o.below_first)
    e.notes.push_back(
        "neighbour rule: below-first (the nearest unit at or below the score, "
        "else above), as MatchIt 4.5.1 computes; not the true nearest neighbour");
  else
    e.notes.push_back(
        fmt::format("tie rule: {}; {} ties (distances equal within {} relative)",
                    o.replace ? "matches tied at the k-th distance share it equally (Abadie-Imbens)"
                              : "equal distances go to the unit first in row order",
                    ties, kTieTolerance));
  if (!o.replace && dropped == 0 &&
      first.pool.size() == first.focal.size() * static_cast<std::size_t>(o.k) &&
      distinct_pool == first.pool.size())
    e.warnings.push_back(
        "no units were discarded: every unit of both arms is in the matched "
        "sample, so the matched estimate equals the unadjusted difference; add a "
        "caliper (e.g. --caliper 0.2) or use --replace");
  Eigen::VectorXd weight = usage.k;
  for (const auto& dir : dirs)
    for (std::size_t f = 0; f < dir.focal.size(); ++f)
      if (dir.matches.count(f) > 0) weight[static_cast<Eigen::Index>(dir.focal[f])] += 1.0;
  const std::size_t warnings_before = e.warnings.size();
  attach_balance(d, weight, e);
  if (!o.replace && e.warnings.size() > warnings_before)
    e.warnings.push_back(fmt::format(
        "without replacement, later {} units took whatever {} were left ({} for {}): the "
        "matched sample is imbalanced and the estimate biased; use --replace or a --caliper",
        first.focal_treated ? "treated" : "control", first.focal_treated ? "controls" : "treated",
        first.pool.size(), first.focal.size()));
  set_normal_interval(e);
  return e;
}

}  // namespace causeway
