#include "estimate/positivity.h"

#include <fmt/format.h>

#include <cmath>
#include <set>

#include "core/parallel.h"
#include "core/text.h"

namespace causeway {
bool near_one(double e) {
  return e >= 1.0 - kNumericalZero;
}
bool near_zero(double e) {
  return e <= kNumericalZero;
}

namespace {

// What still works: controls without counterpart leave the ATT defined, treated units without
// counterpart the ATC. `named`: how many separation findings name a covariate to remove;
// `unexplained`: whether some failing units are covered by none of them.
std::string advice(Target target, bool treated_alone, bool control_alone, std::size_t named,
                   bool unexplained) {
  std::string other;
  if (target == Target::kAte && !treated_alone) other = ", or --target att";
  if (target == Target::kAte && !control_alone) other = ", or --target atc";
  if (target == Target::kAtt && !control_alone) other = ", or --target atc";
  if (target == Target::kAtc && !treated_alone) other = ", or --target att";
  std::string remove = named == 1 ? "remove that covariate" : "remove those covariates";
  if (unexplained)
    remove = fmt::format(
        "{}remove or coarsen the covariates that predict the arm almost perfectly (the "
        "propensity model's largest coefficients)",
        named == 0 ? "" : remove + " and, for the other units, ");
  return remove + ", or pass --trim 0.01 to estimate the effect on the population with overlap" +
         other;
}

}  // namespace

void require_positivity(const AnalysisData& data, const PropensityModel& model, Target target,
                        const std::string& method, const std::vector<std::size_t>& rows) {
  // Scores known to keep clear of 0 and 1 need no look (a run's fit records how far they keep).
  if (model.clearance > 2 * kNumericalZero) return;
  // A treated unit near 1 has no comparable control (it breaks the ATT and ATE); a control near 0
  // has no comparable treated unit (the ATC and ATE). Bitwise operators: the arms come in no
  // order a branch could predict.
  const bool count_treated = target != Target::kAtc, count_control = target != Target::kAtt;
  std::size_t bad = 0;
  bool treated_alone = false, control_alone = false;
  const std::size_t n = rows.empty() ? data.rows() : rows.size();
  const auto row_of = [&rows](std::size_t k) { return rows.empty() ? k : rows[k]; };
  const auto treated_at = [&](std::size_t i) {
    const auto at = static_cast<Eigen::Index>(i);
    return (data.t[at] == 1.0) & near_one(model.score[at]);
  };
  const auto control_at = [&](std::size_t i) {
    const auto at = static_cast<Eigen::Index>(i);
    return (data.t[at] == 0.0) & near_zero(model.score[at]);
  };
  // Whether a unit breaks the target: a treated unit alone where treated units count, a control
  // alone where controls do.
  const auto breaks = [&](bool treated, bool control) {
    return (count_treated & treated) | (count_control & control);
  };
  // Every row, or the listed ones: the loop is compiled for each, so that reading every row
  // needs no test per row of which it is.
  const auto scan = [&](auto row) {
#pragma omp parallel for schedule(static) reduction(+ : bad) \
    reduction(|| : treated_alone, control_alone) if (n >= kParallelRows)
    for (std::size_t k = 0; k < n; ++k) {
      const bool treated = treated_at(row(k)), control = control_at(row(k));
      treated_alone = treated_alone || treated;
      control_alone = control_alone || control;
      bad += breaks(treated, control);
    }
  };
  if (rows.empty())
    scan([](std::size_t k) { return k; });
  else
    scan([&rows](std::size_t k) { return rows[k]; });
  if (bad == 0) return;
  // The findings behind the failure: complete separation always; units fixed at 1 (treated
  // without counterpart) only where treated units count, at 0 only where controls do.
  std::string why;
  bool complete = false;
  std::size_t named = 0;
  std::set<std::size_t> covered;  // the rows whose scores the findings fix
  for (const auto& f : model.separation) {
    const bool matters =
        std::isnan(f.fixed_score) || (f.fixed_score == 1.0 ? count_treated : count_control);
    if (!matters) continue;
    why += " " + f.message + ".";
    ++named;
    covered.insert(f.rows.begin(), f.rows.end());
    complete = complete || std::isnan(f.fixed_score);
  }
  // Failing units no finding explains (near-separation on a numeric covariate, say).
  bool unexplained = false;
  for (std::size_t k = 0; k < n && !unexplained; ++k)
    unexplained =
        breaks(treated_at(row_of(k)), control_at(row_of(k))) && covered.count(row_of(k)) == 0;
  if (complete)
    throw Error(ErrorCode::kNotIdentifiable,
                fmt::format("{} cannot estimate any effect:{} Remove that covariate, or pass "
                            "--propensity-l2 1 for a penalised fit (whose estimate then rests on "
                            "extrapolation)",
                            method, why));
  throw Error(ErrorCode::kNotIdentifiable,
              fmt::format("{} cannot estimate the {}: positivity fails for {} whose "
                          "propensity is 0 or 1 (within 1e-10).{} Fix: {}",
                          method, target_name(target), counted(bad, "unit"), why,
                          advice(target, treated_alone, control_alone, named, unexplained)));
}

void note_trimming(std::size_t trimmed, double trim, Estimate& e) {
  e.details["trimmed"] = trimmed;
  if (trimmed > 0)
    e.notes.push_back(
        fmt::format("trimmed {} units with propensity outside [{}, {}]: the "
                    "estimand is now the {} of the overlap population",
                    trimmed, trim, 1 - trim, target_name(e.target)));
}

Estimate with_trimming(const MethodInput& in, Estimate (*method)(const MethodInput&)) {
  const std::vector<std::size_t> rows = trimmed_rows(in.propensity->score, in.options.trim);
  const AnalysisData sample = subsample(in.data, rows);
  if (sample.n_treated < 2 || sample.n_control < 2)
    throw Error(ErrorCode::kNotIdentifiable,
                fmt::format("trimming at {} leaves {} treated and {} control units; an interval "
                            "needs at least 2 in each arm, so lower --trim",
                            in.options.trim, sample.n_treated, sample.n_control));
  PropensityModel scores;  // the kept units' scores; nothing else is needed after trimming
  scores.score.resize(static_cast<Eigen::Index>(rows.size()));
  for (std::size_t i = 0; i < rows.size(); ++i)
    scores.score[static_cast<Eigen::Index>(i)] =
        in.propensity->score[static_cast<Eigen::Index>(rows[i])];
  EstimateOptions options = in.options;
  options.trim = 0.0;
  // The outputs a caller asked for: paired differences as they are, balance weights mapped back
  // to the untrimmed rows (0 for the units trimming dropped).
  MethodInput inner{sample, &scores, options, in.differences};
  Eigen::VectorXd kept_weights;
  if (in.balance_weights) inner.balance_weights = &kept_weights;
  Estimate e = method(inner);
  if (in.balance_weights) {
    *in.balance_weights = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(in.data.rows()));
    for (std::size_t i = 0; i < rows.size() && kept_weights.size() > 0; ++i)
      (*in.balance_weights)[static_cast<Eigen::Index>(rows[i])] =
          kept_weights[static_cast<Eigen::Index>(i)];
  }
  note_trimming(in.data.rows() - rows.size(), in.options.trim, e);
  return e;
}

std::vector<std::size_t> trimmed_rows(const Eigen::VectorXd& score, double trim) {
  std::vector<std::size_t> rows;
  for (Eigen::Index i = 0; i < score.size(); ++i)
    if (trim == 0.0 || (score[i] >= trim && score[i] <= 1.0 - trim))
      rows.push_back(static_cast<std::size_t>(i));
  return rows;
}

}  // namespace causeway
