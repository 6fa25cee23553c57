#include "causeway/report/html.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "causeway/status.h"
#include "report/graph_svg.h"
#include "report/html_parts.h"
#include "report/svg_plots.h"

namespace causeway {
namespace {

using html::cell;
using html::escape;
using html::figure;
using html::list;
using html::number;

constexpr const char* kStyle = R"(
body { font-family: sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
       color: #222; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: 0.3rem; }
h2 { font-size: 1.25rem; border-bottom: 1px solid #ccc; padding-bottom: 0.2rem;
     margin-top: 2.2rem; }
h3 { font-size: 1rem; margin: 1rem 0 0.3rem; }
table { border-collapse: collapse; margin: 0.6rem 0; font-size: 0.9rem; }
th, td { border-bottom: 1px solid #ddd; padding: 0.25rem 0.6rem; text-align: left;
         vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 0.8rem 0; }
figcaption { font-size: 0.85rem; color: #444; max-width: 45rem; }
svg { max-width: 100%; height: auto; }
.verdict { padding: 0.8rem 1rem; border-radius: 6px; margin: 1rem 0; }
.verdict.robust { background: #e9f7ef; border: 1px solid #27ae60; }
.verdict.fragile { background: #fdedec; border: 1px solid #c0392b; }
.verdict.other { background: #fef9e7; border: 1px solid #b7950b; }
.pass { color: #1e8449; font-weight: bold; }
.fail { color: #c0392b; font-weight: bold; }
.inconclusive { color: #9a7d0a; font-weight: bold; }
.flag { color: #c0392b; font-weight: bold; }
footer { margin-top: 3rem; font-size: 0.8rem; color: #666; }
@media print { body { max-width: none; margin: 0; } section { break-inside: avoid-page; }
               h2 { break-after: avoid; } }
)";

// The answer in plain words: the checked estimate and whether its interval rules out no effect.
std::string answer(const Estimate& x, const std::string& treatment, const std::string& outcome) {
  if (!(x.ci_low > 0 || x.ci_high < 0))
    return fmt::format(
        "<p><strong>No clear effect.</strong> The {} estimate of the change in {} is {}, but its "
        "95 % interval, {} to {}, includes zero: the data are consistent with no effect of {}."
        "</p>\n",
        escape(x.method), escape(outcome), number(x.estimate, 1), number(x.ci_low, 1),
        number(x.ci_high, 1), escape(treatment));
  return fmt::format(
      "<p><strong>{} {} {} by about {}</strong> (the {} estimate; 95 % interval {} to {}).</p>\n",
      escape(treatment), x.estimate > 0 ? "raised" : "lowered", escape(outcome),
      number(std::abs(x.estimate), 1), escape(x.method), number(x.ci_low, 1), number(x.ci_high, 1));
}

std::string head(const HtmlReport& r, const std::string& treatment, const std::string& outcome) {
  std::string out = r.uplift ? fmt::format("<header>\n<h1>Whom does {} change {} for?</h1>\n",
                                           escape(treatment), escape(outcome))
                             : fmt::format("<header>\n<h1>Did {} change {}?</h1>\n",
                                           escape(treatment), escape(outcome));
  if (!r.verdict.empty()) {
    const Estimate* checked = r.refutation && !r.refutation->estimation.estimates.empty()
                                  ? &r.refutation->estimation.estimates.front()
                                  : nullptr;
    const bool clear = checked && (checked->ci_low > 0 || checked->ci_high < 0);
    // Green only for an effect that is both clear and robust: "robust" alone is not good news.
    const std::string kind = r.verdict == "ROBUST" && clear ? "robust"
                             : r.verdict == "FRAGILE"       ? "fragile"
                                                            : "other";
    out += fmt::format("<div class=\"verdict {}\" id=\"verdict\">\n", kind);
    if (checked) out += answer(*checked, treatment, outcome);
    const std::string meaning = r.verdict == "ROBUST" ? "no check overturned this reading"
                                : r.verdict == "FRAGILE"
                                    ? "a check found a problem; do not act on this number alone"
                                    : "no number can be given";
    out += fmt::format("<p><strong>Overall verdict: {}</strong> ({}).</p>\n", escape(r.verdict),
                       meaning);
    if (!r.reasons.empty()) out += list(r.reasons);
    out += "</div>\n";
  }
  return out + "</header>\n";
}

std::string data_section(const EstimationReport& e) {
  std::string out =
      "<section id=\"data\">\n<h2>The question and the data</h2>\n<table>\n"
      "<tr><th>file</th><td>" +
      escape(e.source) + "</td></tr>\n";
  out += fmt::format("<tr><th>treatment</th><td>{} ({})</td></tr>\n", escape(e.treatment),
                     escape(e.coding));
  out += fmt::format("<tr><th>outcome</th><td>{}{}</td></tr>\n", escape(e.outcome),
                     e.outcome_coding.empty() ? "" : " (" + escape(e.outcome_coding) + ")");
  out += fmt::format(
      "<tr><th>rows</th><td>{} read, {} analysed: {} treated and {} control</td></tr>\n",
      e.rows_read, e.rows_used, e.n_treated, e.n_control);
  std::string dropped = "none";
  if (e.rows_dropped > 0) {
    dropped = fmt::format("{} (a missing value in a used column, or another treatment arm)",
                          e.rows_dropped);
    if (!e.dropped_rows.empty())
      dropped += ": " + fmt::format("{}", fmt::join(e.dropped_rows.begin(),
                                                    e.dropped_rows.begin() +
                                                        static_cast<long>(std::min<std::size_t>(
                                                            10, e.dropped_rows.size())),
                                                    ", "));
  }
  out += "<tr><th>rows dropped</th><td>" + escape(dropped) + "</td></tr>\n";
  out += "<tr><th>covariates</th><td>" +
         escape(e.covariates.empty() ? std::string("none")
                                     : fmt::format("{}", fmt::join(e.covariates, ", "))) +
         "</td></tr>\n</table>\n";
  if (!e.encoding.empty()) out += "<p>How the columns were read:</p>\n" + list(e.encoding);
  return out + "</section>\n";
}

std::string graph_section(const HtmlReport& r, const std::string& treatment,
                          const std::string& outcome) {
  const Strategy* chosen = r.identification ? r.identification->chosen() : nullptr;
  const std::vector<std::string> adjustment =
      chosen && chosen->name == "backdoor" ? chosen->variables : std::vector<std::string>{};
  std::string out = "<section id=\"graph\">\n<h2>The causal graph</h2>\n";
  if (!r.model.empty()) out += list(r.model);
  // Without Graphviz installed the report is still written, saying why the graph is missing.
  std::string drawn, why = "Graphviz failed to lay it out";
  try {
    drawn = graph_svg(*r.graph, treatment, outcome, adjustment);
  } catch (const Error& e) {
    why = e.message();
  }
  if (drawn.empty())
    return out + "<p>The graph could not be drawn (" + escape(why) + ").</p>\n</section>\n";
  return out +
         figure("Assumed causes", drawn,
                "Each arrow is an assumed direct cause. The red arrow is the effect being "
                "measured; boxes are the treatment and the outcome; variables filled blue are "
                "the adjustment set the estimates control for; dashed ones are unobserved.") +
         "</section>\n";
}

std::string estimand_section(const Identification& id) {
  std::string out = "<section id=\"estimand\">\n<h2>The estimand</h2>\n";
  const Strategy* s = id.chosen();
  if (!s) return out + "<p>" + escape(id.reason) + "</p>\n</section>\n";
  out += fmt::format(
      "<p>Strategy: <strong>{}</strong>{}</p>\n<p><code>{}</code></p>\n", escape(s->name),
      s->variables.empty() ? std::string()
                           : " on " + escape(fmt::format("{}", fmt::join(s->variables, ", "))),
      escape(s->expression));
  if (!s->assumptions.empty())
    out += "<p>It rests on these assumptions:</p>\n" + list(s->assumptions);
  return out + "</section>\n";
}

std::string estimates_section(const EstimationReport& e) {
  std::vector<const Estimate*> order;
  for (const auto& x : e.estimates)
    if (x.method == "naive")
      order.insert(order.begin(), &x);
    else
      order.push_back(&x);
  std::vector<svg::Interval> rows;
  for (const Estimate* x : order) rows.push_back({x->method, x->estimate, x->ci_low, x->ci_high});
  std::string out = "<section id=\"estimates\">\n<h2>The estimates</h2>\n";
  out += figure("Effect estimates with 95 % intervals",
                svg::forest_plot(rows, "effect on " + e.outcome + " (units of " + e.outcome + ")"),
                "Each square is one method's estimate of the effect, the line its 95 % interval. "
                "The grey naive difference comes first: its distance from the adjusted estimates "
                "is the confounding they remove. An interval crossing the dashed zero line does "
                "not rule out no effect.");
  out +=
      "<table>\n<tr><th>method</th><th>estimand</th><th class=\"num\">estimate</th>"
      "<th class=\"num\">95 % interval</th><th class=\"num\">SE</th>"
      "<th class=\"num\">treated</th><th class=\"num\">control</th><th>answers</th></tr>\n";
  for (const Estimate* x : order)
    out += fmt::format(
        "<tr><td>{}</td><td>{}</td>{}<td class=\"num\">{} to {}</td>{}<td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td><td>{}</td></tr>\n",
        escape(x->method), escape(target_label(x->target)), cell(x->estimate), number(x->ci_low),
        number(x->ci_high), cell(x->se), x->n_treated, x->n_control, escape(x->answers));
  out +=
      "</table>\n<p>ATT: the effect on the customers who were treated. ATE: the average effect "
      "had everyone been treated. ATC: the effect on those who were not.</p>\n";
  if (e.true_att)
    out += fmt::format("<p>Simulated data: the true ATT is {} and the true ATE {}.</p>\n",
                       number(*e.true_att), number(*e.true_ate));
  return out + "</section>\n";
}

std::string refutation_section(const RefutationReport& r) {
  std::string out = fmt::format(
      "<section id=\"refutation\">\n<h2>Refutation of the {} estimate</h2>\n<table>\n"
      "<tr><th>check</th><th>a sound estimate would</th><th class=\"num\">original</th>"
      "<th class=\"num\">new effect</th><th class=\"num\">95 % of new effects</th>"
      "<th>p</th><th>verdict</th></tr>\n",
      escape(r.estimation.estimates.empty() ? "" : r.estimation.estimates.front().method));
  for (const auto& x : r.refutations) {
    const std::string verdict = verdict_name(x.verdict);
    out += fmt::format(
        "<tr><td>{}</td><td>{}</td>{}{}<td class=\"num\">{}</td><td>{}</td>"
        "<td class=\"{}\">{}</td></tr>\n",
        escape(x.name), escape(x.null_hypothesis), cell(x.original),
        x.has_draws ? cell(x.mean) : "<td class=\"num\">-</td>",
        x.has_draws ? number(x.low) + " to " + number(x.high) : "-",
        escape(x.p_text.empty() ? "-" : x.p_text), verdict, escape(verdict));
  }
  return out + "</table>\n</section>\n";
}

std::string sensitivity_section(const Sensitivity& s) {
  std::string out =
      "<section id=\"sensitivity\">\n<h2>Sensitivity to a hidden confounder</h2>\n<table>\n";
  if (s.e_value)
    out += fmt::format(
        "<tr><th>E-value</th>{}<td>a hidden confounder would need a risk ratio "
        "this large with both treatment and outcome to explain the estimate away "
        "({} for the interval's nearer end)</td></tr>\n",
        cell(s.e_value->e_value, 2), number(s.e_value->e_value_ci, 2));
  if (s.robustness)
    out += fmt::format(
        "<tr><th>robustness value</th>{}<td>the share of the residual variance "
        "of both treatment and outcome a hidden confounder would have to explain "
        "to erase the estimate</td></tr>\n",
        cell(s.robustness->rv, 3));
  if (s.rosenbaum_gamma)
    out += fmt::format(
        "<tr><th>Rosenbaum's Gamma</th>{}<td>the odds of treatment two matched "
        "customers could differ by before the matched effect stops being "
        "significant</td></tr>\n",
        cell(*s.rosenbaum_gamma, 2));
  out += "</table>\n";
  if (!s.notes.empty()) out += list(s.notes);
  return out + "</section>\n";
}

}  // namespace

std::string render_html(const HtmlReport& r) {
  const EstimationReport* e = r.estimation   ? r.estimation
                              : r.refutation ? &r.refutation->estimation
                                             : nullptr;
  // The question's two columns, from whichever part the report has.
  std::string treatment, outcome;
  if (r.uplift)
    treatment = r.uplift->treatment, outcome = r.uplift->outcome;
  else if (e)
    treatment = e->treatment, outcome = e->outcome;
  else if (r.diagnostics)
    treatment = r.diagnostics->treatment, outcome = r.diagnostics->outcome;
  else if (r.identification)
    treatment = r.identification->treatment, outcome = r.identification->outcome;
  std::string out = fmt::format(
      "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta "
      "charset=\"utf-8\"/>\n"
      "<title>causeway report: {} on {}</title>\n<style>{}</style>\n</head>\n<body>\n",
      escape(treatment), escape(outcome), kStyle);
  out += head(r, treatment, outcome.empty() ? "the outcome" : outcome);
  if (e) out += data_section(*e);
  if (r.graph) out += graph_section(r, treatment, outcome);
  if (r.identification) out += estimand_section(*r.identification);
  if (e && !e->estimates.empty()) out += estimates_section(*e);
  if (r.diagnostics)
    out += html::overlap_section(*r.diagnostics) + html::balance_section(*r.diagnostics);
  if (r.refutation)
    out += refutation_section(*r.refutation) + sensitivity_section(r.refutation->sensitivity);
  if (r.uplift) out += html::uplift_section(*r.uplift);
  std::vector<std::string> warnings;
  if (e) {
    warnings = e->warnings;
    for (const auto& x : e->estimates)
      for (const auto& w : x.warnings) warnings.push_back(x.method + ": " + w);
  }
  if (r.diagnostics)
    warnings.insert(warnings.end(), r.diagnostics->warnings.begin(), r.diagnostics->warnings.end());
  if (r.uplift)
    warnings.insert(warnings.end(), r.uplift->warnings.begin(), r.uplift->warnings.end());
  std::sort(warnings.begin(), warnings.end());
  warnings.erase(std::unique(warnings.begin(), warnings.end()), warnings.end());
  if (!warnings.empty())
    out += "<section id=\"warnings\">\n<h2>Warnings</h2>\n" + list(warnings) + "</section>\n";
  out += "<footer>Made by causeway " CAUSEWAY_VERSION;
  if (!r.command.empty()) out += " with <code>" + escape(r.command) + "</code>";
  return out +
         ". The numbers are those of the same run's --json output.</footer>\n</body>\n"
         "</html>\n";
}

}  // namespace causeway
