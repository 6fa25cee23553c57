#include "causeway/report/report.h"

namespace causeway {

nlohmann::json to_json(const Estimate& e) {
  return {{"method", e.method},
          {"target", target_name(e.target)},
          {"estimand", e.estimand},
          {"estimate", e.estimate},
          {"se", e.se},
          {"ci_low", e.ci_low},
          {"ci_high", e.ci_high},
          {"se_method", e.se_method},
          {"n_treated", e.n_treated},
          {"n_control", e.n_control},
          {"answers", e.answers},
          {"misses", e.misses},
          {"notes", e.notes},
          {"warnings", e.warnings},
          {"details", e.details}};
}

nlohmann::json to_json(const EstimationReport& r) {
  nlohmann::json j = {{"source", r.source},
                      {"treatment", r.treatment},
                      {"outcome", r.outcome},
                      {"coding", r.coding},
                      {"outcome_coding", r.outcome_coding},
                      {"rows_read", r.rows_read},
                      {"rows_used", r.rows_used},
                      {"rows_dropped", r.rows_dropped},
                      {"dropped_rows", r.dropped_rows},  // the first 100
                      {"dropped_rows_complete", r.dropped_rows.size() == r.rows_dropped},
                      {"n_treated", r.n_treated},
                      {"n_control", r.n_control},
                      {"covariates", r.covariates},
                      {"encoding", r.encoding},
                      {"identification", r.identification},
                      {"estimates", nlohmann::json::array()},
                      {"warnings", r.warnings}};
  for (const auto& e : r.estimates) j["estimates"].push_back(to_json(e));
  j["refused"] = nlohmann::json::array();
  for (const auto& [method, reason] : r.refused)
    j["refused"].push_back({{"method", method}, {"reason", reason}});
  if (r.propensity) {
    nlohmann::json coef = nlohmann::json::object();
    for (std::size_t i = 0; i < r.propensity->names.size(); ++i)
      coef[r.propensity->names[i]] = r.propensity->coef[i];
    j["propensity"] = {{"coefficients", coef},
                       {"excluded_by_separation", r.propensity->excluded},
                       {"l2", r.propensity->l2},
                       {"min_score", r.propensity->min_score},
                       {"max_score", r.propensity->max_score}};
  }
  if (r.true_att) j["truth"] = {{"att", *r.true_att}, {"ate", *r.true_ate}};
  return j;
}

}  // namespace causeway
