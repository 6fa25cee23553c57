// The engine every refuter shares: change the data, re-estimate from scratch, many times.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "causeway/refute/refute.h"
#include "core/spread.h"

namespace causeway {

struct Draws {
  std::vector<double> estimate, ci_low, ci_high;  // per finished simulation, in seed order
  int failed = 0;
  std::string first_failure;
};

// Runs `count` simulations: simulation i builds its data with make(seed + i) and re-runs
// `method` on it with no propensity model passed in, so the model is always refitted. Runs in
// parallel; slot i holds simulation i whatever the thread count. A simulation that throws is
// counted in `failed` and left out.
Draws simulate_estimates(const std::string& refuter, int count, const std::string& method,
                         const EstimateOptions& options, const RefuteOptions& refute_options,
                         const std::function<AnalysisData(std::uint64_t seed)>& make);

// "p = 0.23", or at the smallest attainable value "p = 0.0099 (smallest attainable with B = 100)".
std::string simulation_p_text(double p, int b);

}  // namespace causeway
