// Nearest-neighbour matching on a one-dimensional distance (propensity score or its logit),
// in O(n log n): both matchers sort the pool once and never compare all pairs.
#pragma once

#include <Eigen/Dense>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "causeway/data/table.h"

namespace causeway {

// Units with their distance coordinates, side by side: matchers read values in order instead of
// looking each unit up in a vector of all units.
struct UnitValues {
  UninitializedVector<std::uint32_t> unit;  // analysed row
  UninitializedVector<double> value;
  std::size_t size() const { return unit.size(); }
};

// `units` with value[unit], in the given order.
UnitValues gather_values(const std::vector<std::size_t>& units, const Eigen::VectorXd& value);
// `units` with value[unit], in (value, unit) order: what a matcher needs as its pool.
UnitValues sorted_by_value(const std::vector<std::size_t>& units, const Eigen::VectorXd& value);

// One arm's outcomes in the arm's (value, unit) order: a byte each when the outcome is 0/1, else
// a double. A yes/no outcome of a million units costs 1 MB instead of 8, and every sum over
// them is the same.
class ArmOutcomes {
 public:
  ArmOutcomes() = default;
  explicit ArmOutcomes(UninitializedVector<double> y) : wide_(std::move(y)) {}
  // Room for n outcomes, each 0 or 1 when `zero_one`, to be filled by gather().
  ArmOutcomes(std::size_t n, bool zero_one) { zero_one ? narrow_.resize(n) : wide_.resize(n); }

  std::size_t size() const { return narrow_.empty() ? wide_.size() : narrow_.size(); }
  double operator[](std::size_t i) const { return narrow_.empty() ? wide_[i] : narrow_[i]; }
  // Outcome i is y[unit[i]], for i below size().
  void gather(const UninitializedVector<std::uint32_t>& unit, const Eigen::VectorXd& y);
  // For 0/1 outcomes carried through a sort in the top bit of each unit (kOutcomeBit): outcome i
  // is that bit of unit[i], which is then cleared. One pass in order, not a read at random per
  // unit.
  static constexpr std::uint32_t kOutcomeBit = std::uint32_t{1} << 31;
  void unpack(UninitializedVector<std::uint32_t>& unit);

 private:
  UninitializedVector<std::uint8_t> narrow_;
  UninitializedVector<double> wide_;
};

struct MatchRequest {
  const UnitValues* focal;  // units to find matches for, in processing order
  const UnitValues* pool;   // candidate matches, in (value, unit) order
  int k = 1;
  double caliper = std::numeric_limits<double>::infinity();  // absolute, on the values' scale
};

// Focal unit f (index into request.focal) has count(f) matches in the pool, each weighing
// 1 / count(f). Two forms: listed, the positions position[offsets[f] .. offsets[f+1]) of
// request.pool; or, when `begin` is filled (matching with replacement, whose matches are always
// neighbours in the sorted pool), the positions begin[f] .. begin[f] + length[f] - 1, listed
// nowhere: a focal unit tied with half the pool costs two numbers, not half the pool.
struct Matches {
  std::vector<std::size_t> offsets;
  std::vector<std::uint32_t> position;
  UninitializedVector<std::uint32_t> begin, length;
  std::size_t focal_with_ties = 0;  // matches chosen among equally near pool units
  // With `begin`: the sum of the lengths, and how the matcher cut the focal units in two parts
  // [0, cut) and [cut, n) (cut = n: one part), with the end of the first part's matches in the
  // pool (the largest begin + length) and the start of the second's (the smallest begin), as far
  // as they have matches. Found while matching, so that the tally need not read every match again.
  std::size_t begin_total = 0, cut = 0, first_part_end = 0, second_part_begin = 0;

  std::size_t focal_count() const { return begin.empty() ? offsets.size() - 1 : begin.size(); }
  std::size_t count(std::size_t f) const {
    return begin.empty() ? offsets[f + 1] - offsets[f] : length[f];
  }
  double weight(std::size_t f) const { return 1.0 / static_cast<double>(count(f)); }
  // The pool position of focal unit f's i-th match.
  std::size_t at(std::size_t f, std::size_t i) const {
    return begin.empty() ? position[offsets[f] + i] : begin[f] + i;
  }
  // All focal units' matches together.
  std::size_t total() const { return begin.empty() ? offsets.back() : begin_total; }
};

// Relative tolerance under which two distances count as tied.
constexpr double kTieTolerance = 1e-9;

// With replacement: each focal unit takes its k nearest pool units within the caliper, plus every
// pool unit tied with the k-th (Abadie-Imbens), all with equal weight. Independent of row order.
// Pool units of equal value are taken together, so each focal unit costs time in the number of
// distinct values it reaches, not in the number of units tied there. Fills Matches::begin.
Matches match_with_replacement(const MatchRequest& request);

// Without replacement, greedy: focal units in the given order take the nearest unused pool unit
// within the caliper; k rounds for 1:k. Equal distances go to the pool unit first in row order.
Matches match_greedy(const MatchRequest& request);

// The below-first rule: the nearest available pool unit at or below the focal unit's value (in
// (value, row) order), else the nearest above; with or without replacement. This is what
// MatchIt 4.5.1 computes for a propensity distance, whose comparison of the two candidates'
// distances goes through an integer abs() and so always prefers the lower one.
Matches match_below_first(const MatchRequest& request, bool replace);

// The Abadie-Imbens conditional variance of each unit of one arm, given in (value, unit) order
// with outcomes y: m/(m+1) * (y[i] - the mean outcome of its m neighbours)^2, the neighbours being
// its `j` nearest other units of the arm and, as for matches, every unit tied with the j-th (so
// m = j without ties). Tied units thus get the same variance whatever their order in the file.
// 0 for an arm of one unit. Safe to call from several threads.
class ConditionalVariance {
 public:
  // Keeps references: `arm` and `y` must outlive it.
  ConditionalVariance(const UnitValues& arm, const ArmOutcomes& y, int j);
  ConditionalVariance(const UnitValues& arm, ArmOutcomes&& y, int j) = delete;
  double operator()(std::size_t i) const;

 private:
  // The mean outcome over whole runs of equal values, from position i outwards.
  double tie_inclusive(std::size_t i, std::size_t take, std::size_t& count) const;
  double sum(std::size_t from, std::size_t to) const;  // of y over positions [from, to)

  const UninitializedVector<double>& value_;
  const ArmOutcomes& y_;
  int j_;
  std::vector<double> running_;  // running sums of y, kept when the arm has long runs of ties
};

}  // namespace causeway
