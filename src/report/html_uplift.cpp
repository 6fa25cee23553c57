// The report's whom-to-treat section (from `causeway uplift`'s results).
#include <fmt/format.h>

#include "causeway/report/report.h"
#include "report/html_parts.h"

namespace causeway::html {

std::string uplift_section(const UpliftReport& u) {
  constexpr double kZ = 1.959963984540054;
  std::string out = "<section id=\"uplift\">\n<h2>Whom to treat</h2>\n";
  out += "<p>How it was fitted: " + escape(uplift_method(u)) + ".</p>\n";
  out += fmt::format(
      "<p>Average effect of {} on {}: {} (95 % interval {} to {}). Customers predicted to be "
      "hurt by it: {} % (from {} % whose whole interval is below zero to {} % whose interval "
      "reaches below zero).</p>\n",
      escape(u.treatment), escape(u.outcome), number(u.ate), number(u.ate - kZ * u.ate_se),
      number(u.ate + kZ * u.ate_se), number(100 * u.share_hurt, 1),
      number(100 * u.share_hurt_low, 1), number(100 * u.share_hurt_high, 1));
  out += fmt::format(
      "<p>Targeting by predicted uplift, judged on {} customers{}: Qini area {} (95 % interval "
      "{} to {}; above zero, the ranking beats random targeting). Treating the top {} % gives a "
      "lift of {} per customer (95 % interval {} to {}), against {} for a random choice.</p>\n",
      u.evaluated_rows,
      u.holdout > 0 ? " held out of training" : " ranked by cross-fitted predictions",
      number(u.qini_area), number(u.qini_area - kZ * u.qini_se),
      number(u.qini_area + kZ * u.qini_se), number(100 * u.budget, 0), number(u.budget_lift),
      number(u.budget_lift - kZ * u.budget_se), number(u.budget_lift + kZ * u.budget_se),
      number(u.evaluated_mean));
  std::vector<svg::CalibrationPoint> points;
  for (const auto& d : u.deciles)
    points.push_back({std::to_string(d.decile), d.predicted, d.lift, d.low, d.high});
  out += figure("Predicted against observed lift by decile",
                svg::calibration_plot(points, "effect on " + u.outcome),
                "Customers are grouped by predicted uplift, decile 1 the highest; where the "
                "diamond (predicted) sits inside the red bar (observed, 95 %), the predictions "
                "are calibrated, and observed lifts falling from left to right mean the ranking "
                "finds the customers a treatment helps.");
  out +=
      "<table>\n<tr><th>decile</th><th class=\"num\">customers</th><th class=\"num\">"
      "treated</th><th class=\"num\">control</th><th class=\"num\">predicted</th>"
      "<th class=\"num\">observed</th><th>95 % interval</th></tr>\n";
  for (const auto& d : u.deciles)
    out += fmt::format(
        "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td "
        "class=\"num\">{}</td>{}{}<td>{}</td></tr>\n",
        d.decile, d.customers, d.treated, d.control, cell(d.predicted),
        d.lift ? cell(*d.lift) : "<td class=\"num\">-</td>",
        d.lift && d.low && d.high ? number(*d.low) + " to " + number(*d.high) : escape(d.note));
  out += "</table>\n";
  if (!u.importance.empty()) {
    out +=
        "<p>What the forest splits on (share of splits, weighted to the top of the trees):</p>"
        "\n<table>\n";
    for (const auto& [name, share] : u.importance)
      out += "<tr><td>" + escape(name) + "</td>" + cell(share, 3) + "</tr>\n";
    out += "</table>\n";
  }
  return out + "</section>\n";
}

}  // namespace causeway::html
