// Reading a customer table from a CSV file.
//
// The file must have a header row. The delimiter (comma, semicolon, tab or |) is detected from the
// header unless given. Quoted fields may hold delimiters, doubled quotes and newlines; CRLF line
// ends and a UTF-8 byte-order mark are accepted; entirely blank lines are skipped. Missing cells
// are empty, NA, NaN or null (any case). Each kept column's type is inferred from all its values:
// numeric, boolean-like (0/1, true/false, yes/no in any case) or categorical text.
//
// Failure: a Status naming the file, the row (and line, when a quoted field spans lines), the
// column and what to do. Thread-safe: no shared state.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "causeway/data/table.h"
#include "causeway/status.h"

namespace causeway {

struct CsvOptions {
  char delimiter = 0;                 // 0: detect from the header
  std::vector<std::string> keep;      // columns to keep (empty: all); unknown names fail
  std::set<std::string> categorical;  // read these as categorical even if they look numeric
  std::string id_column;              // "" : a column named id or *_id, if any; "-": none
};

Result<Table> read_csv(const std::string& path, const CsvOptions& options);

// The header of the file at `path` (as read_csv reads it, "-" for standard input) as a table of
// no rows: its columns, checked against options.keep as read_csv checks them. Only the first line
// is read, except from standard input when it is a pipe, which is read whole and kept for the
// read_csv that follows (a pipe can be read once).
Result<Table> read_csv_header(const std::string& path, const CsvOptions& options);

// Parses CSV text held in memory; `source` names it in messages.
Result<Table> parse_csv(std::string_view text, const std::string& source,
                        const CsvOptions& options);

}  // namespace causeway
