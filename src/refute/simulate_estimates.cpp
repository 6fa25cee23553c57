#include "refute/simulate_estimates.h"

#include <fmt/format.h>
#include <omp.h>

#include <algorithm>
#include <atomic>
#include <cmath>

#include "core/stop.h"

namespace causeway {

Draws simulate_estimates(const std::string& refuter, int count, const std::string& method,
                         const EstimateOptions& options, const RefuteOptions& refute_options,
                         const std::function<AnalysisData(std::uint64_t seed)>& make) {
  const std::size_t n = static_cast<std::size_t>(count);
  std::vector<double> est(n, NAN), low(n, NAN), high(n, NAN);
  std::vector<std::string> failure(n);
  EstimateOptions inner = options;
  inner.bootstrap = -1;  // point estimates and analytic intervals: the simulations are the spread
  inner.threads = 1;     // the simulations are the parallel unit
  const int threads = options.threads > 0 ? options.threads : omp_get_max_threads();
  std::atomic<int> done{0};
#pragma omp parallel for schedule(dynamic) num_threads(threads)
  for (int i = 0; i < count; ++i) {
    if (stop_requested()) continue;
    const auto k = static_cast<std::size_t>(i);
    try {
      EstimateOptions own = inner;
      own.seed = options.seed + static_cast<std::uint64_t>(i);
      const AnalysisData data = make(own.seed);
      auto e = estimate_effect(method, data, own);
      if (!e.ok()) throw Error(e.status().code(), e.status().message());
      // A risk difference beyond [-1, 1] is no estimate at all (extreme weights in a tiny
      // resample): counted as a failed simulation, not averaged in.
      if (data.binary_outcome && std::abs(e.value().estimate) > 1)
        throw Error(ErrorCode::kNumericalFailure,
                    fmt::format("an impossible risk difference {:.4g} on a 0/1 outcome",
                                e.value().estimate));
      est[k] = e.value().estimate;
      low[k] = e.value().ci_low;
      high[k] = e.value().ci_high;
    } catch (const std::exception& ex) {
      failure[k] = ex.what();
    }
    const int finished = ++done;
    if (refute_options.progress) {
#pragma omp critical(causeway_refute_progress)
      refute_options.progress(refuter, finished, count);
    }
  }
  throw_if_stopped();
  Draws d;
  for (std::size_t k = 0; k < n; ++k) {
    if (std::isfinite(est[k])) {
      d.estimate.push_back(est[k]);
      d.ci_low.push_back(low[k]);
      d.ci_high.push_back(high[k]);
    } else {
      if (d.failed++ == 0) d.first_failure = failure[k];
    }
  }
  return d;
}

std::string simulation_p_text(double p, int b) {
  const double smallest = 1.0 / (b + 1);
  if (p <= smallest * (1 + 1e-12))
    return fmt::format("p = {:.2g} (smallest attainable with B = {})", smallest, b);
  return fmt::format("p = {:.2g}", p);
}

}  // namespace causeway
