// What every estimator receives, and the estimator functions the registry names.
#pragma once

#include "causeway/estimate/estimate.h"

namespace causeway {

struct MethodInput {
  const AnalysisData& data;
  const PropensityModel* propensity;  // fitted on data; null for methods that need none
  const EstimateOptions& options;
  // Matching fills this, when given, with each matched focal unit's outcome difference
  // (treated minus matched control): the pairs Rosenbaum's bounds test.
  std::vector<double>* differences = nullptr;
  // Matching fills this, when given, with each unit's weight in the matched sample (1 as a
  // matched focal unit plus its uses as a match): what its balance table is computed on.
  Eigen::VectorXd* balance_weights = nullptr;
  // propensity->score, when nothing reads it after this method (see estimate_effect).
  Eigen::VectorXd* spent_scores = nullptr;
};

using MethodFunction = Estimate (*)(const MethodInput&);

Estimate estimate_naive(const MethodInput& in);
Estimate estimate_regression(const MethodInput& in);
Estimate estimate_matching(const MethodInput& in);
Estimate estimate_stratification(const MethodInput& in);
Estimate estimate_ipw(const MethodInput& in);
Estimate estimate_aipw(const MethodInput& in);
Estimate estimate_frontdoor(const MethodInput& in);
Estimate estimate_iv(const MethodInput& in);

// The propensity options of a run: the user's, with the run's thread count.
PropensityOptions propensity_options(const EstimateOptions& options);

// Fits the propensity model or throws its Status as an Error.
PropensityModel require_propensity(const AnalysisData& data, const EstimateOptions& options);

// n row indices drawn with replacement by Rng(seed): one bootstrap resample.
std::vector<std::size_t> resample_rows(std::size_t n, std::uint64_t seed);

// Replaces the analytic standard error of `point` by a bootstrap one.
void bootstrap_interval(Estimate& point, MethodFunction method, bool uses_propensity,
                        const AnalysisData& data, const EstimateOptions& options);

}  // namespace causeway
