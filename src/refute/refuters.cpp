// The five resampling refuters: placebo, random-common-cause, subset, bootstrap, dummy-outcome.
// The sixth, unobserved-common-cause, is in confounder.cpp.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "causeway/rng.h"
#include "estimate/method.h"
#include "refute/confounder.h"
#include "refute/simulate_estimates.h"

namespace causeway {
namespace {

constexpr double kZ = 1.959963984540054;

double normal_two_sided_p(double z) {
  return std::erfc(std::abs(z) / std::sqrt(2.0));
}

// Share of draws at least as far from `centre` as `value`: (1 + k) / (B + 1).
double tail_share(const std::vector<double>& draws, double centre, double value) {
  const double distance = std::abs(value - centre);
  std::size_t k = 0;
  for (double d : draws) k += std::abs(d - centre) >= distance * (1 - 1e-12);
  return (1.0 + static_cast<double>(k)) / (static_cast<double>(draws.size()) + 1.0);
}

Refutation start(const std::string& name, const std::string& null, const Estimate& original,
                 const Draws& draws, int requested) {
  Refutation r;
  r.name = name;
  r.null_hypothesis = null;
  r.original = original.estimate;
  r.simulations = static_cast<int>(draws.estimate.size());
  r.failed = draws.failed;
  if (draws.estimate.size() >= 2) {
    const Spread s = spread(draws.estimate);
    r.mean = s.mean, r.sd = s.sd, r.low = s.low, r.high = s.high;
    r.has_draws = true;
  }
  // Too many failed simulations leave a biased picture: say so rather than judge.
  if (draws.estimate.size() < 2 || draws.failed * 10 > requested) {
    r.verdict = Verdict::kInconclusive;
    r.reason = fmt::format("{} of {} simulations failed (first: {}); too few to judge",
                           draws.failed, requested, draws.first_failure);
  }
  return r;
}

bool judged(const Refutation& r) {
  return !r.reason.empty();
}

// The simulation p-value: the share of new effects at least as far from `centre` as `value`.
void set_tail_p(Refutation& r, const Draws& draws, double centre, double value) {
  r.p_value = tail_share(draws.estimate, centre, value);
  r.p_text = simulation_p_text(*r.p_value, r.simulations);
}

// A mean new effect that should be 0 and is not, by more than chance over the simulations
// (1.96 standard errors of the mean) and by more than half the original estimate's standard
// error: a bias smaller than that changes no reading of the estimate, however many simulations
// detect it.
bool material_nonzero(const Refutation& r, const Estimate& original) {
  const double mean_se = r.sd / std::sqrt(static_cast<double>(r.simulations));
  return std::abs(r.mean) > kZ * mean_se && std::abs(r.mean) > 0.5 * original.se;
}

AnalysisData permuted_treatment(const AnalysisData& data, std::uint64_t seed) {
  AnalysisData d = data;
  Rng rng(seed);
  for (Eigen::Index i = d.t.size() - 1; i > 0; --i)
    std::swap(d.t[i], d.t[static_cast<Eigen::Index>(rng.below(static_cast<std::uint64_t>(i) + 1))]);
  return d;
}

Refutation placebo(const AnalysisData& data, const std::string& method, const Estimate& original,
                   const EstimateOptions& options, const RefuteOptions& ro) {
  const Draws draws =
      simulate_estimates("placebo", ro.simulations, method, options, ro,
                         [&](std::uint64_t seed) { return permuted_treatment(data, seed); });
  Refutation r = start("placebo",
                       "the estimator returns 0 when the treatment is replaced by a random "
                       "permutation of itself",
                       original, draws, ro.simulations);
  if (judged(r)) return r;
  set_tail_p(r, draws, 0.0, original.estimate);
  const double p = *r.p_value;
  r.p_meaning =
      "the share of placebo effects at least as far from 0 as the original estimate: small "
      "means the estimate stands out from what a random treatment gives";
  r.threshold = fmt::format(
      "fail if the placebo mean is beyond 1.96 standard errors of 0 and over half the original "
      "standard error; pass if not and p <= {}; otherwise inconclusive",
      ro.alpha);
  if (material_nonzero(r, original)) {
    r.verdict = Verdict::kFail;
    r.reason = fmt::format(
        "random treatments give a mean effect of {:.4g}, not 0 (beyond 1.96 standard errors of "
        "the mean, and over half the original's standard error {:.4g}): the method finds "
        "effects in the data's structure alone",
        r.mean, original.se);
  } else if (p <= ro.alpha) {
    r.verdict = Verdict::kPass;
    r.reason = fmt::format(
        "random treatments give effects around 0 (mean {:.4g}, SD {:.4g}) and the estimate "
        "stands out from them",
        r.mean, r.sd);
  } else {
    r.verdict = Verdict::kInconclusive;
    r.reason = fmt::format(
        "random treatments give effects as far from 0 as the estimate ({}): the estimate "
        "cannot be told apart from no effect",
        r.p_text);
  }
  return r;
}

// Random-common-cause, subset and bootstrap share their verdict: the new effects should
// centre on the original estimate.
void judge_stability(Refutation& r, const Estimate& original, bool original_inside_draws) {
  r.threshold = original_inside_draws
                    ? "pass if the original estimate lies inside the new effects' 95 % range"
                    : "pass if the new effects' mean lies inside the original 95 % interval";
  r.p_meaning =
      "the share of new effects at least as far from their mean as the original estimate: "
      "small means the original is atypical of the re-estimates";
  const bool inside = original_inside_draws
                          ? (r.low <= original.estimate && original.estimate <= r.high)
                          : (original.ci_low <= r.mean && r.mean <= original.ci_high);
  if (inside) {
    r.verdict = Verdict::kPass;
    r.reason = original_inside_draws
                   ? fmt::format(
                         "the original estimate lies inside the new effects' 95 % range "
                         "[{:.4g}, {:.4g}]",
                         r.low, r.high)
                   : fmt::format(
                         "the new effects average {:.4g} (SD {:.4g}), inside the original "
                         "95 % interval [{:.4g}, {:.4g}]",
                         r.mean, r.sd, original.ci_low, original.ci_high);
  } else {
    r.verdict = Verdict::kFail;
    r.reason = original_inside_draws
                   ? fmt::format(
                         "the original estimate lies outside the new effects' 95 % range "
                         "[{:.4g}, {:.4g}]",
                         r.low, r.high)
                   : fmt::format(
                         "the new effects average {:.4g}, outside the original 95 % "
                         "interval [{:.4g}, {:.4g}]: the estimate depends on {}",
                         r.mean, original.ci_low, original.ci_high,
                         r.name == "subset" ? "which customers are in the sample"
                                            : "an irrelevant extra covariate");
  }
}

Refutation random_common_cause(const AnalysisData& data, const std::string& method,
                               const Estimate& original, const EstimateOptions& options,
                               const RefuteOptions& ro) {
  const Draws draws = simulate_estimates("random-common-cause", ro.simulations, method, options, ro,
                                         [&](std::uint64_t seed) {
                                           AnalysisData d = data;
                                           Rng rng(seed);
                                           d.x.conservativeResize(Eigen::NoChange, d.x.cols() + 1);
                                           for (Eigen::Index i = 0; i < d.x.rows(); ++i)
                                             d.x(i, d.x.cols() - 1) = rng.normal();
                                           d.x_names.push_back("random_common_cause");
                                           d.x_value_labels.push_back({"", ""});
                                           return d;
                                         });
  Refutation r = start("random-common-cause",
                       "adding an independent random covariate to the common causes leaves the "
                       "estimate unchanged",
                       original, draws, ro.simulations);
  if (judged(r)) return r;
  set_tail_p(r, draws, r.mean, original.estimate);
  // A refuter that reused the original fit would return the original number every time.
  if (std::all_of(draws.estimate.begin(), draws.estimate.end(),
                  [&](double v) { return v == original.estimate; })) {
    r.verdict = Verdict::kInconclusive;
    r.reason =
        "every simulation returned exactly the original estimate: the added covariate never "
        "changed the fit (the method ignores covariates, or the outcome is fixed by them), so "
        "nothing was tested";
    return r;
  }
  judge_stability(r, original, false);
  return r;
}

std::vector<std::size_t> subset_rows(std::size_t n, std::size_t m, std::uint64_t seed) {
  std::vector<std::size_t> rows(n);
  std::iota(rows.begin(), rows.end(), 0);
  Rng rng(seed);
  for (std::size_t i = 0; i < m; ++i) std::swap(rows[i], rows[i + rng.below(n - i)]);
  rows.resize(m);
  std::sort(rows.begin(), rows.end());
  return rows;
}

Refutation subset(const AnalysisData& data, const std::string& method, const Estimate& original,
                  const EstimateOptions& options, const RefuteOptions& ro) {
  const std::size_t m =
      static_cast<std::size_t>(std::llround(ro.subset_fraction * static_cast<double>(data.rows())));
  const Draws draws = simulate_estimates(
      "subset", ro.simulations, method, options, ro,
      [&](std::uint64_t seed) { return subsample(data, subset_rows(data.rows(), m, seed)); });
  Refutation r = start("subset",
                       fmt::format("re-estimating on random {:.0f} % subsets of the rows gives "
                                   "effects centred on the original",
                                   100 * ro.subset_fraction),
                       original, draws, ro.simulations);
  if (judged(r)) return r;
  set_tail_p(r, draws, r.mean, original.estimate);
  judge_stability(r, original, false);
  return r;
}

Refutation bootstrap(const AnalysisData& data, const std::string& method, const Estimate& original,
                     const EstimateOptions& options, const RefuteOptions& ro) {
  const Draws draws = simulate_estimates(
      "bootstrap", ro.simulations, method, options, ro,
      [&](std::uint64_t seed) { return subsample(data, resample_rows(data.rows(), seed)); });
  Refutation r = start("bootstrap",
                       "re-estimating on resamples drawn with replacement gives effects spread "
                       "around the original",
                       original, draws, ro.simulations);
  if (judged(r)) return r;
  set_tail_p(r, draws, r.mean, original.estimate);
  judge_stability(r, original, true);
  return r;
}

Refutation dummy_outcome(const AnalysisData& data, const std::string& method,
                         const Estimate& original, const EstimateOptions& options,
                         const RefuteOptions& ro) {
  const double mean = data.y.mean();
  const double sd = std::sqrt((data.y.array() - mean).square().sum() /
                              std::max<double>(1.0, static_cast<double>(data.rows()) - 1));
  const Draws draws = simulate_estimates(
      "dummy-outcome", ro.simulations, method, options, ro, [&](std::uint64_t seed) {
        AnalysisData d = data;
        Rng rng(seed);
        for (Eigen::Index i = 0; i < d.y.size(); ++i)
          d.y[i] =
              data.binary_outcome ? (rng.bernoulli(mean) ? 1.0 : 0.0) : mean + sd * rng.normal();
        return d;
      });
  Refutation r = start("dummy-outcome",
                       "the estimator returns 0 when the outcome is replaced by noise unrelated "
                       "to the treatment",
                       original, draws, ro.simulations);
  if (judged(r)) return r;
  const double mean_se = r.sd / std::sqrt(static_cast<double>(r.simulations));
  const double p = mean_se > 0 ? normal_two_sided_p(r.mean / mean_se) : (r.mean == 0 ? 1.0 : 0.0);
  r.p_value = p;
  r.p_text = p < 1e-16 ? "p < 1e-16" : fmt::format("p = {:.2g}", p);
  r.p_meaning =
      "a test that the mean effect on a noise outcome is 0: small means the method finds "
      "effects where none exist";
  r.threshold = fmt::format(
      "fail if p <= {} and the mean is over half the original standard error; otherwise pass",
      ro.alpha);
  if (p <= ro.alpha && material_nonzero(r, original)) {
    r.verdict = Verdict::kFail;
    r.reason = fmt::format(
        "a noise outcome gives a mean effect of {:.4g}, not 0 (and over half the original's "
        "standard error {:.4g}): the method manufactures effects",
        r.mean, original.se);
  } else {
    r.verdict = Verdict::kPass;
    r.reason = fmt::format("a noise outcome gives effects around 0 (mean {:.4g}, SD {:.4g})",
                           r.mean, r.sd);
  }
  return r;
}

// Why a refuter cannot test this method's estimate; "" when it can.
std::string not_applicable(const std::string& refuter, const std::string& method) {
  if (method == "naive" &&
      (refuter == "random-common-cause" || refuter == "unobserved-common-cause"))
    return "not applicable: the naive difference uses no covariates, so an added covariate "
           "cannot change it";
  if (method == "iv" && (refuter == "placebo" || refuter == "unobserved-common-cause"))
    return "not applicable to an instrumental estimate: a permuted treatment has no first stage, "
           "and an instrument's estimate does not adjust for common causes";
  if (method == "frontdoor" && refuter == "unobserved-common-cause")
    return "not applicable to a front-door estimate: it does not adjust for common causes of "
           "treatment and outcome";
  return "";
}

}  // namespace

std::vector<std::string> checked_refuters(const RefuteOptions& ro) {
  if (ro.simulations < 20 || ro.simulations > 100000)
    throw Error(ErrorCode::kBadInput,
                "--simulations must be from 20 to 100,000 (below 20 no p-value can reach 0.05)");
  if (!(ro.subset_fraction > 0 && ro.subset_fraction < 1))
    throw Error(ErrorCode::kBadInput, "--subset-fraction must be between 0 and 1");
  std::vector<std::string> names = ro.refuters.empty() ? refuter_names() : ro.refuters;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (std::find(refuter_names().begin(), refuter_names().end(), names[i]) ==
        refuter_names().end())
      throw Error(ErrorCode::kBadInput, fmt::format("unknown refuter '{}'; the refuters are: {}",
                                                    names[i], fmt::join(refuter_names(), ", ")));
    if (std::find(names.begin(), names.begin() + static_cast<long>(i), names[i]) !=
        names.begin() + static_cast<long>(i))
      throw Error(ErrorCode::kBadInput,
                  fmt::format("refuter '{}' is listed twice in --refuters", names[i]));
  }
  for (const auto* grid : {&ro.strength_treatment, &ro.strength_outcome})
    for (double k : *grid)
      if (!(k >= 0 && k < 1))
        throw Error(ErrorCode::kBadInput, "confounder strengths must be from 0 to below 1");
  for (double kt : ro.strength_treatment)
    for (double ky : ro.strength_outcome)
      if (!(kt * kt + ky * ky < 1))
        throw Error(ErrorCode::kBadInput,
                    fmt::format("confounder strengths {} and {}: each must be at least 0 and "
                                "their squares must sum to less than 1",
                                kt, ky));
  return names;
}

