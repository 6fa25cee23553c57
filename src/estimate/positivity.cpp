#include "estimate/positivity.h"

#include <fmt/format.h>

#include <cmath>

namespace causeway {
namespace {

bool violates(double t, double e, Target target) {
  const bool treated_bad = t == 1.0 && e >= 1.0;   // no comparable control
  const bool control_bad = t == 0.0 && e <= 0.0;   // no comparable treated unit
  const bool treated_zero = t == 1.0 && e <= 0.0;  // cannot happen for a fitted model
  const bool control_one = t == 0.0 && e >= 1.0;
  switch (target) {
    case Target::kAtt:
      return treated_bad || control_one;
    case Target::kAtc:
      return control_bad || treated_zero;
    case Target::kAte:
      return e <= 0.0 || e >= 1.0;
  }
  return false;
}

std::string advice(Target target) {
  switch (target) {
    case Target::kAte:
      return "estimate the ATT or ATC where they are defined (--target), or pass --trim 0.01 to "
             "estimate the effect on the population with overlap";
    case Target::kAtt:
      return "remove the covariate, pass --trim 0.01 to drop these units, or --target atc";
    case Target::kAtc:
      return "remove the covariate, pass --trim 0.01 to drop these units, or --target att";
  }
  return "";
}

}  // namespace

void require_positivity(const AnalysisData& data, const PropensityModel& model, Target target,
                        const std::string& method, const std::vector<std::size_t>& rows) {
  std::vector<bool> used(data.rows(), rows.empty());
  for (std::size_t r : rows) used[r] = true;
  std::size_t bad = 0;
  for (std::size_t r = 0; r < data.rows(); ++r) {
    const auto i = static_cast<Eigen::Index>(r);
    bad += used[r] && violates(data.t[i], model.score[i], target);
  }
  if (bad == 0) return;
  std::string why;
  bool complete = false;
  for (const auto& f : model.separation) {
    why += " " + f.message + ".";
    complete = complete || std::isnan(f.fixed_score);
  }
  if (complete)
    throw Error(ErrorCode::kNotIdentifiable,
                fmt::format("{} cannot estimate any effect:{} Remove that covariate, or pass "
                            "--propensity-l2 1 for a penalised fit (whose estimate then rests on "
                            "extrapolation)",
                            method, why));
  throw Error(ErrorCode::kNotIdentifiable,
              fmt::format("{} cannot estimate the {}: positivity fails for {} units whose "
                          "propensity is exactly 0 or 1.{} Fix: {}",
                          method, target_name(target), bad, why, advice(target)));
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
  if (sample.n_treated == 0 || sample.n_control == 0)
    throw Error(ErrorCode::kNotIdentifiable,
                fmt::format("trimming at {} leaves no {} unit; lower --trim", in.options.trim,
                            sample.n_treated == 0 ? "treated" : "control"));
  PropensityModel scores;  // the kept units' scores; nothing else is needed after trimming
  scores.score.resize(static_cast<Eigen::Index>(rows.size()));
  for (std::size_t i = 0; i < rows.size(); ++i)
    scores.score[static_cast<Eigen::Index>(i)] =
        in.propensity->score[static_cast<Eigen::Index>(rows[i])];
  EstimateOptions options = in.options;
  options.trim = 0.0;
  Estimate e = method({sample, &scores, options});
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
