#include "causeway/refute/run.h"

#include <fmt/format.h>

namespace causeway {

void judge(RefutationReport& r) {
  r.reasons.clear();
  for (const auto& x : r.refutations)
    if (x.verdict == Verdict::kFail) r.reasons.push_back(fmt::format("{}: {}", x.name, x.reason));
  if (r.sensitivity.robustness)
    for (const auto& b : r.sensitivity.robustness->benchmarks)
      if (b.k_erase && *b.k_erase <= 1)
        r.reasons.push_back(fmt::format(
            "sensitivity: a hidden confounder {:.2g} times as strong as '{}' (with treatment and "
            "outcome) would erase the estimate, and '{}' is one of the measured covariates",
            *b.k_erase, b.covariate, b.covariate));
  r.verdict = r.reasons.empty() ? "ROBUST" : "FRAGILE";
  if (!r.reasons.empty())
    r.reasons.push_back(
        "the estimate rests on the assumption that no unmeasured variable affects both the "
        "treatment and the outcome (given the common causes); the checks above say that "
        "assumption carries its whole weight");
}

Result<RefutationReport> run_refutation(const AnalysisData& data, const std::string& method,
                                        const EstimateOptions& options,
                                        const RefuteOptions& refute_options) {
  return guarded([&] {
    RefutationReport r;
    r.seed = options.seed;
    r.alpha = refute_options.alpha;
    r.estimation = estimate_all(data, {method}, options, true);
    const Estimate& original = r.estimation.estimates.front();
    auto refuted = refute(data, method, original, options, refute_options);
    if (!refuted.ok()) throw Error(refuted.status().code(), refuted.status().message());
    r.refutations = std::move(refuted).value();
    r.sensitivity = sensitivity(data, method, original, options);
    judge(r);
    return r;
  });
}

}  // namespace causeway
