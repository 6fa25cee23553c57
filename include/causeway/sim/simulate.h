// The reference data-generating processes of DESIGN.md, for demos, tests and benchmarks.
//
// retention: motivation ~ N(0,1); P(call) = logistic(0.2 + 1.1 m);
//   P(renew) = logistic(-0.2 + 1.3 m + 0.18 call); columns call, renew, motivation_proxy (= m),
//   and with truth, true_effect = logistic(-0.02 + 1.3 m) - logistic(-0.2 + 1.3 m).
// uplift: motivation, usage_depth ~ N(0,1), tenure_months uniform on 1..47;
//   P(call) = logistic(0.2 + 1.1 m - 0.1 u); tau = 0.30 (tenure < 6), 0.05 (< 18), else -0.02;
//   P(renew) = clip(0.5 + 0.2 m + 0.1 u + tau call, 0.01, 0.99); with truth, true_effect = tau.
// Row i's draws depend only on the seed and i's position, so the same seed gives the same file.
#pragma once

#include <cstdint>
#include <string>

#include "causeway/data/table.h"
#include "causeway/status.h"

namespace causeway {

struct SimulationOptions {
  std::string scenario = "retention";  // retention | uplift
  std::size_t rows = 20000;
  std::uint64_t seed = 42;
  bool with_truth = false;
};

// The simulated table in memory; its source reads "<simulated retention, seed 42>".
Result<Table> simulate(const SimulationOptions& options);

// The sample's true average effects, from a table simulated with_truth (columns call and
// true_effect): the mean true effect over the called customers (ATT) and over all (ATE).
struct SampleTruth {
  double att = 0, ate = 0;
};
Result<SampleTruth> sample_truth(const Table& simulated);

// Streams the simulated rows to a CSV file, written to a temporary name and renamed at the end so
// that a failed run leaves no partial file.
Result<std::size_t> write_simulation(const SimulationOptions& options, const std::string& path);

}  // namespace causeway
