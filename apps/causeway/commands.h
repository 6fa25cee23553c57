// The subcommands. Each returns normally on success and throws causeway::Error on failure;
// main() turns the error into a message and an exit code.
#pragma once

#include "options.h"

namespace causeway::cli {

void run_simulate(const SimulateArgs& args);
void run_estimate(const EstimateArgs& args);
// Estimates with one method (default aipw), runs the refuters and the sensitivity figures.
void run_refute(const RefuteArgs& args);
void run_describe(const DescribeArgs& args);
// Prints the identification; not identifiable ends in Error(kNotIdentifiable) after the printout.
void run_identify(const IdentifyArgs& args);
// With no data file, simulates the retention process (20,000 rows, seed 42) and adds the truth.
void run_analyze(EstimateArgs args);

}  // namespace causeway::cli
