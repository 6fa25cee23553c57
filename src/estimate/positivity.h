// Positivity: an estimand needs comparable units in the other arm.
#pragma once

#include <vector>

#include "causeway/estimate/estimate.h"
#include "estimate/method.h"

namespace causeway {

// Throws kNotIdentifiable when a unit the target covers has a propensity of exactly 0 or 1 (the
// ATT needs every treated score below 1, the ATC every control score above 0, the ATE both),
// naming the separation finding responsible and the options that help. `rows` limits the check
// to the units used (all when empty).
void require_positivity(const AnalysisData& data, const PropensityModel& model, Target target,
                        const std::string& method, const std::vector<std::size_t>& rows = {});

// Records how many units trimming dropped (details "trimmed") and, when any, that the estimand is
// now the overlap population's.
void note_trimming(std::size_t trimmed, double trim, Estimate& e);

// Runs `method` on the units whose score lies inside [trim, 1 - trim] (options.trim > 0), with
// the propensity scores carried over (not refitted), and notes the trimming on the result.
Estimate with_trimming(const MethodInput& in, Estimate (*method)(const MethodInput&));

// Scores this close to 0 or 1 are 0 or 1 in all but name: their weights reach 1e10, and a fitted
// logistic rounds to exactly 1 beyond a linear predictor of 37. Every positivity check uses them.
constexpr double kNumericalZero = 1e-10;
bool near_one(double e);
bool near_zero(double e);

// Units with score inside [trim, 1 - trim], all units when trim == 0.
std::vector<std::size_t> trimmed_rows(const Eigen::VectorXd& score, double trim);

}  // namespace causeway
