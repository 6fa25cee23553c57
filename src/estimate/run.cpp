#include "causeway/estimate/run.h"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

#include "core/parallel.h"
#include "estimate/method.h"

namespace causeway {
namespace {

PropensitySummary summarise(const PropensityModel& pm, const AnalysisData& data) {
  PropensitySummary s;
  for (std::size_t j = 0; j < data.x_names.size(); ++j)
    if (std::find(pm.fit_cols.begin(), pm.fit_cols.end(), j) == pm.fit_cols.end())
      s.excluded.push_back(data.x_names[j]);
  // When separation fixed every score, nothing was fitted: no coefficients to show.
  s.coef.assign(pm.coef.data(), pm.coef.data() + pm.coef.size());
  s.names.assign(pm.names.begin(),
                 pm.names.begin() + static_cast<long>(std::min(pm.names.size(), s.coef.size())));
  s.l2 = pm.l2;
  std::tie(s.min_score, s.max_score) =
      value_range(pm.score.data(), static_cast<std::size_t>(pm.score.size()));
  return s;
}

void warn_on_disagreement(EstimationReport& r) {
  for (std::size_t a = 0; a < r.estimates.size(); ++a)
    for (std::size_t b = a + 1; b < r.estimates.size(); ++b) {
      const Estimate &x = r.estimates[a], &y = r.estimates[b];
      if (x.method == "naive" || y.method == "naive") continue;
      if (x.ci_high < y.ci_low || y.ci_high < x.ci_low)
        r.warnings.push_back(fmt::format(
            "{} ({:.4g}) and {} ({:.4g}) disagree beyond their 95 % intervals: at least one "
            "model is misspecified or they estimate different populations",
            x.method, x.estimate, y.method, y.estimate));
    }
}

// In the default method set, matching without replacement and without a caliper is refused when
// the other arm cannot give every focal unit its k matches: greedy matching then pairs the last
// focal units with whatever is left, and the estimate describes neither the target population nor
// a balanced sample (on the retention simulation, 0.32 for a true ATT of 0.035). Asked for by
// name, it runs with warnings, as MatchIt does (case C13).
std::string matching_shortfall(const AnalysisData& data, const EstimateOptions& options) {
  const MatchingOptions& o = options.matching;
  if (o.replace || o.caliper > 0 || options.target == Target::kAte) return "";
  const bool att = options.target == Target::kAtt;
  const std::size_t focal = att ? data.n_treated : data.n_control;
  const std::size_t pool = att ? data.n_control : data.n_treated;
  if (pool >= focal * static_cast<std::size_t>(std::max(o.k, 1))) return "";
  return fmt::format(
      "without replacement, {} {} cannot give {} {} units {} match{} each: the last would be "
      "paired with whatever is left, far from them. Pass --replace (or a --caliper), or name "
      "--method matching to see that estimate with its warnings",
      pool, att ? "controls" : "treated units", focal, att ? "treated" : "control", o.k,
      o.k == 1 ? "" : "es");
}

// The first failure's message, then each further one's, or "fails for the same reason" when it
// says what the first says (most methods share the propensity's positivity check).
Status all_failures(const std::vector<std::pair<std::string, Status>>& failures) {
  const auto& [first_method, first] = failures.front();
  const auto after_name = [](const std::string& method, const Status& s) {
    const std::string& m = s.message();
    return m.starts_with(method) ? m.substr(method.size()) : m;
  };
  std::vector<std::string> others;
  for (std::size_t i = 1; i < failures.size(); ++i) {
    const auto& [method, status] = failures[i];
    others.push_back(after_name(method, status) == after_name(first_method, first)
                         ? method + " fails for the same reason"
                         : status.message());
  }
  if (others.empty()) return first;
  const std::string& m = first.message();
  return Status(first.code(), fmt::format("{}{} Also: {}", m, m.ends_with('.') ? "" : ".",
                                          fmt::join(others, "; ")));
}

EstimationReport run(Table& table, const AnalysisSpec& spec,
                     const std::vector<std::string>& methods, const EstimateOptions& options,
                     bool all_or_nothing) {
  auto prepared = prepare_analysis(std::move(table), spec);
  if (!prepared.ok()) throw Error(prepared.status().code(), prepared.status().message());
  return estimate_all(prepared.value(), methods, options, all_or_nothing);
}

}  // namespace

EstimationReport estimate_all(const AnalysisData& given, const std::vector<std::string>& methods,
                              const EstimateOptions& options, bool all_or_nothing) {
  const auto [low, high] = value_range(given.y.data(), static_cast<std::size_t>(given.y.size()));
  const std::optional<AnalysisData> near_zero = with_outcome_near_zero(given, {low, high});
  const AnalysisData& data = near_zero ? *near_zero : given;
  EstimationReport r;
  r.source = data.source;
  r.treatment = data.treatment;
  r.outcome = data.outcome;
  r.coding = data.coding();
  r.outcome_coding = data.outcome_coding;
  r.rows_read = data.rows_read;
  r.rows_used = data.rows();
  r.rows_dropped = data.rows_dropped;
  r.dropped_rows = data.dropped_rows;
  // The outcome's range, not its size: an effect of 0.7 on timestamps near 1.7e12 is no
  // round-off, and must not print as 0. (A shift leaves it: each value's difference from the
  // midpoint is exact.)
  r.outcome_scale = std::max(high - low, 1e-300);
  r.n_treated = data.n_treated;
  r.n_control = data.n_control;
  r.covariates = data.x_names;
  r.encoding = data.encoding;
  r.warnings = data.warnings;
  if (methods.empty()) throw Error(ErrorCode::kBadInput, "no method given");
  for (const auto& [cols, method, option] : {std::tuple{data.m.cols(), "frontdoor", "--mediators"},
                                             std::tuple{data.z.cols(), "iv", "--instruments"}})
    if (cols > 0 && std::find(methods.begin(), methods.end(), method) == methods.end())
      r.warnings.push_back(
          fmt::format("{} is used only by the {} method, which is not among the methods run: the "
                      "estimates ignore it",
                      option, method));
  for (std::size_t i = 0; i < methods.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (methods[i] == methods[j])
        throw Error(ErrorCode::kBadInput,
                    fmt::format("method '{}' is listed twice in --method", methods[i]));
  for (const auto& m : methods)
    if (std::none_of(causeway::methods().begin(), causeway::methods().end(),
                     [&](const MethodInfo& i) { return i.name == m; }))
      throw Error(ErrorCode::kBadInput,
                  fmt::format("unknown method '{}'; the methods are: {}", m, method_list()));
  std::optional<PropensityModel> pm;
  const auto uses = [](const std::string& m) {
    for (const auto& info : causeway::methods())
      if (info.name == m) return info.uses_propensity;
    return false;
  };
  const bool need = std::any_of(methods.begin(), methods.end(), uses);
  // A failure ends the run with its message, naming the file as every message about the data
  // does, followed by what the data's preparation warned of (a stray code in a flag column, say,
  // is often the failure's cause).
  const auto fail = [&data](const Status& why) {
    std::string message = why.message();
    if (!data.source.empty() && !message.starts_with(data.source))
      message = data.source + ": " + message;
    if (!data.warnings.empty())
      message += fmt::format(". The data had warnings, which may explain it: {}",
                             fmt::join(data.warnings, "; "));
    throw Error(why.code(), message);
  };
  if (need) {
    auto fitted = fit_propensity(data, propensity_options(options));
    if (!fitted.ok() && all_or_nothing) fail(fitted.status());
    if (fitted.ok()) pm = std::move(fitted).value();
  }
  if (pm) {
    r.propensity = summarise(*pm, data);
    for (const auto& w : pm->warnings) r.warnings.push_back(w);
  }
  std::optional<Status> first_failure;
  // Named methods must all answer; when some cannot, the message gives every one's reason.
  std::vector<std::pair<std::string, Status>> named_failures;
  // The last method that reads the propensity may spend its scores (see estimate_effect).
  const auto last_user = std::find_if(methods.rbegin(), methods.rend(), uses);
  for (const auto& m : methods) {
    if (!all_or_nothing && m == "matching") {
      if (const std::string why = matching_shortfall(data, options); !why.empty()) {
        r.refused.emplace_back(m, why);
        if (!first_failure) first_failure = Status(ErrorCode::kNotIdentifiable, why);
        continue;
      }
    }
    const bool last = last_user != methods.rend() && &m == &*last_user;
    auto e =
        estimate_effect(m, data, options, pm ? &*pm : nullptr, pm && last ? &pm->score : nullptr);
    if (e.ok()) {
      r.estimates.push_back(std::move(e).value());
      continue;
    }
    if (e.status().code() == ErrorCode::kInternal) fail(e.status());
    if (all_or_nothing) {
      named_failures.emplace_back(m, e.status());
      continue;
    }
    if (!first_failure) first_failure = e.status();
    r.refused.emplace_back(m, e.status().message());
  }
  if (!named_failures.empty()) fail(all_failures(named_failures));
  if (r.estimates.empty()) fail(*first_failure);
  warn_on_disagreement(r);
  return r;
}

std::vector<std::string> default_methods() {
  return {"naive", "regression", "matching", "ipw", "aipw"};
}

Result<EstimationReport> run_estimation(Table table, const AnalysisSpec& spec,
                                        const std::vector<std::string>& methods,
                                        const EstimateOptions& options, bool all_or_nothing) {
  return guarded([&] { return run(table, spec, methods, options, all_or_nothing); });
}

}  // namespace causeway
