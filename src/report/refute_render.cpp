// The refutation printout: a line per refuter, what each one tests and means, the sensitivity
// figures and the verdict.
#include <fmt/format.h>

#include "causeway/report/report.h"
#include "core/text.h"

namespace causeway {
namespace {

constexpr std::size_t kWidth = 98;

std::string upper(const char* s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

nlohmann::json to_json(const Refutation& r) {
  nlohmann::json j = {{"name", r.name},
                      {"null_hypothesis", r.null_hypothesis},
                      {"original", r.original},
                      {"simulations", r.simulations},
                      {"failed_simulations", r.failed},
                      {"new_effect", r.has_draws ? nlohmann::json(r.mean) : nlohmann::json()},
                      {"new_effect_sd", r.has_draws ? nlohmann::json(r.sd) : nlohmann::json()},
                      {"new_effect_low", r.has_draws ? nlohmann::json(r.low) : nlohmann::json()},
                      {"new_effect_high", r.has_draws ? nlohmann::json(r.high) : nlohmann::json()},
                      {"p_value", r.p_value ? nlohmann::json(*r.p_value) : nlohmann::json()},
                      {"p_text", r.p_text},
                      {"p_meaning", r.p_meaning},
                      {"threshold", r.threshold},
                      {"verdict", verdict_name(r.verdict)},
                      {"reason", r.reason}};
  if (!r.grid.empty()) {
    j["benchmark_treatment"] = r.benchmark_treatment;
    j["benchmark_outcome"] = r.benchmark_outcome;
    for (const auto& c : r.grid)
      j["grid"].push_back({{"strength_treatment", c.strength_treatment},
                           {"strength_outcome", c.strength_outcome},
                           {"effect", c.effect},
                           {"ci_low", c.ci_low},
                           {"ci_high", c.ci_high},
                           {"erased", c.erased}});
  }
  return j;
}

std::string grid_table(const Refutation& r) {
  std::vector<double> ts, ys;
  for (const auto& c : r.grid) {
    if (std::find(ts.begin(), ts.end(), c.strength_treatment) == ts.end())
      ts.push_back(c.strength_treatment);
    if (std::find(ys.begin(), ys.end(), c.strength_outcome) == ys.end())
      ys.push_back(c.strength_outcome);
  }
  std::string out = fmt::format("    {:<22}", "with treatment \\ outcome");
  for (double y : ys) out += fmt::format("{:>12.3g}", y);
  out += "\n";
  for (double t : ts) {
    out += fmt::format("    {:<22.3g}", t);
    for (double y : ys) {
      std::string cell = "-";
      for (const auto& c : r.grid)
        if (c.strength_treatment == t && c.strength_outcome == y)
          cell = fmt::format("{:.4g}{}", c.effect, c.erased ? "*" : "");
      out += fmt::format("{:>12}", cell);
    }
    out += "\n";
  }
  out +=
      "    (new estimate per hidden-confounder strength; * = erased: interval reaches 0 or the "
      "sign flips)\n";
  return out;
}

}  // namespace

nlohmann::json to_json(const RefutationReport& r) {
  nlohmann::json out = to_json(r.estimation);
  out["estimate"] = out["estimates"][0];
  out["seed"] = std::to_string(r.seed);
  out["alpha"] = r.alpha;
  out["refutations"] = nlohmann::json::array();
  for (const auto& x : r.refutations) out["refutations"].push_back(to_json(x));
  nlohmann::json s = nlohmann::json::object();
  if (r.sensitivity.e_value) {
    s["e_value"] = r.sensitivity.e_value->e_value;
    s["e_value_ci"] = r.sensitivity.e_value->e_value_ci;
    s["risk_ratio"] = r.sensitivity.e_value->risk_ratio;
    s["risk_ratio_scale"] = r.sensitivity.e_value->scale;
  }
  if (r.sensitivity.robustness) {
    const auto& rv = *r.sensitivity.robustness;
    s["robustness_value"] = rv.rv;
    s["robustness_value_alpha"] = rv.rv_alpha;
    s["partial_r2_treatment"] = rv.partial_r2;
    s["regression_t"] = rv.t_statistic;
    s["regression_dof"] = rv.dof;
    for (const auto& b : rv.benchmarks)
      s["benchmarks"].push_back(
          {{"covariate", b.covariate},
           {"partial_r2_treatment", b.r2_treatment},
           {"partial_r2_outcome", b.r2_outcome},
           {"k_erase", b.k_erase ? nlohmann::json(*b.k_erase) : nlohmann::json()}});
  }
  if (r.sensitivity.rosenbaum_gamma) s["rosenbaum_gamma"] = *r.sensitivity.rosenbaum_gamma;
  s["notes"] = r.sensitivity.notes;
  out["sensitivity"] = s;
  out["verdict"] = r.verdict;
  out["verdict_reasons"] = r.reasons;
  return out;
}

std::string render_text(const RefutationReport& r) {
  return render_text(r.estimation) + render_checks(r);
}

std::string render_checks(const RefutationReport& r, bool with_verdict) {
  std::string out;
  const Estimate& e = r.estimation.estimates.front();
  out += fmt::format("\nrefutation of the {} estimate {:.6f} (seed {}, alpha {}):\n", e.method,
                     e.estimate, r.seed, r.alpha);
  out += fmt::format("  {:<25}{:>12}{:>13}  {:<14}{}\n", "refuter", "estimate", "new effect",
                     "verdict", "p");
  for (const auto& x : r.refutations)
    out += fmt::format("  {:<25}{:>12.6g}{:>13}  {:<14}{}\n", x.name, x.original,
                       x.has_draws ? fmt::format("{:.6g}", x.mean) : "n/a",
                       upper(verdict_name(x.verdict)), x.p_text.empty() ? "-" : x.p_text);
  out +=
      "\n  PASS = no evidence of a problem with the estimate; FAIL = the refuter found a "
      "problem;\n  INCONCLUSIVE = the check could not decide. None of these tests whether the "
      "effect differs\n  from 0: the estimate's own interval does that.\n";
  for (const auto& x : r.refutations) {
    out += fmt::format("\n  {}: {}\n", x.name, upper(verdict_name(x.verdict)));
    if (!x.null_hypothesis.empty())
      out += wrap("    tests: " + x.null_hypothesis, kWidth, "      ");
    if (x.has_draws)
      out += wrap(fmt::format("    over B = {} simulations{}{}: new effects mean {:.6g}, SD "
                              "{:.4g}, 95 % range [{:.6g}, {:.6g}] (original {:.6f})",
                              x.simulations, x.grid.empty() ? "" : " (over the grid's cells)",
                              x.failed ? fmt::format(" ({} more failed)", x.failed) : "", x.mean,
                              x.sd, x.low, x.high, x.original),
                  kWidth, "      ");
    else
      out += fmt::format("    original {:.6f}; no new effects to report\n", x.original);
    if (!x.p_text.empty()) out += wrap("    " + x.p_text + ": " + x.p_meaning, kWidth, "      ");
    if (!x.threshold.empty()) out += wrap("    rule: " + x.threshold, kWidth, "      ");
    out += wrap("    why: " + x.reason, kWidth, "      ");
    if (!x.grid.empty()) out += grid_table(x);
  }
  out += "\nsensitivity to hidden confounding:\n";
  const Sensitivity& s = r.sensitivity;
  if (s.e_value)
    out +=
        wrap(fmt::format("  E-value {:.3g} (for the interval's bound nearer no effect: {:.3g}): a "
                         "hidden confounder would need risk ratios of at least that much with "
                         "both treatment and outcome to explain the estimate away; {}",
                         s.e_value->e_value, s.e_value->e_value_ci, s.e_value->scale),
             kWidth, "    ");
  if (s.robustness) {
    const auto& rv = *s.robustness;
    out += wrap(fmt::format("  robustness value {:.3g} (RV at alpha 0.05: {:.3g}); partial R^2 of "
                            "the treatment with the outcome {:.3g}: from the linear regression of "
                            "the outcome on treatment and common causes (t = {:.3g}); a "
                            "confounder explaining {:.1f} % of the residual variance of both "
                            "treatment and outcome would erase the regression's estimate",
                            rv.rv, rv.rv_alpha, rv.partial_r2, rv.t_statistic, 100 * rv.rv),
                kWidth, "    ");
    for (const auto& b : rv.benchmarks)
      out += wrap(b.k_erase ? fmt::format("    - a confounder {} times as strong as '{}' "
                                          "would erase it",
                                          *b.k_erase >= 10 ? fmt::format("{:.0f}", *b.k_erase)
                                                           : fmt::format("{:.2g}", *b.k_erase),
                                          b.covariate)
                            : fmt::format("    - no confounder up to the strongest possible "
                                          "multiple of '{}' erases it",
                                          b.covariate),
                  kWidth, "      ");
  }
  if (s.rosenbaum_gamma)
    out += wrap(fmt::format("  Rosenbaum Gamma {:.3g}: the matched-pair difference stays "
                            "significant (signed-rank, alpha 0.05) until treated and control "
                            "units in a pair could differ {:.3g}-fold in their odds of treatment",
                            *s.rosenbaum_gamma, *s.rosenbaum_gamma),
                kWidth, "    ");
  for (const auto& n : s.notes) out += wrap("  " + n, kWidth, "    ");
  if (!with_verdict) return out;
  out += fmt::format("\nverdict: {}\n", r.verdict);
  for (const auto& reason : r.reasons) out += wrap("  - " + reason, kWidth, "    ");
  return out;
}

}  // namespace causeway
