// Which rows are treated: the treatment column's values mapped to arms.
#pragma once

#include <cstdint>
#include <vector>

#include "causeway/data/analysis_data.h"

namespace causeway {

// 1 for treated, 0 for control, -1 for rows of neither arm or not kept (one byte a row: the
// table can be large). Sets data.treated_label and data.control_label. Throws Error naming the
// column and its values when the arms are not two the run can tell apart. `keep` marks the rows
// kept after the missing-value policy; data.rows_dropped must count the others.
std::vector<std::int8_t> code_treatment(const Table& table, const Column& col,
                                        const AnalysisSpec& spec, const std::vector<bool>& keep,
                                        AnalysisData& data);

}  // namespace causeway
