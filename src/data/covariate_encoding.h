// Encoding the user's common causes into the covariate matrix of an AnalysisData.
#pragma once

#include <string>
#include <vector>

#include "causeway/data/analysis_data.h"

namespace causeway {

// Largest magnitude a used number may have: standard errors multiply four such numbers (HC1:
// residual^2 x^2), which must stay below a double's 1e308 even summed over many rows.
constexpr double kLargestValue = 1e50;
// A column whose largest magnitude is below this underflows the same products: rescale it.
constexpr double kSmallestScale = 1e-50;

// Throws kBadInput unless every value of `values` (named `name` in messages, e.g. "'age'"; rows
// `rows` of `table`) stays
// within 1e50 in magnitude and, when not all zero, reaches at least 1e-50.
void check_scale(const Eigen::VectorXd& values, const std::string& name,
                 const std::vector<std::uint32_t>& rows, const Table& table);

// Encodes `names` over the table rows `rows` into data.x / data.x_names, dropping constant and
// duplicated columns with a warning and rejecting identifiers and linear dependence.
void encode_covariates(const Table& table, const std::vector<std::string>& names,
                       const std::vector<std::uint32_t>& rows, AnalysisData& data);

}  // namespace causeway