const char* verdict_name(Verdict v) {
  switch (v) {
    case Verdict::kPass:
      return "pass";
    case Verdict::kFail:
      return "fail";
    case Verdict::kInconclusive:
      return "inconclusive";
  }
  return "?";
}

const std::vector<std::string>& refuter_names() {
  static const std::vector<std::string> names = {"placebo",       "random-common-cause",
                                                 "subset",        "bootstrap",
                                                 "dummy-outcome", "unobserved-common-cause"};
  return names;
}

Result<std::vector<Refutation>> refute(const AnalysisData& data, const std::string& method,
                                       const Estimate& original, const EstimateOptions& options,
                                       const RefuteOptions& ro) {
  return guarded([&] {
    const std::vector<std::string> names = checked_refuters(ro);
    std::vector<Refutation> out;
    for (const auto& n : names) {
      if (const std::string why = not_applicable(n, method); !why.empty()) {
        Refutation r;
        r.name = n;
        r.original = original.estimate;
        r.verdict = Verdict::kInconclusive;
        r.reason = why;
        out.push_back(std::move(r));
        continue;
      }
      if (n == "placebo") out.push_back(placebo(data, method, original, options, ro));
      if (n == "random-common-cause")
        out.push_back(random_common_cause(data, method, original, options, ro));
      if (n == "subset") out.push_back(subset(data, method, original, options, ro));
      if (n == "bootstrap") out.push_back(bootstrap(data, method, original, options, ro));
      if (n == "dummy-outcome") out.push_back(dummy_outcome(data, method, original, options, ro));
      if (n == "unobserved-common-cause")
        out.push_back(unobserved_common_cause(data, method, original, options, ro));
    }
    return out;
  });
}

}  // namespace causeway
