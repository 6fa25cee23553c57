// The report's plots as inline SVG: plain shapes and text, no script, no external font. Every
// plot has a title (the caller's <h3>), labelled axes and marks of class "mark", so a test can
// tell an empty plot from a drawn one.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace causeway::svg {

// Text made safe inside HTML and SVG: & < > " ' escaped.
std::string escape(std::string_view text);

// Round tick values covering [lo, hi], about `target` of them.
std::vector<double> ticks(double lo, double hi, int target = 5);

struct Interval {
  std::string label;  // "naive", "matching"
  double estimate = 0, low = 0, high = 0;
};

// Estimates with their 95 % intervals, one row each (top to bottom in the given order), against
// a dashed line at zero. `axis`: the x axis label, with units.
std::string forest_plot(const std::vector<Interval>& rows, const std::string& axis);

// Counts of scores per bin of width 1 / treated.size() over [0, 1], drawn as shares of their arm:
// treated bars above the axis, control bars below it, on one percentage scale.
std::string mirrored_histogram(const std::vector<std::size_t>& treated,
                               const std::vector<std::size_t>& control);

struct BalancePoint {
  std::string covariate;
  double before = 0;
  std::optional<double> matched, weighted;
};

// Love plot: each covariate's absolute standardised mean difference before adjustment, after
// matching and under the weights, with the 0.1 threshold marked.
std::string love_plot(const std::vector<BalancePoint>& rows);

struct CalibrationPoint {
  std::string label;  // "1" for decile 1
  double predicted = 0;
  std::optional<double> observed, low, high;  // absent when the group has no measurable lift
};

// Uplift calibration: per group of customers (deciles of predicted uplift), the mean predicted
// effect (hollow diamond) beside the observed lift with its 95 % interval (filled dot and bar).
std::string calibration_plot(const std::vector<CalibrationPoint>& rows, const std::string& axis);

}  // namespace causeway::svg
