// Bootstrap standard errors. Replicate i resamples rows with Rng(seed + i) and reruns the whole
// method, propensity fit included; results land in slot i, so the thread count cannot change
// them. A replicate that fails (a resample without one arm, a separated fit) is counted and
// reported, never silently replaced.
#include <fmt/format.h>
#include <omp.h>

#include <algorithm>
#include <cmath>

#include "causeway/rng.h"
#include "core/spread.h"
#include "core/stop.h"
#include "estimate/method.h"

namespace causeway {

std::vector<std::size_t> resample_rows(std::size_t n, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<std::size_t> rows(n);
  for (auto& r : rows) r = rng.below(n);
  return rows;
}

void bootstrap_interval(Estimate& point, MethodFunction method, bool uses_propensity,
                        const AnalysisData& data, const EstimateOptions& options) {
  const int b = options.bootstrap;
  std::vector<double> value(static_cast<std::size_t>(b), NAN);
  std::vector<std::string> failure(static_cast<std::size_t>(b));
  EstimateOptions inner = options;
  inner.bootstrap = 0;
  const int threads = options.threads > 0 ? options.threads : omp_get_max_threads();
#pragma omp parallel for schedule(dynamic) num_threads(threads)
  for (int i = 0; i < b; ++i) {
    if (stop_requested()) continue;
    try {
      EstimateOptions own = inner;
      own.seed = options.seed + static_cast<std::uint64_t>(i);
      const AnalysisData sample = subsample(data, resample_rows(data.rows(), own.seed));
      if (sample.n_treated < 2 || sample.n_control < 2)
        throw Error(ErrorCode::kNotIdentifiable, "a resample has fewer than 2 units in an arm");
      std::optional<PropensityModel> pm;
      if (uses_propensity) pm = require_propensity(sample, own);
      const Estimate e = method({sample, pm ? &*pm : nullptr, own});
      value[static_cast<std::size_t>(i)] = e.estimate;
    } catch (const std::exception& ex) {
      failure[static_cast<std::size_t>(i)] = ex.what();
    }
  }
  throw_if_stopped();
  std::vector<double> ok;
  std::string first_failure;
  for (int i = 0; i < b; ++i) {
    if (std::isfinite(value[static_cast<std::size_t>(i)]))
      ok.push_back(value[static_cast<std::size_t>(i)]);
    else if (first_failure.empty())
      first_failure = failure[static_cast<std::size_t>(i)];
  }
  const std::size_t failed = static_cast<std::size_t>(b) - ok.size();
  if (ok.size() < 2 || failed * 10 > static_cast<std::size_t>(b))
    throw Error(ErrorCode::kNotIdentifiable,
                fmt::format("{}: {} of {} bootstrap replicates failed (first: {}); the bootstrap "
                            "interval would be biased. Use the analytic interval (--bootstrap 0)",
                            point.method, failed, b, first_failure));
  const Spread s = spread(ok);
  point.details["se_analytic"] = point.se;
  point.se = s.sd;
  point.ci_low = s.low;
  point.ci_high = s.high;
  point.se_method = fmt::format("bootstrap, {} replicates (percentile interval)", ok.size());
  point.details["bootstrap_replicates"] = ok.size();
  if (failed > 0)
    point.warnings.push_back(
        fmt::format("{} of {} bootstrap replicates failed and were left "
                    "out (first: {})",
                    failed, b, first_failure));
}

}  // namespace causeway
