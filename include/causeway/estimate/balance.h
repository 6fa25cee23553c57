// Covariate balance: standardised mean differences before and after an adjustment.
//
// SMD = (mean_treated - mean_control) / sqrt((s_t^2 + s_c^2) / 2) over the unadjusted arms, with
// sample variances (n - 1), or p(1 - p) for a 0/1 column; the same denominator is used after
// adjustment so the two are comparable. The variance ratio is s_t^2 / s_c^2 (after adjustment:
// of the weighted arms, weighted variances sum w (x - mean_w)^2 / sum w); NaN when the control
// arm does not vary. A categorical covariate appears once per level, its reference level first.
// Thread-safe.
#pragma once

#include <Eigen/Dense>
#include <string>
#include <vector>

#include "causeway/data/analysis_data.h"

namespace causeway {

// A covariate whose |SMD| exceeds this after adjustment still sets the arms apart (the usual
// rule of thumb, 0.1).
constexpr double kImbalancedSmd = 0.1;

struct BalanceRow {
  std::string covariate;
  double mean_treated = 0, mean_control = 0;
  double smd_before = 0, smd_after = 0;
  double variance_ratio_before = 0, variance_ratio_after = 0;
};

// `weight` holds each unit's weight after adjustment (0 leaves a unit out).
std::vector<BalanceRow> covariate_balance(const AnalysisData& data, const Eigen::VectorXd& weight);

struct Estimate;
// Adds the balance rows to e.details["balance"] and a warning naming covariates whose |SMD|
// after adjustment exceeds 0.1.
void attach_balance(const AnalysisData& data, const Eigen::VectorXd& weight, Estimate& e);

}  // namespace causeway
