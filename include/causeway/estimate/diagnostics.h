// Diagnostics: where an adjusted comparison is weak, before any effect is read from it.
//
// Overlap: how the propensity scores of the two arms spread (histogram counts per arm), the
// common support, units with extreme scores, covariate levels one arm never has (positivity
// violations, named), and the trimming bound of Crump, Hotz, Imbens and Mitnik (2009).
// Balance: for every covariate, and every level of a categorical one, the standardised mean
// difference and variance ratio before adjustment, in the matched sample and under inverse
// propensity weighting, with the effective sample size of each weighted arm.
// Thread-safe; numbers are never NaN: what cannot be computed is absent, with the reason.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "causeway/data/analysis_data.h"
#include "causeway/estimate/estimate.h"
#include "causeway/status.h"

namespace causeway {

struct OverlapDiagnostics {
  // Histogram of the scores: bins of width 1 / counts.size() over [0, 1]; index 1 treated.
  std::vector<std::size_t> counts[2];
  double min_score[2] = {0, 0}, max_score[2] = {0, 0};
  // Common support: from the larger of the arms' smallest scores to the smaller of their
  // largest; units per arm outside it.
  double support_low = 0, support_high = 1;
  std::size_t outside_support[2] = {0, 0};
  // Units per arm with a score below `extreme` or above 1 - `extreme`.
  double extreme = 0.05;
  std::size_t below[2] = {0, 0}, above[2] = {0, 0};
  // Crump et al.'s rule: keep units with scores in [alpha, 1 - alpha]; 0 when every unit may
  // stay. `trimmed`: units per arm the rule drops.
  double crump_alpha = 0;
  std::size_t crump_trimmed[2] = {0, 0};
  // Covariate levels (and 0/1 columns) that no treated or no control unit has:
  // "no treated customer has region = north (6 control customers do)".
  std::vector<std::string> violations;
};

// One covariate's balance; after-adjustment figures are empty when that adjustment failed.
struct BalanceDiagnostic {
  std::string covariate;  // "age", "plan = basic"
  double mean_treated = 0, mean_control = 0;
  double smd_before = 0;
  std::optional<double> variance_ratio_before;  // empty when the control arm does not vary
  std::optional<double> smd_matched, variance_ratio_matched;
  std::optional<double> smd_weighted, variance_ratio_weighted;
  bool flagged = false;  // |SMD| > 0.1 or variance ratio outside [0.5, 2], anywhere
};

struct DiagnosticsReport {
  std::string source, treatment, outcome, coding;
  std::size_t rows_used = 0, rows_dropped = 0, n_treated = 0, n_control = 0;
  Target target = Target::kAtt;               // of the matching and the weights
  std::vector<std::string> propensity_terms;  // covariates in the propensity model
  OverlapDiagnostics overlap;
  std::vector<BalanceDiagnostic> balance;
  std::string matching;   // how the matched sample was built, or why it could not be
  std::string weighting;  // the weights, or why they could not be used
  bool matched = false, weighted = false;
  double effective_size[2] = {0, 0};  // per arm under the weights: (sum w)^2 / sum w^2
  std::vector<std::string> warnings;
};

// Crump, Hotz, Imbens and Mitnik's trimming bound alpha for propensity scores `score`: keep the
// units with scores in [alpha, 1 - alpha]; 0 when every unit may stay.
double crump_trim_bound(const Eigen::VectorXd& score);

// Diagnostics of `data` with the options of an estimation run (target, matching options,
// --trim for the weights, propensity options). Fails only when the propensity model cannot be
// fitted at all.
Result<DiagnosticsReport> diagnose(const AnalysisData& data, const EstimateOptions& options);

}  // namespace causeway
