// The report's overlap and balance sections (from `causeway diagnose`'s results).
#include <fmt/format.h>

#include "report/html_parts.h"

namespace causeway::html {

std::string overlap_section(const DiagnosticsReport& d) {
  const OverlapDiagnostics& o = d.overlap;
  std::string out = "<section id=\"overlap\">\n<h2>Overlap of the propensity scores</h2>\n";
  out += figure("Propensity scores by arm", svg::mirrored_histogram(o.counts[1], o.counts[0]),
                "Bars show the share of each arm by estimated probability of treatment, treated "
                "above the line and control below. Where one side has bars and the other none, "
                "the data hold no comparable customers and any estimate there is extrapolated.");
  out +=
      "<table>\n<tr><th>arm</th><th class=\"num\">min score</th><th class=\"num\">max "
      "score</th><th class=\"num\">below 0.05</th><th class=\"num\">above 0.95</th>"
      "<th class=\"num\">outside common support</th></tr>\n";
  for (int a : {1, 0})
    out += fmt::format(
        "<tr><td>{}</td>{}{}<td class=\"num\">{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td></tr>\n",
        a ? "treated" : "control", cell(o.min_score[a]), cell(o.max_score[a]), o.below[a],
        o.above[a], o.outside_support[a]);
  out += "</table>\n";
  out += fmt::format(
      "<p>Common support, the score range both arms share: {} to {} (the last column counts the "
      "customers outside it). ",
      number(o.support_low), number(o.support_high));
  out += o.crump_alpha > 0 ? fmt::format(
                                 "Crump et al.'s rule, a stricter cut that trades the customers "
                                 "kept against the precision of the estimate, would keep scores "
                                 "from {} to {}, dropping {} treated and {} control customers."
                                 "</p>\n",
                                 number(o.crump_alpha, 3), number(1 - o.crump_alpha, 3),
                                 o.crump_trimmed[1], o.crump_trimmed[0])
                           : std::string("Crump et al.'s rule finds no customer to trim.</p>\n");
  if (!o.violations.empty())
    out += "<p class=\"flag\">Positivity fails:</p>\n" + list(o.violations);
  return out + "</section>\n";
}

std::string balance_section(const DiagnosticsReport& d) {
  std::vector<svg::BalancePoint> points;
  for (const auto& b : d.balance)
    points.push_back({b.covariate, b.smd_before, b.smd_matched, b.smd_weighted});
  std::string out = "<section id=\"balance\">\n<h2>Covariate balance</h2>\n";
  out += figure("Balance before and after adjustment (love plot)", svg::love_plot(points),
                "Each row is a covariate; the further right a mark, the more the treated and "
                "control customers differ on it, in pooled standard deviations. Adjustment "
                "should move the marks left of the dashed 0.1 line.");
  out +=
      "<table>\n<tr><th>covariate</th><th class=\"num\">mean treated</th>"
      "<th class=\"num\">mean control</th><th class=\"num\">SMD before</th>"
      "<th class=\"num\">VR before</th><th class=\"num\">SMD matched</th>"
      "<th class=\"num\">VR matched</th><th class=\"num\">SMD weighted</th>"
      "<th class=\"num\">VR weighted</th></tr>\n";
  for (const auto& b : d.balance)
    out +=
        fmt::format("<tr><td{}>{}</td>{}{}{}{}{}{}{}{}</tr>\n", b.flagged ? " class=\"flag\"" : "",
                    escape(b.covariate), cell(b.mean_treated, 3), cell(b.mean_control, 3),
                    cell(b.smd_before, 3), optional_cell(b.variance_ratio_before),
                    optional_cell(b.smd_matched), optional_cell(b.variance_ratio_matched),
                    optional_cell(b.smd_weighted), optional_cell(b.variance_ratio_weighted));
  out +=
      "</table>\n<p>SMD: standardised mean difference, divided by the pooled standard "
      "deviation of the unadjusted arms (sample variances; p(1 - p) for 0/1 columns), the "
      "same divisor after adjustment. VR: variance ratio, treated over control. Covariates in "
      "red are still imbalanced after adjustment: an |SMD| above 0.1 or a VR outside 0.5 to 2."
      "</p>\n";
  out += "<p>Matched: " + escape(d.matching) + ".<br/>Weighted: " + escape(d.weighting) + ".";
  if (d.weighted)
    out += fmt::format(" Effective sample size: {} of {} treated, {} of {} control.",
                       number(d.effective_size[1], 1), d.n_treated, number(d.effective_size[0], 1),
                       d.n_control);
  return out + "</p>\n</section>\n";
}

}  // namespace causeway::html
