// `causeway signals`: interaction records (JSON arrays, JSON Lines, folders of pages of either)
// aggregated into one row per customer by a SignalMapping.
//
// Records stream through in bounded memory: one record is held at a time, plus one small
// accumulator per customer and column. A record that cannot be used (invalid JSON, not an
// object, no id, a field of the wrong type, a bad timestamp) is rejected whole: none of its
// values count, and the RejectSink receives it with its position and reason. Deciding how many
// rejects a run may have is the caller's.
//
// Failure: a Status for what ends the run (an unreadable file, a broken array structure).
// Thread-safe: no shared state; one call reads its files in order on the calling thread.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "causeway/connect/http_source.h"
#include "causeway/connect/mapping.h"
#include "causeway/status.h"

namespace causeway {

// One row per customer, sorted by id (byte order); ids are text as the records spell them.
struct SignalTable {
  std::string id_column;
  std::vector<std::string> columns;
  std::vector<std::string> ids;
  std::vector<double> cells;  // ids.size() x columns.size(), row-major; NaN: no value

  double cell(std::size_t row, std::size_t column) const {
    return cells[row * columns.size() + column];
  }
};

// A record that was not used, for the reject file.
struct RejectedRecord {
  std::string file;                  // the file, or the URL of a fetched page
  std::size_t line = 0;              // the record's line (an array element's first line)
  std::optional<std::size_t> page;   // a fetched record's page, from 1 (then no line)
  std::optional<std::size_t> index;  // an array element's index, from 0
  std::string reason;                // invalid JSON, not an object, missing id, wrong type, ...
  std::string detail;                // what exactly, and what to do
  std::string field;                 // the field at fault ("" when none)
  std::string excerpt;               // the record's first bytes

  // "file line 4", "file index 3 (line 12)" or "URL page 2 index 1"
  std::string position() const;
};

struct SignalColumnCounts {
  std::string name;
  std::string aggregate;
  std::optional<double> fallback;
  std::size_t defaults_used = 0;  // accepted records where the default stood in
  std::size_t missing = 0;        // accepted records without the value and without a default
  std::size_t empty_cells = 0;    // customers left without a value (an empty CSV cell)
};

struct SignalsSummary {
  std::vector<std::string> files;
  std::string url;                                   // --url: the API read instead of files
  std::size_t pages = 0, requests = 0, retries = 0;  // --url: what fetching took
  std::size_t records = 0, accepted = 0, rejected = 0, customers = 0;
  std::map<std::string, std::size_t> rejected_by_reason;
  std::optional<RejectedRecord> first_reject;
  std::vector<SignalColumnCounts> columns;
  // The mapping's paths (id, timestamp, sources) absent or null in every record that was read
  // as an object: most likely misspelt, since their columns hold only defaults.
  std::vector<std::string> paths_not_found;
};

using RejectSink = std::function<void(const RejectedRecord&)>;

// Reads every record of `files` (see input_files for folders) through `mapping`.
Result<SignalTable> collect_signals(const std::vector<std::string>& files,
                                    const SignalMapping& mapping, SignalsSummary& summary,
                                    const RejectSink& on_reject);

// Fetches every record of `source` page by page and reads them through `mapping`. Fails when a
// page cannot be fetched (after retries) or is not a page of records.
Result<SignalTable> collect_signals(const HttpSource& source, const SignalMapping& mapping,
                                    SignalsSummary& summary, const RejectSink& on_reject);

// The files of an input: the file itself, or a folder's *.json, *.jsonl and *.ndjson files in
// name order.
Result<std::vector<std::string>> signal_input_files(const std::string& input);

}  // namespace causeway
