// A table handed over in memory (a pandas DataFrame in the Python module) instead of a file.
//
// Each column is numbers or text cells. Text cells follow read_csv's rules exactly (numbers,
// boolean-like words, levels; empty, NA, NaN and null are missing). Numbers are taken as they are:
// NaN is missing, infinity is refused, a column of only 0 and 1 is boolean-like as in a file.
// The options keep columns, force levels and choose the id column as for read_csv, with the same
// messages; rows count from 1 in them.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "causeway/data/csv.h"
#include "causeway/data/table.h"
#include "causeway/status.h"

namespace causeway {

struct FrameColumn {
  std::string name;
  // Only named: its values were not handed over (the caller knows the run does not use it). A
  // run that keeps it fails with an internal error.
  bool absent = false;
  bool numeric = false;
  std::span<const double> numbers;  // numeric: the values, not copied until kept
  std::vector<std::string> cells;   // text: one cell per row

  std::size_t size() const { return numeric ? numbers.size() : cells.size(); }
};

Result<Table> read_frame(const std::vector<FrameColumn>& columns, std::size_t rows,
                         const std::string& source, const CsvOptions& options);

}  // namespace causeway
