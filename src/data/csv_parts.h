// The first pass over a large CSV body by several threads, each over whole lines.
//
// It stands in for the one-thread first pass (csv.cpp) only where it gives the same table: a body
// without quotes (a quoted field may hold a line break, so a part could start inside one) and
// without errors (the one-thread pass reports them, with their row and line). Each part writes
// its numbers into its own place of every column; the parts' findings about each column (kind,
// counts, first text value, boolean spellings) are folded together in file order.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "data/column_plan.h"

namespace causeway {

// The file's shape and reading rules, shared by the passes over its body.
struct Layout {
  const std::string& source;
  std::size_t width;  // fields per record
  char delimiter;
  bool detected;  // the delimiter was chosen from the header
  long id_field;  // -1: none
};

// Told, as a pass goes, which part [begin, end) of the text it has read and will not read again.
using DoneWith = std::function<void(std::size_t, std::size_t)>;

// No more records than this in `text`: its line ends (a line feed, a carriage return, or both in
// that order) and a last line without one; exact when no line is blank. Sets *quoted, when given,
// to whether the text holds a double quote.
std::size_t record_bound(std::string_view text, bool* quoted = nullptr);

// The first pass by `threads` threads over `body`, which starts at `offset` in the file. Fills
// `plans` (their values sized to the rows) and the table's row count and ids. Returns false,
// having changed nothing, when the one-thread pass must read the body instead.
bool parallel_first_pass(std::string_view body, std::size_t offset, const Layout& layout,
                         std::vector<ColumnPlan>& plans, Table& table, int threads,
                         const DoneWith& done_with);

}  // namespace causeway
