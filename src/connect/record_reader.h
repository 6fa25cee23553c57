// Reads interaction records from files one at a time, in bounded memory: a JSON Lines file line
// by line, a JSON array file element by element, each from chunks of the file. A record's text
// is handed over as a view that simdjson may read SIMDJSON_PADDING bytes past.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace causeway {

// Where a record is in its file.
struct RecordPosition {
  std::string file;
  std::size_t line = 0;  // from 1: the record's line, or the line its array element starts on
  bool in_array = false;
  std::size_t index = 0;  // from 0, the element's index in the array (in_array only)
  std::size_t page = 0;   // from 1, the page of a record fetched over HTTP (0: from a file)
};

struct RawRecord {
  std::string_view text;  // the record (its first bytes only when `problem` says it is too long)
  RecordPosition position;
  std::string problem;  // non-empty when the reader itself refuses the record
};

using RecordSink = std::function<void(const RawRecord&)>;

// A record longer than this is refused (JSON Lines) or ends the run (JSON array).
constexpr std::size_t kMaxRecordBytes = std::size_t{64} << 20;

// The files of an input: the file itself, or a folder's *.json, *.jsonl and *.ndjson files in
// name order. Throws Error(kIo / kBadInput) when there is nothing to read.
std::vector<std::string> input_files(const std::string& input);

// Hands each record of `file` to `sink`, in file order. A file whose first character is '['
// is a JSON array, unless that array closes on line 1 and more lines follow: then, like any
// other, it is JSON Lines (blank lines skipped), whose first record (an array) is refused by
// the caller. Throws Error when the file cannot be read or an array's structure is broken (not
// closed, text after it).
void read_records(const std::string& file, const RecordSink& sink);

}  // namespace causeway
