// Refutation: trying to break an estimate before anyone acts on it.
//
// Each refuter changes the data in a way whose effect on a sound estimate is known (a placebo
// treatment should give 0, a random extra covariate should change nothing, ...), re-runs the
// whole estimation on the changed data -- the propensity model refitted, nothing cached from the
// original fit -- `simulations` times in parallel (replicate i seeded with seed + i, results in
// slot i, so the thread count cannot change them), and compares what it gets with what it
// should get. Every result says what it tests, how many simulations ran, a p-value with its
// resolution, and a verdict: pass (no evidence of a problem), fail (the refuter found one) or
// inconclusive, with one sentence of why. None of them tests whether the effect differs from 0.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "causeway/data/analysis_data.h"
#include "causeway/estimate/estimate.h"
#include "causeway/status.h"

namespace causeway {

enum class Verdict { kPass, kFail, kInconclusive };
const char* verdict_name(Verdict v);  // "pass", "fail", "inconclusive"

struct RefuteOptions {
  std::vector<std::string> refuters;  // empty: every refuter (refuter_names())
  int simulations = 100;
  double subset_fraction = 0.8;
  double alpha = 0.05;  // the threshold of every p-value
  // unobserved-common-cause: partial correlations of the simulated confounder with the
  // treatment and with the outcome (given the common causes); the grid is every pair. Empty:
  // 0.05, 0.1, 0.2, 0.3 and the strongest measured covariate's own values, leaving out pairs
  // whose squares sum to 1 or more (no such confounder exists).
  std::vector<double> strength_treatment, strength_outcome;
  // Called after each finished simulation with (refuter, done, total); may be empty.
  std::function<void(const std::string&, int, int)> progress;
};

struct ConfounderCell {
  double strength_treatment = 0, strength_outcome = 0;
  double effect = 0, ci_low = 0, ci_high = 0;  // means over the cell's simulations
  bool erased = false;                         // the interval reaches 0 or the sign flips
};

struct Refutation {
  std::string name;
  std::string null_hypothesis;  // what a sound estimate does under this change, in words
  double original = 0;
  int simulations = 0, failed = 0;
  bool has_draws = false;  // false: too few simulations finished; mean and spread are not known
  double mean = 0, sd = 0, low = 0, high = 0;  // the new effects: mean, SD, 2.5 and 97.5 %
  std::optional<double> p_value;
  std::string p_text;  // "p = 0.0099 (smallest attainable with B = 100)"
  std::string p_meaning;
  std::string threshold;  // the rule the verdict applied, in words
  Verdict verdict = Verdict::kInconclusive;
  std::string reason;
  std::vector<ConfounderCell> grid;  // unobserved-common-cause only
  // The strongest partial correlations an observed covariate has with treatment and outcome:
  // the scale on which a hidden confounder's strength is judged.
  double benchmark_treatment = 0, benchmark_outcome = 0;
};

// Names in the order they run.
const std::vector<std::string>& refuter_names();

// The refuters to run, with every option checked (so a bad grid fails before any estimation);
// throws Error(kBadInput).
std::vector<std::string> checked_refuters(const RefuteOptions& refute_options);

// Runs the refuters on `method`'s estimate `original` (computed on `data` with `options`).
Result<std::vector<Refutation>> refute(const AnalysisData& data, const std::string& method,
                                       const Estimate& original, const EstimateOptions& options,
                                       const RefuteOptions& refute_options);

}  // namespace causeway
