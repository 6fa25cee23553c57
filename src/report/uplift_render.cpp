// The uplift printout: the average effect, who is hurt, and the lift by decile.
#include <fmt/format.h>

#include "causeway/report/report.h"
#include "core/text.h"

namespace causeway {
namespace {
constexpr double kZ = 1.959963984540054;
}  // namespace

nlohmann::json to_json(const UpliftReport& r) {
  nlohmann::json out = {
      {"source", r.source},
      {"treatment", r.treatment},
      {"outcome", r.outcome},
      {"features", r.features},
      {"controls", r.controls},
      {"rows", r.tau.size()},
      {"trees", r.trees},
      {"min_node_size", r.min_node_size},
      {"min_node_size_rule", r.leaf_rule},
      {"min_split_gain", r.min_split_gain},
      {"ate", r.ate},
      {"ate_se", r.ate_se},
      {"ate_ci_low", r.ate - 1.959963984540054 * r.ate_se},
      {"ate_ci_high", r.ate + 1.959963984540054 * r.ate_se},
      {"share_hurt", r.share_hurt},
      {"share_hurt_low", r.intervals ? nlohmann::json(r.share_hurt_low) : nlohmann::json()},
      {"share_hurt_high", r.intervals ? nlohmann::json(r.share_hurt_high) : nlohmann::json()},
      {"qini_area", r.qini_area},
      {"qini_se", r.qini_se},
      {"auuc", r.auuc},
      {"auuc_se", r.auuc_se},
      {"auuc_random", r.auuc_random},
      {"holdout", r.holdout},
      {"nuisance", r.nuisance},
      {"method", r.method},
      {"base", r.base.empty() ? nlohmann::json() : nlohmann::json(r.base)},
      {"intervals", r.intervals},
      {"evaluated_rows", r.evaluated_rows},
      {"budget", r.budget},
      {"budget_lift", r.budget_lift},
      {"budget_se", r.budget_se},
      {"gain_curve", r.gain_curve},
      {"warnings", r.warnings},
      {"deciles", nlohmann::json::array()}};
  out["averages"] = nlohmann::json::array();
  for (const auto& a : r.averages)
    out["averages"].push_back(nlohmann::json{{"target", a.target},
                                             {"estimate", a.estimate},
                                             {"se", a.se},
                                             {"ci_low", a.estimate - kZ * a.se},
                                             {"ci_high", a.estimate + kZ * a.se},
                                             {"units", a.units}});
  out["linear_projection"] = nlohmann::json::array();
  for (const auto& t : r.projection)
    out["linear_projection"].push_back({{"term", t.name}, {"estimate", t.estimate}, {"se", t.se}});
  const Calibration& c = r.calibration;
  out["calibration"] = {{"mean_prediction", c.mean},
                        {"mean_prediction_se", c.mean_se},
                        {"mean_prediction_p", c.mean_p},
                        {"differential", c.differential},
                        {"differential_se", c.differential_se},
                        {"differential_p", c.differential_p}};
  out["importance"] = nlohmann::json::object();
  for (const auto& [name, v] : r.importance) out["importance"][name] = v;
  for (const auto& d : r.deciles) {
    nlohmann::json j = {{"decile", d.decile},   {"customers", d.customers}, {"treated", d.treated},
                        {"control", d.control}, {"predicted", d.predicted}, {"note", d.note}};
    j["lift"] = d.lift ? nlohmann::json(*d.lift) : nlohmann::json();
    j["lift_low"] = d.low ? nlohmann::json(*d.low) : nlohmann::json();
    j["lift_high"] = d.high ? nlohmann::json(*d.high) : nlohmann::json();
    out["deciles"].push_back(j);
  }
  return out;
}

namespace {

// Calibration, the linear projection and importance: does the forest's heterogeneity hold up?
std::string render_forest_checks(const UpliftReport& r) {
  const Calibration& c = r.calibration;
  std::string out =
      "\ncalibration of the predictions (coefficients, 1 is ideal; p: one-sided test against "
      "0):\n";
  // Whether 1 is inside the 95 % interval, unless the interval is too wide to say anything.
  const auto verdict = [](double b, double se, const char* good, const char* bad) {
    if (se > 0.5) return std::string("too uncertain to judge");
    return std::string(std::abs(b - 1) <= kZ * se ? good : bad);
  };
  out += fmt::format(
      "  mean prediction {:.3f} (se {:.3f}, p {:.3g}): {}\n", c.mean, c.mean_se, c.mean_p,
      verdict(c.mean, c.mean_se, "consistent with a right average", "the average is off"));
  out +=
      fmt::format("  differential    {:.3f} (se {:.3f}, p {:.3g}): {}\n", c.differential,
                  c.differential_se, c.differential_p,
                  c.differential_p < 0.05 ? "the predicted differences between customers are real"
                                          : "no evidence that the predicted differences are real");
  out +=
      "\nhow the effect moves with each feature (linear projection of the doubly robust "
      "scores):\n";
  for (const auto& t : r.projection)
    out += fmt::format("  {:<24} {:>10.5f}  [{:.5f}, {:.5f}]\n", t.name, t.estimate,
                       t.estimate - kZ * t.se, t.estimate + kZ * t.se);
  if (r.importance.empty()) return out;
  out += "\nfeature importance (share of the forest's splits, shallow splits weighted more):\n";
  for (const auto& [name, v] : r.importance) out += fmt::format("  {:<24} {:>6.3f}\n", name, v);
  return out;
}

}  // namespace

std::string uplift_method(const UpliftReport& r) {
  const std::string learner =
      r.method == "forest"
          ? fmt::format(
                "causal forest: {} trees, minimum leaf {} treated and {} control ({}), splits "
                "kept when their gain exceeds {:g} times the noise, out-of-bag predictions",
                r.trees, r.min_node_size, r.min_node_size, r.leaf_rule, r.min_split_gain)
          : fmt::format(
                "{}-learner with {} base models, cross-fitted predictions (no "
                "per-customer intervals: use --method forest for them)",
                r.method == "dr"  ? "DR"
                : r.method == "x" ? "X"
                : r.method == "s" ? "S"
                                  : "T",
                r.base);
  return fmt::format("{}; {} nuisance models", learner, r.nuisance);
}

std::string render_text(const UpliftReport& r) {
  constexpr double z = 1.959963984540054;
  std::string out =
      fmt::format("{} -> {}: whom does the treatment change?\n", r.treatment, r.outcome);
  out += wrap(
      fmt::format("data: {}: {} customers; effect modifiers: {}; controls (nuisance "
                  "models only): {}",
                  r.source, r.tau.size(), fmt::join(r.features, ", "),
                  r.controls.empty() ? "none" : fmt::format("{}", fmt::join(r.controls, ", "))),
      98, "  ");
  out += wrap(uplift_method(r), 98, "  ") + "\n";
  out += r.method == "forest"
             ? "average effects (doubly robust, with the forest's outcome models):\n"
             : "average effects (doubly robust):\n";
  for (const auto& a : r.averages)
    out += fmt::format("  {:<4} {:>9.4f}  [{:.4f}, {:.4f}]  over {} customers\n", a.target,
                       a.estimate, a.estimate - z * a.se, a.estimate + z * a.se, a.units);
  out += wrap(r.intervals
                  ? fmt::format("customers predicted to be hurt by the treatment: {:.1f} % "
                                "(from {:.1f} % whose whole 95 % interval is below 0 to {:.1f} % "
                                "whose interval reaches below 0)",
                                100 * r.share_hurt, 100 * r.share_hurt_low, 100 * r.share_hurt_high)
                  : fmt::format("customers predicted to be hurt by the treatment: {:.1f} %",
                                100 * r.share_hurt),
              98, "  ");
  out += "\n";
  out += r.holdout > 0 ? fmt::format(
                             "targeting, judged on the {:.0f} % held out of training ({} "
                             "customers, doubly robust scores):\n",
                             100 * r.holdout, r.evaluated_rows)
                       : fmt::format(
                             "targeting, judged on all {} customers ranked by cross-fitted "
                             "predictions (doubly robust scores):\n",
                             r.evaluated_rows);
  out += fmt::format(
      "  Qini area {:.5f} [{:.5f}, {:.5f}] (above 0: the ranking beats random targeting)\n",
      r.qini_area, r.qini_area - z * r.qini_se, r.qini_area + z * r.qini_se);
  out += fmt::format("  AUUC {:.5f} [{:.5f}, {:.5f}], random targeting {:.5f}\n", r.auuc,
                     r.auuc - z * r.auuc_se, r.auuc + z * r.auuc_se, r.auuc_random);
  out += wrap(fmt::format("  treating the top {:.0f} %: mean effect {:.4f} [{:.4f}, {:.4f}], "
                          "against {:.4f} for the same number chosen at random",
                          100 * r.budget, r.budget_lift, r.budget_lift - z * r.budget_se,
                          r.budget_lift + z * r.budget_se, r.evaluated_mean),
              98, "    ") +
         "\n";
  out += fmt::format("{:<8}{:>10}{:>9}{:>9}{:>12}{:>12}  {}\n", "decile", "customers", "treated",
                     "control", "predicted", "lift", "95 % interval of the lift");
  for (const auto& d : r.deciles)
    out +=
        fmt::format("{:<8}{:>10}{:>9}{:>9}{:>12.4f}{:>12}  {}\n", d.decile, d.customers, d.treated,
                    d.control, d.predicted, d.lift ? fmt::format("{:.4f}", *d.lift) : "-",
                    d.lift ? fmt::format("[{:.4f}, {:.4f}]", *d.low, *d.high) : d.note);
  out += wrap(fmt::format("(decile 1 = highest predicted uplift, ranked by {}; lift = mean "
                          "doubly robust score of the decile)",
                          r.holdout > 0 ? "the forest's predictions for held-out customers"
                                        : "cross-fitted predictions"),
              98, " ");
  out += render_forest_checks(r);
  if (!r.warnings.empty()) {
    out += "\nwarnings:\n";
    for (const auto& w : r.warnings) out += wrap("  - " + w, 98, "    ");
  }
  return out;
}

}  // namespace causeway

