// The state one matching run shares between its steps: the arms sorted by the distance, the
// matches in each direction, and what the tally of the matches found (estimate, usage counts).
// Internal to the matching estimator (matching.cpp, matching_variance.cpp).
#pragma once

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

#include "causeway/estimate/estimate.h"
#include "estimate/matcher.h"

namespace causeway {

// Each arm's units in (value, unit) order, with their outcomes: matching, the variance and the
// usage counts all run in this order, reading memory in sequence.
struct SortedArms {
  UnitValues arm[2];  // [0] control, [1] treated
  ArmOutcomes y[2];   // outcome of arm[a].unit[i]
};

struct Direction {
  bool focal_treated;
  const UnitValues* arm;                // the focal arm in (value, unit) order
  std::optional<UnitValues> reordered;  // the focal units in processing order, when it differs
  std::vector<std::size_t> reorder;     // then: each focal unit's position in `arm`
  const UnitValues* pool;
  Matches matches;

  const UnitValues& focal() const { return reordered ? *reordered : *arm; }
  std::size_t position(std::size_t f) const { return reordered ? reorder[f] : f; }
};

// Per-unit usage as a match (K) and its sum of squared weights (K'), over all directions; indexed
// like SortedArms. Empty for an arm that is no direction's pool (every K is 0).
struct Usage {
  UninitializedVector<double> k[2], k2[2];
};

struct Tally {
  double sum_diff = 0;
  std::size_t matched_focal = 0;
  // Per matched focal unit, in focal order, when kept (paired standard error, or differences
  // asked for); otherwise only their sums, shifted by the first difference so that the squared
  // deviations from the mean come out without cancellation.
  std::vector<double> diffs;
  double shift = 0, shifted_sum = 0, shifted_sum_sq = 0;
  std::vector<std::size_t> unmatched;

  void add(double diff, bool keep) {
    if (keep) diffs.push_back(diff);
    if (matched_focal == 0) shift = diff;
    shifted_sum += diff - shift;
    shifted_sum_sq += (diff - shift) * (diff - shift);
    sum_diff += diff;
    ++matched_focal;
  }
  // Appends the tally of the focal units after this one's.
  void merge(Tally&& later) {
    diffs.insert(diffs.end(), later.diffs.begin(), later.diffs.end());
    unmatched.insert(unmatched.end(), later.unmatched.begin(), later.unmatched.end());
    if (later.matched_focal > 0) {
      if (matched_focal == 0) shift = later.shift;
      // later's sums, moved from its shift to this one's
      const double move = later.shift - shift, n = static_cast<double>(later.matched_focal);
      shifted_sum_sq += later.shifted_sum_sq + 2 * move * later.shifted_sum + n * move * move;
      shifted_sum += later.shifted_sum + n * move;
    }
    sum_diff += later.sum_diff;
    matched_focal += later.matched_focal;
  }
  // The sum of (difference - mean)^2.
  double squared_deviations(double mean) const {
    const double d = mean - shift;
    return shifted_sum_sq - 2 * d * shifted_sum + static_cast<double>(matched_focal) * d * d;
  }
};

// The distance coordinate of each analysed row, the propensity score or its logit, computed as
// it is read (no second vector of a million numbers).
struct Distance {
  const Eigen::VectorXd& score;
  bool logit;

  Eigen::Index size() const { return score.size(); }
  // A score of exactly 0 or 1 (separation) has an infinite logit; +-40 keeps distances finite
  // and such units as far from all others as they are.
  double operator()(Eigen::Index i) const {
    return logit ? std::clamp(std::log(score[i] / (1 - score[i])), -40.0, 40.0) : score[i];
  }
};

// Everything one matching run produced, for the steps that turn it into an Estimate.
struct MatchRun {
  const AnalysisData& d;
  const MatchingOptions& o;
  Distance value;
  double caliper;  // absolute
  SortedArms sorted;
  std::vector<Direction> dirs;  // treated-focal and/or control-focal
  std::vector<Tally> tallies;   // one per direction
  Usage usage;
  std::size_t matched = 0;
  // Without replacement: the matched focal units with a match farther than their nearest pool
  // units, which earlier focal units had taken.
  std::size_t displaced = 0;
};

// Each matched focal unit's outcome difference into a Tally, and each pool unit's usage into
// `usage`. `keep_diffs`: keep the differences themselves, not only their sums.
Tally tally(const SortedArms& sorted, const Direction& dir, Usage& usage, bool keep_diffs);

// Abadie-Imbens with replacement (and for a single matched unit), paired differences without;
// sets e.se and e.se_method.
void set_standard_error(const MatchRun& run, Estimate& e);

}  // namespace causeway
