// Encoding the user's common causes into the covariate matrix of an AnalysisData.
#pragma once

#include <string>
#include <vector>

#include "causeway/data/analysis_data.h"

namespace causeway {

// Largest magnitude a used number may have: squares of larger values overflow a double.
constexpr double kLargestValue = 1e100;

// Encodes `names` over the table rows `rows` into data.x / data.x_names, dropping constant and
// duplicated columns with a warning and rejecting identifiers and linear dependence.
void encode_covariates(const Table& table, const std::vector<std::string>& names,
                       const std::vector<std::size_t>& rows, AnalysisData& data);

}  // namespace causeway
