// One estimation run: several methods on one analysis sample, with everything a reader needs to
// judge the numbers (data used and dropped, encodings, propensity model, warnings).
//
// With `all_or_nothing` (the user named the methods), run_estimation() fails as a whole, with the
// first failing method's Status: a partial table would invite reading what remains as complete.
// Otherwise (the default set) a method that cannot answer is listed in `refused` with its reason,
// and the run fails only when none can answer.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "causeway/data/analysis_data.h"
#include "causeway/data/table.h"
#include "causeway/estimate/estimate.h"

namespace causeway {

struct PropensitySummary {
  std::vector<std::string> names;
  std::vector<double> coef;
  std::vector<std::string> excluded;  // covariates left out of the fit (their units separated)
  double l2 = 0;
  double min_score = 0, max_score = 0;
};

struct EstimationReport {
  std::string source, treatment, outcome, coding;
  std::string outcome_coding;  // "1 = Yes" for a boolean outcome spelled in words, else ""
  std::size_t rows_read = 0, rows_used = 0, rows_dropped = 0;
  std::vector<std::string> dropped_rows;
  std::size_t n_treated = 0, n_control = 0;
  double outcome_scale = 1;             // the outcome's range, for judging round-off
  std::vector<std::string> covariates;  // encoded names
  std::vector<std::string> encoding;
  std::optional<PropensitySummary> propensity;
  std::vector<Estimate> estimates;
  // Methods that could not answer, with the reason, when the run continues past them.
  std::vector<std::pair<std::string, std::string>> refused;
  std::vector<std::string> warnings;         // data, propensity and cross-method warnings
  std::vector<std::string> identification;   // with a graph: what it decided and why
  std::optional<double> true_att, true_ate;  // known only for simulated data
};

// Methods run by default, in order.
std::vector<std::string> default_methods();

// The methods on an analysis sample already prepared; throws Error like run_estimation fails.
EstimationReport estimate_all(const AnalysisData& data, const std::vector<std::string>& methods,
                              const EstimateOptions& options, bool all_or_nothing = true);

// Takes the table by value and releases it once the analysis sample is built (a large table need
// not be held twice); pass std::move(table) when the caller no longer needs it.
Result<EstimationReport> run_estimation(Table table, const AnalysisSpec& spec,
                                        const std::vector<std::string>& methods,
                                        const EstimateOptions& options, bool all_or_nothing = true);

}  // namespace causeway
