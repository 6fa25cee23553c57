// Nearest-neighbour matching on a one-dimensional distance (propensity score or its logit),
// in O(n log n): both matchers sort the pool once and never compare all pairs.
#pragma once

#include <Eigen/Dense>
#include <cstddef>
#include <limits>
#include <vector>

namespace causeway {

struct MatchRequest {
  std::vector<std::size_t> focal;  // units to find matches for, in processing order
  std::vector<std::size_t> pool;   // candidate matches
  const Eigen::VectorXd* value;    // distance coordinate of every unit
  int k = 1;
  double caliper = std::numeric_limits<double>::infinity();  // absolute, on `value`'s scale
  bool below_first = false;  // take the nearest unit at or below the focal value when one exists
};

// Matches in compressed rows: focal unit f (index into request.focal) has matches
// unit[offsets[f] .. offsets[f+1]) with weights summing to 1.
struct Matches {
  std::vector<std::size_t> offsets;
  std::vector<std::size_t> unit;
  std::vector<double> weight;
  std::size_t focal_with_ties = 0;  // matches chosen among equally near pool units
  std::size_t count(std::size_t f) const { return offsets[f + 1] - offsets[f]; }
};

// Relative tolerance under which two distances count as tied.
constexpr double kTieTolerance = 1e-9;

// With replacement: each focal unit takes its k nearest pool units within the caliper, plus every
// pool unit tied with the k-th (Abadie-Imbens), all with equal weight. Independent of row order.
Matches match_with_replacement(const MatchRequest& request);

// Without replacement, greedy: focal units in the given order take the nearest unused pool unit
// within the caliper; k rounds for 1:k. Equal distances go to the pool unit first in row order.
Matches match_greedy(const MatchRequest& request);

// The below-first rule: the nearest available pool unit at or below the focal unit's value (in
// (value, row) order), else the nearest above; with or without replacement. This is what
// MatchIt 4.5.1 computes for a propensity distance, whose comparison of the two candidates'
// distances goes through an integer abs() and so always prefers the lower one.
Matches match_below_first(const MatchRequest& request, bool replace);

// For every unit of `arm_units`, the mean outcome of its `j` nearest other units of the same arm;
// writes the conditional-variance estimate j/(j+1) * (y - that mean)^2 (Abadie-Imbens) into
// out[unit], leaving other entries alone.
void conditional_variance(const std::vector<std::size_t>& arm_units, const Eigen::VectorXd& value,
                          const Eigen::VectorXd& y, int j, Eigen::VectorXd& out);

}  // namespace causeway