namespace causeway {
namespace {

nlohmann::json maybe(const std::optional<double>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json();
}

std::string shown(const std::optional<double>& v) {
  return v ? fmt::format("{:.6f}", *v) : "n/a";
}

}  // namespace

nlohmann::json to_json(const ScoreEvaluation& e) {
  nlohmann::json out = {{"total_lift", e.total_lift},
                        {"weighted_decile_lift", maybe(e.weighted_lift)},
                        {"deciles", nlohmann::json::array()},
                        {"cumulative", nlohmann::json::array()}};
  for (const auto& d : e.deciles)
    out["deciles"].push_back({{"decile", d.decile},
                              {"score_high", d.score_high},
                              {"score_low", d.score_low},
                              {"treated", d.treated},
                              {"control", d.control},
                              {"rate_treated", maybe(d.rate_treated)},
                              {"rate_control", maybe(d.rate_control)},
                              {"lift", maybe(d.lift)}});
  for (const auto& [share, lift] : e.cumulative)
    out["cumulative"].push_back({{"top_share", share}, {"lift", maybe(lift)}});
  if (!e.qini.empty()) {
    out["qini"] = e.qini;
    out["qini_coefficient"] = e.qini_coefficient;
  }
  out["warnings"] = e.warnings;
  return out;
}

std::string render_text(const ScoreEvaluation& e) {
  // a space before each number's column: a wide value (means near 1.7e12) cannot join the next
  std::string out = fmt::format(
      "{:<8}{:>20} {:>8} {:>8} {:>11} {:>11} {:>11}\n", "decile", "scores", "treated", "control",
      e.binary_outcome ? "rate_t" : "mean_t", e.binary_outcome ? "rate_c" : "mean_c", "lift");
  for (const auto& d : e.deciles)
    out += fmt::format("{:<8}{:>20} {:>8} {:>8} {:>11} {:>11} {:>11}\n", d.decile,
                       fmt::format("{:.3f}-{:.3f}", d.score_high, d.score_low), d.treated,
                       d.control, shown(d.rate_treated), shown(d.rate_control), shown(d.lift));
  out += "(decile 1 = highest scores, ranked jointly; n/a: no treated or no control customer)\n";
  out +=
      fmt::format("total (whole sample, treated mean minus control mean): {:.6f}\n", e.total_lift);
  if (e.weighted_lift)
    out += wrap(fmt::format("weighted average of decile lifts (weights: treated customers; "
                            "deciles without a lift left out): {:.6f}",
                            *e.weighted_lift),
                98, "  ");
  std::string cumulative = "cumulative lift of the top share:";
  for (const auto& [share, lift] : e.cumulative)
    cumulative += fmt::format(" {:.0f}%: {}", 100 * share, shown(lift));
  out += wrap(cumulative, 98, "  ");
  if (!e.qini.empty())
    out += wrap(fmt::format("Qini coefficient {:.6f} (area between the Qini curve and the line "
                            "to Q(n) = {:.6f}, per customer; Q counts extra positive outcomes)",
                            e.qini_coefficient, e.qini.back()),
                98, "  ");
  if (!e.warnings.empty()) {
    out += "\nwarnings:\n";
    for (const auto& w : e.warnings) out += wrap("  - " + w, 98, "    ");
  }
  return out;
}

}  // namespace causeway
