#include "causeway/estimate/estimate.h"

#include <fmt/format.h>

#include <cctype>

#include "core/parallel.h"
#include "estimate/method.h"

namespace causeway {
namespace {

struct Registered {
  MethodInfo info;
  MethodFunction function;
};

const std::vector<Registered>& registry() {
  static const std::vector<Registered> table = {
      {{"naive", "difference in mean outcome, treated minus control", false}, estimate_naive},
      {{"regression", "OLS coefficient of the treatment with the common causes", false},
       estimate_regression},
      {{"matching", "nearest-neighbour matching on the propensity score", true}, estimate_matching},
      {{"stratification", "propensity-score strata (subclassification)", true},
       estimate_stratification},
      {{"ipw", "inverse propensity weighting, normalised (Hajek)", true}, estimate_ipw},
      {{"aipw", "doubly robust AIPW with cross-fitting", true}, estimate_aipw},
      {{"frontdoor", "front-door adjustment through mediators, two linear stages", false, 500},
       estimate_frontdoor},
      {{"iv", "instrumental variables: Wald ratio or two-stage least squares", false}, estimate_iv},
  };
  return table;
}

constexpr std::size_t kSmallArm = 20;

void check_finite(const Estimate& e) {
  if (std::isfinite(e.estimate) && std::isfinite(e.se)) return;
  throw Error(ErrorCode::kInternal,
              fmt::format("{} produced a non-finite {}; this is a bug in causeway, please report "
                          "it with the input",
                          e.method, std::isfinite(e.estimate) ? "standard error" : "estimate"));
}

}  // namespace

const char* target_name(Target target) {
  switch (target) {
    case Target::kAtt:
      return "att";
    case Target::kAtc:
      return "atc";
    case Target::kAte:
      return "ate";
  }
  return "?";
}

std::string target_label(Target target) {
  std::string label = target_name(target);
  for (char& c : label) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return label;
}

std::optional<Target> parse_target(const std::string& name) {
  if (name == "att") return Target::kAtt;
  if (name == "atc") return Target::kAtc;
  if (name == "ate") return Target::kAte;
  return std::nullopt;
}

const std::vector<MethodInfo>& methods() {
  static const std::vector<MethodInfo> infos = [] {
    std::vector<MethodInfo> out;
    for (const auto& r : registry()) out.push_back(r.info);
    return out;
  }();
  return infos;
}

std::string method_list() {
  std::string out;
  for (const auto& m : methods()) out += (out.empty() ? "" : ", ") + m.name;
  return out;
}

void set_normal_interval(Estimate& e) {
  constexpr double z = 1.959963984540054;
  e.ci_low = e.estimate - z * e.se;
  e.ci_high = e.estimate + z * e.se;
}

PropensityOptions propensity_options(const EstimateOptions& options) {
  PropensityOptions po = options.propensity;
  po.threads = options.threads;
  return po;
}

PropensityModel require_propensity(const AnalysisData& data, const EstimateOptions& options) {
  auto fitted = fit_propensity(data, propensity_options(options));
  if (!fitted.ok()) throw Error(fitted.status().code(), fitted.status().message());
  return std::move(fitted).value();
}

Result<Estimate> estimate_effect(const std::string& method, const AnalysisData& data,
                                 const EstimateOptions& options, const PropensityModel* propensity,
                                 Eigen::VectorXd* spent_scores) {
  return guarded([&]() -> Estimate {
    const Registered* found = nullptr;
    for (const auto& r : registry())
      if (r.info.name == method) found = &r;
    if (!found)
      throw Error(ErrorCode::kBadInput,
                  fmt::format("unknown method '{}'; the methods are: {}", method, method_list()));
    if (data.n_treated < 2 || data.n_control < 2)
      throw Error(ErrorCode::kNotIdentifiable,
                  fmt::format("{}{}: an estimate with an interval needs at least 2 units in "
                              "each arm; the sample has {} treated and {} control",
                              data.source.empty() ? "" : data.source + ": ", method, data.n_treated,
                              data.n_control));
    std::optional<PropensityModel> own;
    if (found->info.uses_propensity && !propensity) {
      own = require_propensity(data, options);
      propensity = &*own;
    }
    Estimate e = found->function({data, propensity, options, nullptr, nullptr, spent_scores});
    e.method = method;
    if (options.bootstrap > 0 || (options.bootstrap == 0 && found->info.default_bootstrap > 0)) {
      EstimateOptions boot = options;
      if (boot.bootstrap == 0) boot.bootstrap = found->info.default_bootstrap;
      bootstrap_interval(e, found->function, found->info.uses_propensity, data, boot);
      if (method == "matching" && options.matching.replace)
        e.warnings.push_back(
            "the bootstrap is not a valid interval for nearest-neighbour matching with "
            "replacement (Abadie and Imbens, 2008): its resamples repeat units, which changes "
            "who is nearest; drop --bootstrap for the Abadie-Imbens standard error");
    }
    check_finite(e);
    // (a 0/1 outcome's range is known: no pass over a million outcomes for it)
    const auto [low, high] =
        data.binary_outcome ? std::pair{0.0, 1.0}
                            : value_range(data.y.data(), static_cast<std::size_t>(data.y.size()));
    if (e.se <= 1e-10 * std::max(std::abs(low), std::abs(high)))
      e.warnings.push_back(
          "the standard error is 0: the differences this method averages do not vary (with "
          "so few units, or outcomes this coarse, that can happen by chance), so the interval "
          "says nothing about uncertainty");
    // On a 0/1 outcome every effect is a difference of two probabilities.
    if (data.binary_outcome && std::abs(e.estimate) > 1)
      e.warnings.push_back(fmt::format(
          "the estimate {:.4g} is an impossible risk difference for a 0/1 outcome (outside -1 "
          "to 1): a few units with extreme weights or fits decide it; do not use it: pass "
          "--trim 0.05, or rely on another method",
          e.estimate));
    if (e.n_treated < kSmallArm || e.n_control < kSmallArm)
      e.warnings.push_back(
          fmt::format("small sample ({} treated, {} control units used): "
                      "normal-approximation intervals may cover the truth less "
                      "often than 95 %",
                      e.n_treated, e.n_control));
    return e;
  });
}

}  // namespace causeway
