#include "causeway/connect/push.h"

#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "connect/http_retry.h"
#include "connect/http_scheduler.h"
#include "connect/push_body.h"
#include "connect/push_files.h"

namespace causeway {

namespace {

std::size_t column_of(const std::vector<std::string>& header, const std::string& name,
                      const std::string& path, const char* option) {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return i;
  std::string list;
  for (const auto& h : header) list += (list.empty() ? "" : ", ") + h;
  throw Error(ErrorCode::kMissingColumn,
              fmt::format("{}: no column '{}' ({}); the columns are {}", path, name, option, list));
}

struct Scores {
  TextTable table;
  std::size_t id = 0;
  std::vector<std::size_t> columns;  // of the fields, in order
  std::vector<CellKind> kinds;       // how each field's column is sent
  std::vector<std::string> notes;
};

Scores read_scores(const PushOptions& o) {
  Scores s;
  s.table = read_text_table(o.scores, "scores file");
  s.id = column_of(s.table.header, o.id_column, o.scores, "--id-column");
  for (const auto& f : o.fields) {
    s.columns.push_back(column_of(s.table.header, f.column, o.scores, "--body"));
    std::string note;
    s.kinds.push_back(column_kind(s.table.rows, s.columns.back(), f.column, o.scores, note));
    if (!note.empty()) s.notes.push_back(note);
  }
  std::unordered_map<std::string, std::size_t> seen;
  for (std::size_t r = 0; r < s.table.rows.size(); ++r) {
    const std::string& id = s.table.rows[r][s.id];
    if (id.empty() || id.find_first_of("\r\n") != std::string::npos)
      throw Error(ErrorCode::kBadInput,
                  fmt::format("{}: row {} has {} '{}'; every row needs an id on one line", o.scores,
                              r + 1, id.empty() ? "no" : "a line break in", o.id_column));
    // In a URL path "." and ".." name the folder itself and its parent: the request would
    // reach another resource.
    if (id == "." || id == "..")
      throw Error(ErrorCode::kBadInput,
                  fmt::format("{}: row {}: the id '{}' cannot be sent in a URL (it means a folder "
                              "to HTTP and would reach another resource); nothing was sent",
                              o.scores, r + 1, id));
    if (auto [it, fresh] = seen.try_emplace(id, r); !fresh)
      throw Error(ErrorCode::kBadInput,
                  fmt::format("{}: id '{}' is on rows {} and {}; send one row per id", o.scores, id,
                              it->second + 1, r + 1));
  }
  return s;
}

// Why no further row should be sent after this failure ("" : carry on).
std::string stop_reason(const PushFailure& f) {
  if (f.status == 401 || f.status == 403)
    return fmt::format("the API refused the token (HTTP {}) for id '{}'", f.status, f.id);
  if (f.status == 0) return fmt::format("no answer from the API for id '{}': {}", f.id, f.reason);
  return "";
}

PushFailure failure_of(const RequestResult& r, const PushOptions& o, const Scores& scores) {
  PushFailure f;
  f.row = r.key + 1;
  f.id = scores.table.rows[r.key][scores.id];
  f.status = r.response.status;
  f.reason = what_failed(r.response, o.token);
  if (r.retry_abandoned)
    f.reason += fmt::format(" (after {} attempts; not retried: the run stopped)", r.attempts);
  else if (retryable(r.response))
    f.reason += fmt::format(" (after {} attempts)", r.attempts);
  return f;
}

// One request per row not delivered before, in row order, while the run lasts.
class RowRequests {
 public:
  RowRequests(const PushOptions& o, const Scores& s, const std::unordered_set<std::string>& done)
      : o_(o), s_(s), done_(done), cells_(o.fields.size()) {}

  std::optional<std::pair<std::size_t, HttpRequest>> next() {
    for (; row_ < s_.table.rows.size(); ++row_) {
      const std::vector<std::string>& row = s_.table.rows[row_];
      if (done_.count(row[s_.id])) continue;
      for (std::size_t f = 0; f < cells_.size(); ++f) cells_[f] = row[s_.columns[f]];
      HttpRequest r{o_.method,          push_url(o_.url_template, row[s_.id]),
                    o_.token,           push_body(o_.fields, cells_, s_.kinds),
                    o_.timeout_seconds, o_.verify_tls};
      return std::make_pair(row_++, std::move(r));
    }
    return std::nullopt;
  }

 private:
  const PushOptions& o_;
  const Scores& s_;
  const std::unordered_set<std::string>& done_;
  std::vector<std::string_view> cells_;
  std::size_t row_ = 0;
};

void print_requests(const PushOptions& o, const Scores& scores,
                    const std::unordered_set<std::string>& done, PushSummary& summary,
                    const std::function<void(const std::string&)>& print) {
  RowRequests rows(o, scores, done);
  while (auto r = rows.next()) {
    print(redact(fmt::format("{} {} {}", o.method, r->second.url, r->second.body), o.token));
    ++summary.not_attempted;
  }
}

// Sends the rows; records each result in `summary` and each delivery in `journal`.
void send_rows(const PushOptions& o, const Scores& scores,
               const std::unordered_set<std::string>& done, Journal* journal,
               PushSummary& summary) {
  RowRequests rows(o, scores, done);
  const OnResult on_result = [&](const RequestResult& r) {
    summary.requests += static_cast<std::size_t>(r.attempts);
    summary.retries += static_cast<std::size_t>(r.attempts - 1);
    if (succeeded(r.response)) {
      if (journal) journal->append(scores.table.rows[r.key][scores.id]);
      ++summary.delivered;
      return true;
    }
    summary.failures.push_back(failure_of(r, o, scores));
    ++summary.failed;
    const std::string stop = stop_reason(summary.failures.back());
    if (summary.stopped.empty()) summary.stopped = stop;
    return stop.empty();
  };
  const ScheduleOptions schedule{o.concurrency, o.rps, o.retries, o.interrupted};
  summary.interrupted = send_all([&] { return rows.next(); }, schedule, on_result);
  if (summary.interrupted && summary.stopped.empty()) summary.stopped = "interrupted";
}

}  // namespace

PushSummary push_scores(const PushOptions& o,
                        const std::function<void(const std::string&)>& print) {
  check_push_template(o.url_template, o.fields);
  const Scores scores = read_scores(o);
  std::unordered_set<std::string> done;
  if (!o.resume.empty())
    for (auto& id : read_journal(o.resume)) done.insert(std::move(id));
  PushSummary summary;
  summary.rows = scores.table.rows.size();
  summary.notes = scores.notes;
  for (const auto& row : scores.table.rows) summary.already_delivered += done.count(row[scores.id]);
  if (o.dry_run) {
    print_requests(o, scores, done, summary, print);
    return summary;
  }
  std::unique_ptr<Journal> journal;
  if (!o.journal.empty()) journal = std::make_unique<Journal>(o.journal);
  send_rows(o, scores, done, journal.get(), summary);
  summary.not_attempted =
      summary.rows - summary.already_delivered - summary.delivered - summary.failed;
  std::sort(summary.failures.begin(), summary.failures.end(),
            [](const PushFailure& a, const PushFailure& b) { return a.row < b.row; });
  if (!o.failures.empty()) write_failures(o.failures, scores.table, summary.failures, o.token);
  if (journal) {
    std::vector<std::string> ids;
    for (const auto& row : scores.table.rows) ids.push_back(row[scores.id]);
    journal->rewrite_in_order(ids);
  }
  return summary;
}

}  // namespace causeway
