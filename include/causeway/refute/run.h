// One refutation run: estimate with one method, try to break the estimate with every refuter,
// measure its sensitivity to hidden confounding, and say in one word whether to believe it.
#pragma once

#include <string>
#include <vector>

#include "causeway/data/table.h"
#include "causeway/estimate/run.h"
#include "causeway/refute/refute.h"
#include "causeway/refute/sensitivity.h"

namespace causeway {

struct RefutationReport {
  EstimationReport estimation;  // the one method's estimate, with the data it used
  std::vector<Refutation> refutations;
  Sensitivity sensitivity;
  std::uint64_t seed = 0;
  double alpha = 0.05;
  // ROBUST (no check found a problem) or FRAGILE (some did: `reasons` says which, and which
  // assumption carries the weight).
  std::string verdict;
  std::vector<std::string> reasons;
};

// The verdict from the refutations and sensitivity figures (filled into report.verdict/reasons).
void judge(RefutationReport& report);

Result<RefutationReport> run_refutation(const AnalysisData& data, const std::string& method,
                                        const EstimateOptions& options,
                                        const RefuteOptions& refute_options);

}  // namespace causeway
