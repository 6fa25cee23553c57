// `causeway push`: one row of a scores CSV per request to a REST API, e.g. a CRM's customer
// records, with retries, a journal of deliveries and a failures CSV.
//
// The URL is `url_template` with "{id}" replaced by the row's id, percent-encoded. The body is
// a JSON object built from `fields`: each names a dotted path ("customAttributes.uplift_score",
// nested objects) and the column whose cell it takes; a cell that reads as a finite number is
// sent as a number, an empty cell as null, anything else as text.
//
// Every row ends in one of: delivered (2xx; its id appended to the journal and flushed at once),
// already delivered (its id was in the --resume journal: not sent again), failed (a final
// non-2xx answer, or retries spent; status and a body excerpt kept) or not attempted (the run
// stopped first: after a refused token (401, 403), a transport failure that outlived its
// retries, or `interrupted`). Up to `concurrency` requests are in flight at once, at most `rps`
// started a second; which rows end where does not depend on either, only the order of the
// requests does (except after an early stop: the requests in flight then still finish, and their
// number depends on the concurrency). When the run ends the journal is rewritten in the scores
// file's row order (ids from earlier runs that are not in this file first) and the failures are
// listed by row, so both files have the same content whatever the concurrency. The token is never
// in a message, the output, the journal or the failures file.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "causeway/status.h"

namespace causeway {

struct PushField {
  std::string path;    // "customAttributes.uplift_score"
  std::string column;  // "predicted_uplift"
};

struct PushOptions {
  std::string scores;  // the CSV
  std::string url_template, method = "PUT", id_column = "customer_id";
  std::vector<PushField> fields;
  std::string token;
  std::string journal;   // "" : no journal
  std::string resume;    // "" : nothing delivered before
  std::string failures;  // "" : no failures CSV
  bool dry_run = false;
  int retries = 5;
  double timeout_seconds = 30;
  int concurrency = 4;     // requests in flight at once
  double rps = 0;          // requests started a second; 0: no limit
  bool verify_tls = true;  // false only for --insecure
  // Polled while sending; once true, no new request or retry starts, the requests in flight
  // are awaited (and journaled), and the run ends with the rest not attempted.
  std::function<bool()> interrupted;
};

struct PushFailure {
  std::size_t row = 0;  // 1 = the first data row
  std::string id, reason;
  long status = 0;  // 0: no answer
};

struct PushSummary {
  std::size_t rows = 0, delivered = 0, already_delivered = 0, failed = 0, not_attempted = 0;
  std::size_t requests = 0, retries = 0;
  std::string stopped;  // why the run stopped early ("" when it did not)
  bool interrupted = false;
  std::vector<PushFailure> failures;  // by row
  std::vector<std::string> notes;     // how columns were sent, when worth saying
};

// "a.b=col1,c=col2" as fields; throws Error(kBadInput) naming the mistake.
std::vector<PushField> parse_push_body(const std::string& text);

// Sends (or, with dry_run, prints through `print`) one request per row of the scores file.
// Bad options or a bad file: Error(kBadInput / kMissingColumn) before anything is sent.
PushSummary push_scores(const PushOptions& options,
                        const std::function<void(const std::string&)>& print);

}  // namespace causeway
