#include "causeway/refute/run.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>

#include "causeway/estimate/balance.h"

namespace causeway {

void judge(RefutationReport& r) {
  r.reasons.clear();
  const Estimate& e = r.estimation.estimates.front();
  const bool null_estimate = e.ci_low <= 0 && e.ci_high >= 0;
  for (const auto& x : r.refutations)
    if (x.verdict == Verdict::kFail) r.reasons.push_back(fmt::format("{}: {}", x.name, x.reason));
  // An adjustment that left the arms apart compares units that still differ: no check of the
  // estimate's stability makes up for that.
  if (const auto balance = e.details.find("balance"); balance != e.details.end()) {
    std::vector<std::string> apart;
    for (const auto& row : *balance)
      if (std::abs(row.value("smd_after", 0.0)) > kImbalancedSmd)
        apart.push_back(fmt::format("{} ({:.2f})", row.value("covariate", std::string("?")),
                                    row.value("smd_after", 0.0)));
    if (!apart.empty())
      r.reasons.push_back(fmt::format(
          "balance: after adjustment the arms still differ on {} (standardised mean difference "
          "above 0.1), so the estimate compares unlike units",
          fmt::join(apart, ", ")));
  }
  // Erasing an estimate whose interval already includes 0 says nothing.
  if (r.sensitivity.robustness && !null_estimate)
    for (const auto& b : r.sensitivity.robustness->benchmarks)
      if (b.k_erase && *b.k_erase <= 1)
        r.reasons.push_back(fmt::format(
            "sensitivity: a hidden confounder {:.2g} times as strong as '{}' (with treatment and "
            "outcome) would erase the regression estimate, and '{}' is one of the measured "
            "covariates",
            *b.k_erase, b.covariate, b.covariate));
  r.verdict = r.reasons.empty() ? "ROBUST" : "FRAGILE";
  const std::string number = fmt::format("the {} estimate {:.4g} [95 % interval {:.4g} to {:.4g}]",
                                         e.method, e.estimate, e.ci_low, e.ci_high);
  if (!r.reasons.empty()) {
    r.reasons.insert(r.reasons.begin(), fmt::format("{}: some checks found a problem", number));
    r.reasons.push_back(
        "the estimate rests on the assumption that no unmeasured variable affects both the "
        "treatment and the outcome (given the common causes); the checks above say that "
        "assumption carries its whole weight");
    return;
  }
  std::vector<std::string> passed, open;
  for (const auto& x : r.refutations)
    (x.verdict == Verdict::kPass ? passed : open).push_back(x.name);
  r.reasons.push_back(fmt::format(
      "{}: no check found a problem (passed: {}{})", number,
      passed.empty() ? "none" : fmt::format("{}", fmt::join(passed, ", ")),
      open.empty() ? "" : fmt::format("; could not decide: {}", fmt::join(open, ", "))));
  if (null_estimate)
    r.reasons.push_back(
        "the interval includes 0: the data show no clear effect, and the checks found nothing "
        "wrong with that reading");
}

Result<RefutationReport> run_refutation(const AnalysisData& given, const std::string& method,
                                        const EstimateOptions& options,
                                        const RefuteOptions& refute_options) {
  return guarded([&] {
    const std::optional<AnalysisData> near_zero = with_outcome_near_zero(given);
    const AnalysisData& data = near_zero ? *near_zero : given;
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
