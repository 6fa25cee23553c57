#include "causeway/estimate/diagnostics.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "causeway/estimate/balance.h"
#include "estimate/method.h"
#include "estimate/positivity.h"

namespace causeway {
namespace {

constexpr int kHistogramBins = 20;

}  // namespace

// With g = 1 / (e (1 - e)), keep the units with g <= gamma where gamma = 2 E[g | g <= gamma];
// alpha solves alpha (1 - alpha) = 1 / gamma. When the largest g is at most twice the mean,
// every unit stays (alpha = 0). Units with a score of exactly 0 or 1 have g infinite and are
// always dropped. On sorted g the root lies where twice the running mean first falls short of
// the next g.
double crump_trim_bound(const Eigen::VectorXd& score) {
  std::vector<double> g(static_cast<std::size_t>(score.size()));
  for (Eigen::Index i = 0; i < score.size(); ++i) {
    const double e = score[i];
    g[static_cast<std::size_t>(i)] = e > 0 && e < 1 ? 1 / (e * (1 - e)) : INFINITY;
  }
  std::sort(g.begin(), g.end());
  if (g.empty() || std::isinf(g.front())) return 0.5;  // no score inside (0, 1): nothing stays
  double sum = 0;
  for (std::size_t k = 0; k < g.size(); ++k) {
    sum += g[k];
    const double gamma = 2 * sum / static_cast<double>(k + 1);
    if (k + 1 < g.size() && gamma < g[k + 1]) return 0.5 - std::sqrt(0.25 - 1 / gamma);
  }
  return 0;
}

namespace {

// "plan=basic" as a reader writes it: "plan = basic".
std::string spaced(const std::string& name) {
  const auto eq = name.find('=');
  return eq == std::string::npos ? name : name.substr(0, eq) + " = " + name.substr(eq + 1);
}

bool zero_one(const Eigen::VectorXd& x) {
  return ((x.array() == 0) || (x.array() == 1)).all();
}

// Levels (and values of 0/1 columns) that one arm never has while the other does.
std::vector<std::string> violations(const AnalysisData& d) {
  std::vector<std::pair<std::string, Eigen::VectorXd>> indicators;  // label, 1 when it holds
  for (Eigen::Index j = 0; j < d.x.cols(); ++j) {
    const Eigen::VectorXd x = d.x.col(j);
    if (!zero_one(x)) continue;
    const auto& labels = d.x_value_labels[static_cast<std::size_t>(j)];
    const std::string& name = d.x_names[static_cast<std::size_t>(j)];
    indicators.emplace_back(labels[1].empty() ? spaced(name) + " = 1" : labels[1], x);
    // The 0 side names a level only for a two-valued column ("region = north"), not "!=".
    if (labels[0].empty() || labels[0].find("!=") == std::string::npos)
      indicators.emplace_back(labels[0].empty() ? spaced(name) + " = 0" : labels[0],
                              Eigen::VectorXd::Ones(x.size()) - x);
  }
  for (const auto& ref : d.reference_levels) {
    Eigen::VectorXd x = Eigen::VectorXd::Ones(d.t.size());
    for (std::size_t c : ref.columns) x -= d.x.col(static_cast<Eigen::Index>(c));
    indicators.emplace_back(spaced(ref.name), x);
  }
  std::vector<std::string> out;
  std::set<std::string> said;
  for (const auto& [label, x] : indicators) {
    std::size_t has[2] = {0, 0};
    for (Eigen::Index i = 0; i < x.size(); ++i) has[d.t[i] == 1.0] += x[i] == 1.0;
    for (int a = 0; a < 2; ++a)
      if (has[a] == 0 && has[1 - a] > 0 && said.insert(label).second)
        out.push_back(fmt::format("no {} customer has {} ({} {} customer{} do{})",
                                  a ? "treated" : "control", label, has[1 - a],
                                  a ? "control" : "treated", has[1 - a] == 1 ? "" : "s",
                                  has[1 - a] == 1 ? "es" : ""));
  }
  return out;
}

OverlapDiagnostics overlap(const AnalysisData& d, const Eigen::VectorXd& score) {
  OverlapDiagnostics o;
  for (int a = 0; a < 2; ++a) {
    o.counts[a].assign(kHistogramBins, 0);
    o.min_score[a] = 1, o.max_score[a] = 0;
  }
  for (Eigen::Index i = 0; i < score.size(); ++i) {
    const int a = d.t[i] == 1.0;
    const double e = score[i];
    ++o.counts[a][std::min<std::size_t>(static_cast<std::size_t>(e * kHistogramBins),
                                        kHistogramBins - 1)];
    o.min_score[a] = std::min(o.min_score[a], e);
    o.max_score[a] = std::max(o.max_score[a], e);
    o.below[a] += e < o.extreme;
    o.above[a] += e > 1 - o.extreme;
  }
  o.support_low = std::max(o.min_score[0], o.min_score[1]);
  o.support_high = std::min(o.max_score[0], o.max_score[1]);
  o.crump_alpha = crump_trim_bound(score);
  for (Eigen::Index i = 0; i < score.size(); ++i) {
    const int a = d.t[i] == 1.0;
    const double e = score[i];
    o.outside_support[a] += e < o.support_low || e > o.support_high;
    o.crump_trimmed[a] += o.crump_alpha > 0 && (e < o.crump_alpha || e > 1 - o.crump_alpha);
  }
  o.violations = violations(d);
  return o;
}

// Inverse propensity weights for `target` (units outside [trim, 1 - trim] weigh 0), or the
// reason they cannot stand for the target: positivity fails, as in the estimators. The ATE needs
// every score strictly between 0 and 1, the ATT every score below 1, the ATC every score above 0.
std::optional<Eigen::VectorXd> propensity_weights(const AnalysisData& d,
                                                  const Eigen::VectorXd& score, Target target,
                                                  double trim, double suggested_trim,
                                                  std::string& why) {
  Eigen::VectorXd w(score.size());
  std::size_t failing = 0;
  for (Eigen::Index i = 0; i < score.size(); ++i) {
    const double e = score[i];
    const bool treated = d.t[i] == 1.0;
    if (trim > 0 && (e < trim || e > 1 - trim)) {
      w[i] = 0;
      continue;
    }
    failing += (target != Target::kAtc && near_one(e)) || (target != Target::kAtt && near_zero(e));
    switch (target) {
      case Target::kAte:
        w[i] = treated ? 1 / e : 1 / (1 - e);
        break;
      case Target::kAtt:
        w[i] = treated ? 1 : e / (1 - e);
        break;
      case Target::kAtc:
        w[i] = treated ? (1 - e) / e : 1;
        break;
    }
  }
  if (failing > 0) {
    why = fmt::format(
        "not defined: {} unit{} {} a propensity of 0 or 1, which the {} cannot "
        "weigh (positivity fails; see overlap); give --trim {:.3f} or another "
        "--target",
        failing, failing == 1 ? "" : "s", failing == 1 ? "has" : "have", target_label(target),
        suggested_trim > 0 && suggested_trim < 0.5 ? suggested_trim : 0.01);
    return std::nullopt;
  }
  return w;
}

std::optional<double> present(double v) {
  return std::isfinite(v) ? std::optional<double>(v) : std::nullopt;
}

bool outside(const std::optional<double>& smd, const std::optional<double>& ratio) {
  return (smd && std::abs(*smd) > kImbalancedSmd) || (ratio && (*ratio < 0.5 || *ratio > 2));
}

DiagnosticsReport run_diagnostics(const AnalysisData& d, const EstimateOptions& options) {
  const PropensityModel pm = require_propensity(d, options);
  DiagnosticsReport r;
  r.source = d.source;
  r.treatment = d.treatment;
  r.outcome = d.outcome;
  r.coding = d.coding();
  r.rows_used = d.rows();
  r.rows_dropped = d.rows_dropped;
  r.n_treated = d.n_treated;
  r.n_control = d.n_control;
  r.target = options.target;
  r.propensity_terms.assign(pm.names.begin() + (pm.names.empty() ? 0 : 1), pm.names.end());
  r.warnings = d.warnings;
  r.warnings.insert(r.warnings.end(), pm.warnings.begin(), pm.warnings.end());
  r.overlap = overlap(d, pm.score);
  for (const auto& v : r.overlap.violations) r.warnings.push_back("positivity: " + v);

  const Eigen::VectorXd none = Eigen::VectorXd::Zero(d.t.size());
  std::vector<BalanceRow> matched_rows, weighted_rows;
  try {
    Eigen::VectorXd weights;
    MethodInput in{d, &pm, options};
    in.balance_weights = &weights;
    const Estimate e = estimate_matching(in);
    if (weights.size() != static_cast<Eigen::Index>(d.rows()))
      throw Error(ErrorCode::kInternal, "matching returned no balance weights");
    matched_rows = covariate_balance(d, weights);
    r.matched = true;
    r.matching = fmt::format(
        "nearest neighbour on the propensity score, 1:{}, {} replacement{}, {} treated and {} "
        "control units in the matched sample ({})",
        options.matching.k, options.matching.replace ? "with" : "without",
        options.matching.caliper > 0 ? fmt::format(", caliper {}", options.matching.caliper) : "",
        e.n_treated, e.n_control, target_label(options.target));
    // What matching said about itself (units left unmatched, controls used up, ...).
    for (const auto& w : e.warnings)
      if (w.find("imbalanced after adjustment") == std::string::npos)
        r.warnings.push_back("matching: " + w);
  } catch (const Error& e) {
    r.matching = fmt::format("not available: {}", e.what());
  }
  std::string why;
  if (const auto w = propensity_weights(d, pm.score, options.target, options.trim,
                                        r.overlap.crump_alpha, why)) {
    weighted_rows = covariate_balance(d, *w);
    r.weighted = true;
    std::size_t left_out[2] = {0, 0};
    for (Eigen::Index i = 0; i < w->size(); ++i) left_out[d.t[i] == 1.0] += (*w)[i] == 0;
    r.weighting = fmt::format(
        "inverse propensity weights for the {}{}", target_label(options.target),
        options.trim > 0 ? fmt::format(", {} treated and {} control units with scores outside "
                                       "[{}, {}] left out",
                                       left_out[1], left_out[0], options.trim, 1 - options.trim)
                         : "");
    for (int a = 0; a < 2; ++a) {
      double sum = 0, squares = 0;
      for (Eigen::Index i = 0; i < w->size(); ++i)
        if ((d.t[i] == 1.0) == (a == 1)) sum += (*w)[i], squares += (*w)[i] * (*w)[i];
      r.effective_size[a] = squares > 0 ? sum * sum / squares : 0;
    }
    // A handful of heavily weighted units make any balance look good or bad by chance.
    if (std::min(r.effective_size[0], r.effective_size[1]) < 20)
      r.warnings.push_back(fmt::format(
          "under the weights the balance rests on an effective {:.1f} treated and {:.1f} control "
          "units: too few to judge it{}",
          r.effective_size[1], r.effective_size[0], options.trim > 0 ? "; lower --trim" : ""));
  } else {
    r.weighting = why;
  }

  const std::vector<BalanceRow> before = covariate_balance(d, none);
  for (std::size_t k = 0; k < before.size(); ++k) {
    BalanceDiagnostic b;
    b.covariate = before[k].covariate;
    b.mean_treated = before[k].mean_treated;
    b.mean_control = before[k].mean_control;
    b.smd_before = before[k].smd_before;
    b.variance_ratio_before = present(before[k].variance_ratio_before);
    if (r.matched) {
      b.smd_matched = present(matched_rows[k].smd_after);
      b.variance_ratio_matched = present(matched_rows[k].variance_ratio_after);
    }
    if (r.weighted) {
      b.smd_weighted = present(weighted_rows[k].smd_after);
      b.variance_ratio_weighted = present(weighted_rows[k].variance_ratio_after);
    }
    // Flagged when an adjustment leaves it imbalanced (before adjustment when none was possible).
    b.flagged = r.matched || r.weighted ? outside(b.smd_matched, b.variance_ratio_matched) ||
                                              outside(b.smd_weighted, b.variance_ratio_weighted)
                                        : outside(b.smd_before, b.variance_ratio_before);
    r.balance.push_back(std::move(b));
  }
  // Covariates an adjustment leaves imbalanced, named with their SMD.
  const auto still = [&](const char* adjustment, auto smd_of) {
    std::string names;
    std::size_t count = 0;
    for (const auto& b : r.balance)
      if (const std::optional<double> smd = smd_of(b); smd && std::abs(*smd) > kImbalancedSmd)
        names += fmt::format("{}{} ({:.3f})", count++ ? ", " : "", b.covariate, *smd);
    if (count > 0)
      r.warnings.push_back(fmt::format("{} {} covariate{} still {} |SMD| above 0.1: {}", adjustment,
                                       count, count == 1 ? "" : "s", count == 1 ? "has" : "have",
                                       names));
  };
  still("after matching,", [](const BalanceDiagnostic& b) { return b.smd_matched; });
  still("under the weights,", [](const BalanceDiagnostic& b) { return b.smd_weighted; });
  const auto& o = r.overlap;
  if (o.support_low > o.support_high)
    r.warnings.push_back(
        "no common support: the treated and control scores do not overlap at all, so every "
        "comparison is an extrapolation; trimming cannot help: remove or coarsen the covariate "
        "that separates the arms (see the separation warning)");
  else if (o.crump_alpha >= 0.5)
    r.warnings.push_back(
        "every unit has a propensity of exactly 0 or 1: trimming cannot help; remove or coarsen "
        "the covariate that separates the arms");
  else if (o.crump_alpha > 0 && options.trim < o.crump_alpha)
    r.warnings.push_back(fmt::format(
        "limited overlap: {} treated and {} control units have scores outside [{:.3f}, {:.3f}], "
        "the bounds Crump et al.'s rule suggests; consider --trim {:.3f}",
        o.crump_trimmed[1], o.crump_trimmed[0], o.crump_alpha, 1 - o.crump_alpha, o.crump_alpha));
  return r;
}

}  // namespace

Result<DiagnosticsReport> diagnose(const AnalysisData& data, const EstimateOptions& options) {
  return guarded([&] { return run_diagnostics(data, options); });
}

}  // namespace causeway
