// A summary of a whole table: what `causeway describe` prints before any analysis.
//
// For every column: how it was read, how many values are missing and in which rows, its range or
// its levels; and table-level warnings for columns an analysis should not use as they are
// (constant, identical to another column, an identifier, numbers with stray text). Pure data;
// thread-safe.
#pragma once

#include <string>
#include <vector>

#include "causeway/data/table.h"

namespace causeway {

struct ColumnSummary {
  std::string name;
  std::string kind;  // numeric, boolean, categorical
  std::size_t missing = 0;
  std::vector<std::string> missing_rows;  // the first 10, named as in messages
  std::size_t distinct = 0;               // distinct present values (counted up to 1,000)
  double min = 0, max = 0;                // numeric and boolean columns
  std::vector<std::string> levels;        // categorical: the first 10 levels, sorted
};

struct TableSummary {
  std::string source;
  std::size_t rows = 0;
  std::string id_column;
  std::vector<ColumnSummary> columns;
  std::vector<std::string> warnings;
};

TableSummary describe(const Table& table);

}  // namespace causeway
