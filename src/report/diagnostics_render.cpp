// Rendering a DiagnosticsReport (`causeway diagnose`): JSON, and text tables within 100 columns.
#include <fmt/format.h>

#include <algorithm>

#include "causeway/report/report.h"
#include "core/text.h"

namespace causeway {
namespace {

nlohmann::json optional_number(const std::optional<double>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

template <class T>
nlohmann::json per_arm(const T (&v)[2]) {  // index 1 treated, 0 control
  return {{"treated", v[1]}, {"control", v[0]}};
}

// A number in at most 9 characters: three decimals, or three significant digits and an exponent
// from 10,000 on ("-1.23e+04"). Tiny values read 0.000, like the others of their column.
std::string compact(double v) {
  return std::abs(v) >= 1e4 ? fmt::format("{:.2e}", v) : fmt::format("{:.3f}", v);
}

// Right-aligned in `width`, with at least one space before it.
std::string cell(const std::optional<double>& v, int width) {
  return fmt::format(" {:>{}}", v ? compact(*v) : std::string("-"), width - 1);
}

// A long name cut in the middle, so that names sharing a prefix stay apart.
std::string fit(const std::string& given, std::size_t width) {
  const std::string name = printable(given, 0, false);  // a cell keeps to its line
  if (name.size() <= width) return name;
  const std::size_t head = (width - 3) / 2, tail = width - 3 - head;
  return name.substr(0, head) + "..." + name.substr(name.size() - tail);
}

std::string overlap_text(const DiagnosticsReport& r) {
  const OverlapDiagnostics& o = r.overlap;
  std::string out = "overlap of the propensity scores\n";
  out += fmt::format("  {:<9}{:>7}{:>9}{:>9}{:>10}{:>9}{:>10}\n", "arm", "units", "min", "max",
                     fmt::format("< {:.2f}", o.extreme), fmt::format("> {:.2f}", 1 - o.extreme),
                     "outside");
  const std::size_t units[2] = {r.n_control, r.n_treated};
  for (int a : {1, 0})
    out += fmt::format("  {:<9}{:>7}{:>9.4f}{:>9.4f}{:>10}{:>9}{:>10}\n", a ? "treated" : "control",
                       units[a], o.min_score[a], o.max_score[a], o.below[a], o.above[a],
                       o.outside_support[a]);
  out += o.support_low <= o.support_high
             ? fmt::format(
                   "  common support [{:.4f}, {:.4f}]; \"outside\" counts the units "
                   "beyond it\n",
                   o.support_low, o.support_high)
             : "  no common support: the arms' score ranges do not overlap, every unit is "
               "outside\n";
  out += o.crump_alpha >= 0.5 ? "  Crump et al.'s rule: no unit can stay (no score inside (0, 1))\n"
         : o.crump_alpha > 0
             ? fmt::format(
                   "  Crump et al.'s rule: keep scores in [{:.3f}, {:.3f}]; it drops {} "
                   "treated and {} control units\n",
                   o.crump_alpha, 1 - o.crump_alpha, o.crump_trimmed[1], o.crump_trimmed[0])
             : "  Crump et al.'s rule: no trimming needed\n";
  // Mirrored histogram: treated bars grow leftwards from the bin, control bars rightwards.
  std::size_t most = 1;
  for (int a = 0; a < 2; ++a)
    for (std::size_t c : o.counts[a]) most = std::max(most, c);
  const std::size_t bins = o.counts[0].size(), width = 30;
  out += fmt::format("  {:>{}}  score bin  {}\n", "treated <-", width + 8, "-> control");
  for (std::size_t b = 0; b < bins; ++b) {
    const auto bar = [&](std::size_t c) {
      return std::string(c == 0 ? 0 : std::max<std::size_t>(1, c * width / most), '#');
    };
    out +=
        fmt::format("  {:>7} {:>{}}  {:.2f}-{:.2f}  {:<{}} {}\n", o.counts[1][b],
                    bar(o.counts[1][b]), width, static_cast<double>(b) / bins,
                    static_cast<double>(b + 1) / bins, bar(o.counts[0][b]), width, o.counts[0][b]);
  }
  return out;
}

std::string balance_text(const DiagnosticsReport& r) {
  // The name column takes what the numbers (80 columns) leave of 100, at least 12.
  std::size_t name = 12;
  for (const auto& b : r.balance) name = std::max(name, b.covariate.size() + 1);
  name = std::min<std::size_t>(name, 18);
  std::string out = fmt::format(
      "\nbalance: standardised mean difference (SMD) and variance ratio (VR, treated / control)\n"
      "  {:<{}}{:>10}{:>10}{:>10}{:>10}{:>10}{:>10}{:>10}{:>10}\n",
      "covariate", name, "mean T", "mean C", "SMD", "VR", "SMD mat", "VR mat", "SMD wt", "VR wt");
  for (const auto& b : r.balance)
    out += fmt::format("{} {:<{}}{}{}{}{}{}{}{}{}\n", b.flagged ? "*" : " ",
                       fit(b.covariate, name - 1), name, cell(b.mean_treated, 10),
                       cell(b.mean_control, 10), cell(b.smd_before, 10),
                       cell(b.variance_ratio_before, 10), cell(b.smd_matched, 10),
                       cell(b.variance_ratio_matched, 10), cell(b.smd_weighted, 10),
                       cell(b.variance_ratio_weighted, 10));
  out += wrap(
      "  * still imbalanced after adjustment (before it, when no adjustment was "
      "possible): |SMD| above 0.1 or VR outside 0.5 to 2. SMD denominator: "
      "sqrt((s_t^2 + s_c^2) / 2) of the unadjusted arms (sample variances; p(1 - p) for "
      "0/1 columns), the same after adjustment. VR is - where the control arm does not "
      "vary.",
      100, "    ");
  out += wrap("  matched (mat): " + r.matching, 100, "    ");
  out += wrap("  weighted (wt): " + r.weighting, 100, "    ");
  if (r.weighted)
    out += fmt::format(
        "  effective sample size under the weights: {:.1f} of {} treated, {:.1f} "
        "of {} control\n",
        r.effective_size[1], r.n_treated, r.effective_size[0], r.n_control);
  return out;
}

}  // namespace

nlohmann::json to_json(const DiagnosticsReport& r) {
  const OverlapDiagnostics& o = r.overlap;
  nlohmann::json histogram = {{"bin_width", 1.0 / static_cast<double>(o.counts[0].size())},
                              {"treated", o.counts[1]},
                              {"control", o.counts[0]}};
  nlohmann::json overlap = {{"histogram", histogram},
                            {"min_score", per_arm(o.min_score)},
                            {"max_score", per_arm(o.max_score)},
                            {"common_support", {o.support_low, o.support_high}},
                            {"outside_common_support", per_arm(o.outside_support)},
                            {"extreme_bound", o.extreme},
                            {"below_extreme", per_arm(o.below)},
                            {"above_extreme", per_arm(o.above)},
                            {"crump_alpha", o.crump_alpha},
                            {"crump_trimmed", per_arm(o.crump_trimmed)},
                            {"violations", o.violations}};
  nlohmann::json balance = nlohmann::json::array();
  for (const auto& b : r.balance)
    balance.push_back({{"covariate", b.covariate},
                       {"mean_treated", b.mean_treated},
                       {"mean_control", b.mean_control},
                       {"smd_before", b.smd_before},
                       {"variance_ratio_before", optional_number(b.variance_ratio_before)},
                       {"smd_matched", optional_number(b.smd_matched)},
                       {"variance_ratio_matched", optional_number(b.variance_ratio_matched)},
                       {"smd_weighted", optional_number(b.smd_weighted)},
                       {"variance_ratio_weighted", optional_number(b.variance_ratio_weighted)},
                       {"flagged", b.flagged}});
  nlohmann::json j = {{"source", r.source},
                      {"treatment", r.treatment},
                      {"outcome", r.outcome},
                      {"coding", r.coding},
                      {"rows_used", r.rows_used},
                      {"rows_dropped", r.rows_dropped},
                      {"n_treated", r.n_treated},
                      {"n_control", r.n_control},
                      {"target", target_name(r.target)},
                      {"propensity_terms", r.propensity_terms},
                      {"overlap", overlap},
                      {"balance", balance},
                      {"balance_denominator",
                       "sqrt((s_t^2 + s_c^2) / 2) of the unadjusted arms: sample variances "
                       "(n - 1), p(1 - p) for 0/1 columns"},
                      {"matching", r.matching},
                      {"weighting", r.weighting},
                      {"warnings", r.warnings}};
  j["effective_sample_size"] = r.weighted ? per_arm(r.effective_size) : nlohmann::json(nullptr);
  return j;
}

std::string render_text(const DiagnosticsReport& r, bool overlap, bool balance) {
  std::string out = wrap(fmt::format("diagnostics of {}: {} rows ({} treated, {} control); {}",
                                     r.source, r.rows_used, r.n_treated, r.n_control, r.coding),
                         100, "  ");
  if (r.rows_dropped > 0) out += fmt::format("  {} rows dropped\n", r.rows_dropped);
  out += wrap("propensity model: logistic regression on " +
                  (r.propensity_terms.empty()
                       ? std::string("the intercept alone (see the warnings)")
                       : list_first(r.propensity_terms.size(), 12,
                                    [&](std::size_t k) { return r.propensity_terms[k]; })) +
                  "; matching and weights target the " + target_label(r.target),
              100, "  ");
  if (overlap) {
    out += '\n';
    out += overlap_text(r);
  }
  if (balance) out += balance_text(r);
  if (!r.warnings.empty()) {
    out += "\nwarnings:\n";
    for (const auto& w : r.warnings) out += wrap("  - " + w, 100, "    ");
  }
  return out;
}

}  // namespace causeway
