// The subcommands. Each returns normally on success and throws causeway::Error on failure;
// main() turns the error into a message and an exit code.
#pragma once

#include "options.h"

namespace causeway::cli {

void run_simulate(const SimulateArgs& args);
void run_estimate(const EstimateArgs& args);
// Per-customer effects from the causal forest: scores file, average effect, deciles.
void run_uplift(const UpliftArgs& args);
// Scores new customers with a model saved by `uplift --save-model`.
void run_score(const ScoreArgs& args);
// Estimates with one method (default aipw), runs the refuters and the sensitivity figures.
void run_refute(const RefuteArgs& args);
void run_describe(const DescribeArgs& args);
// Overlap of the propensity scores and covariate balance before and after adjustment.
void run_diagnose(const DiagnoseArgs& args);
// Prints the identification; not identifiable ends in Error(kNotIdentifiable) after the printout.
void run_identify(const IdentifyArgs& args);
// Interaction records to a per-customer table, optionally joined with outcomes.
void run_signals(const SignalsArgs& args);
// Scores to a REST API; returns the exit code: 0 when every row is delivered, 4 otherwise.
int run_push(const PushArgs& args);
// Model, identify, estimate, refute and a verdict; with no data file, on the retention
// simulation (20,000 rows, seed 42) with its true effect. Returns the exit code: 0 for a
// completed analysis whatever the verdict, 3 for FRAGILE with --fail-on-fragile.
int run_analyze(RefuteArgs args);

}  // namespace causeway::cli
