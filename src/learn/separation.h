// Finding the separation a single covariate causes in a propensity model.
#pragma once

#include <vector>

#include "causeway/learn/propensity.h"

namespace causeway {

struct SeparationScan {
  std::vector<SeparationFinding> findings;
  std::vector<std::uint32_t> active_rows;  // rows left for the logistic fit
  std::vector<std::size_t> active_cols;    // covariates left (non-constant on active rows)
};

// With fix = true, rows a finding explains leave the fit and the scan repeats on the rest (a
// finding can expose another); with fix = false, findings are only reported.
SeparationScan scan_separation(const AnalysisData& data, bool fix);

}  // namespace causeway
