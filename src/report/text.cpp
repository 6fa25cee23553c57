#include "core/text.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "causeway/report/report.h"

namespace causeway {
namespace {

// Significant digits that keep the numbers of one table comparable.
// One format for every number of a table: fixed decimals suited to `scale` (the largest
// estimate or standard error), scientific notation for very small or large scales. Values below
// 1e-12 of `outcome_scale` (the outcome's range) are round-off and print as 0 (never -0.000).
std::string number(double v, double scale, double outcome_scale) {
  if (std::abs(v) < 1e-12 * outcome_scale) v = 0.0;
  if (scale < 1e-4 || scale >= 1e8) return fmt::format("{:.4e}", v);
  const int decimals = scale >= 100 ? 2
                       : scale >= 1
                           ? 3
                           : std::max(4, 2 - static_cast<int>(std::floor(std::log10(scale))) + 2);
  return fmt::format("{:.{}f}", v, std::min(decimals, 8));
}

std::string header(const EstimationReport& r) {
  std::string out = fmt::format("{} -> {}   ({}{})\n", r.treatment, r.outcome, r.coding,
                                r.outcome_coding.empty() ? "" : "; outcome " + r.outcome_coding);
  out += wrap(
      fmt::format("data: {}: {} rows read, {} used ({} treated, {} control), {} dropped", r.source,
                  r.rows_read, r.rows_used, r.n_treated, r.n_control, r.rows_dropped),
      98, "  ");
  if (!r.covariates.empty())
    out += wrap(fmt::format("common causes: {}",
                            list_first(r.covariates.size(), 12,
                                       [&](std::size_t k) { return r.covariates[k]; })),
                98, "  ");
  for (const auto& e : r.encoding) out += "  " + e + "\n";
  for (const auto& line : r.identification) out += wrap("graph: " + line, 98, "  ");
  return out;
}

std::string estimates_table(const EstimationReport& r) {
  const auto magnitude = [&](double v) {
    return std::abs(v) < 1e-12 * r.outcome_scale ? 0.0 : std::abs(v);
  };
  double scale = 0;
  for (const auto& e : r.estimates)
    scale = std::max({scale, magnitude(e.estimate), magnitude(e.se)});
  if (scale == 0) scale = r.outcome_scale;
  std::string out = fmt::format("{:<15}{:<7}{:>12}  {:<27}{:>8}{:>9}\n", "method", "target",
                                "estimate", "95 % interval", "treated", "control");
  for (const auto& e : r.estimates) {
    const std::string ci = fmt::format("[{}, {}]", number(e.ci_low, scale, r.outcome_scale),
                                       number(e.ci_high, scale, r.outcome_scale));
    out += fmt::format("{:<15}{:<7}{:>12}  {:<27}{:>8}{:>9}\n", e.method, target_name(e.target),
                       number(e.estimate, scale, r.outcome_scale), ci, e.n_treated, e.n_control);
  }
  return out;
}

std::string method_notes(const EstimationReport& r) {
  std::string out = "\nwhat each number answers, and what it misses:\n";
  for (const auto& e : r.estimates) {
    out += wrap(
        fmt::format("  {}: {}; misses {}. SE: {}.", e.method, e.answers, e.misses, e.se_method), 98,
        "      ");
    for (const auto& n : e.notes) out += wrap("    - " + n, 98, "      ");
  }
  return out;
}

// Standardised mean differences before and after matching, when matching ran.
std::string balance_table(const EstimationReport& r) {
  for (const auto& e : r.estimates) {
    if (e.method != "matching" || !e.details.contains("balance")) continue;
    const auto& rows = e.details["balance"];
    std::string out = wrap(fmt::format("\nbalance after matching: standardised mean differences, "
                                       "|SMD| > 0.1 flagged with !, denominator {}",
                                       e.details["balance_denominator"].get<std::string>()),
                           98, "  ");
    out += fmt::format("  {:<40}{:>10}{:>10}\n", "covariate", "before", "after");
    for (std::size_t k = 0; k < rows.size() && k < 20; ++k) {
      const double after = rows[k]["smd_after"].get<double>();
      out += fmt::format(
          "  {:<40}{:>10.3f}{:>10.3f}{}\n", clip(rows[k]["covariate"].get<std::string>(), 39),
          rows[k]["smd_before"].get<double>(), after, std::abs(after) > 0.1 ? "  !" : "");
    }
    if (rows.size() > 20) out += fmt::format("  ... {} more in --json\n", rows.size() - 20);
    return out;
  }
  return "";
}

}  // namespace

std::string render_text(const EstimationReport& r) {
  std::string out = header(r) + "\n" + estimates_table(r);
  for (const auto& [method, reason] : r.refused)
    out += wrap(fmt::format("{:<15}refused: {}", method, reason), 98, std::string(15, ' '));
  if (r.true_att)
    out += fmt::format("{:<15}{:<7}{:>12}\n{:<15}{:<7}{:>12}\n", "truth", "att",
                       fmt::format("{:.5f}", *r.true_att), "truth", "ate",
                       fmt::format("{:.5f}", *r.true_ate));
  if (r.propensity) {
    out += "\npropensity model (logistic";
    out +=
        r.propensity->l2 > 0 ? fmt::format(", L2 penalty {}", r.propensity->l2) : ", unpenalised";
    out += fmt::format("; scores from {:.4f} to {:.4f}):\n", r.propensity->min_score,
                       r.propensity->max_score);
    const auto& pr = *r.propensity;
    std::string coefs = list_first(pr.coef.size(), 12, [&](std::size_t i) {
      return fmt::format("{} {:.6g}", pr.names[i], pr.coef[i]);
    });
    if (pr.coef.size() > 12) coefs += " (all in --json)";
    if (!coefs.empty()) out += wrap("  " + coefs, 98, "  ");
    if (pr.coef.empty())
      out += "  no model was fitted: separation fixed every score at 0 or 1 (see the warnings)\n";
    else if (!pr.excluded.empty())
      out += wrap(fmt::format("  not in the fit: {} (once the separated units left the fit, their "
                              "scores fixed at 0 or 1, these columns no longer varied, were "
                              "sums of the others, or one stood in as its categorical's "
                              "reference level; see the warnings)",
                              fmt::join(pr.excluded, ", ")),
                  98, "    ");
  }
  out += method_notes(r) + balance_table(r);
  // A warning several methods share is shown once, prefixed by their names.
  std::vector<std::pair<std::string, std::string>> grouped;  // (methods, text)
  for (const auto& e : r.estimates)
    for (const auto& w : e.warnings) {
      auto it = std::find_if(grouped.begin(), grouped.end(),
                             [&](const auto& g) { return g.second == w; });
      if (it == grouped.end())
        grouped.emplace_back(e.method, w);
      else
        it->first += ", " + e.method;
    }
  std::vector<std::string> warnings = r.warnings;
  for (const auto& [methods, text] : grouped) warnings.push_back(methods + ": " + text);
  if (!warnings.empty()) {
    out += "\nwarnings:\n";
    for (const auto& w : warnings) out += wrap("  ! " + w, 98, "    ");
  }
  return out;
}

}  // namespace causeway
