// Joining the per-customer signals with an outcomes CSV (one row per customer, from the CRM),
// and writing the analysis table as CSV text for `causeway estimate` and `causeway uplift`.
//
// The join keeps the customers present on both sides; those on one side only are counted and
// the first few named in the OutcomeJoin, never dropped silently. Ids are compared as text:
// "007" and "7" are different customers. Outcome values are copied as the file spells them.
//
// Failure: a Status naming the outcomes file, the row and the column (a missing --on column, a
// repeated or empty id, a column name that clashes with a signal column).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "causeway/connect/signals.h"
#include "causeway/status.h"

namespace causeway {

// A table of text cells: header and rows of the same width.
struct TextTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

// A CSV file as text cells, each trimmed; `what` names the file in messages ("outcomes file").
// Throws Error(kIo) when it cannot be read, Error(kBadInput) naming the line of a ragged row.
TextTable read_text_table(const std::string& path, const std::string& what);

struct OutcomeJoin {
  std::string file, on;
  std::size_t matched = 0, signals_only = 0, outcomes_only = 0;
  std::vector<std::string> first_signals_only, first_outcomes_only;  // at most five each
};

// The signals as text: ids as they are, numbers in their shortest exact form, no value empty.
TextTable signal_text_table(const SignalTable& signals);

// The signals' rows with the outcome file's columns (all but `on`) appended, for the customers
// on both sides, in the signals' order.
Result<TextTable> join_outcomes(const TextTable& signals, const std::string& outcomes_path,
                                const std::string& on, OutcomeJoin& join);

// The table as comma-separated text with a header row; fields quoted where CSV needs it.
std::string csv_text(const TextTable& table);

}  // namespace causeway
