#include "causeway/connect/push.h"

#include <fmt/format.h>

#include <memory>
#include <unordered_map>
#include <unordered_set>

#include "connect/http_retry.h"
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
};

Scores read_scores(const PushOptions& o) {
  Scores s;
  s.table = read_text_table(o.scores, "scores file");
  s.id = column_of(s.table.header, o.id_column, o.scores, "--id-column");
  for (const auto& f : o.fields)
    s.columns.push_back(column_of(s.table.header, f.column, o.scores, "--body"));
  std::unordered_map<std::string, std::size_t> seen;
  for (std::size_t r = 0; r < s.table.rows.size(); ++r) {
    const std::string& id = s.table.rows[r][s.id];
    if (id.empty() || id.find_first_of("\r\n") != std::string::npos)
      throw Error(ErrorCode::kBadInput,
                  fmt::format("{}: row {} has {} '{}'; every row needs an id on one line", o.scores,
                              r + 1, id.empty() ? "no" : "a line break in", o.id_column));
    if (auto [it, fresh] = seen.try_emplace(id, r); !fresh)
      throw Error(ErrorCode::kBadInput,
                  fmt::format("{}: id '{}' is on rows {} and {}; send one row per id", o.scores, id,
                              it->second + 1, r + 1));
  }
  return s;
}

struct Sent {
  bool delivered = false;
  PushFailure failure;
};

Sent send_row(const PushOptions& o, const std::string& url, const std::string& body,
              PushSummary& summary) {
  const RetriedResponse r =
      send_with_retries({o.method, url, o.token, body, o.timeout_seconds}, o.retries);
  summary.requests += static_cast<std::size_t>(r.attempts);
  summary.retries += static_cast<std::size_t>(r.attempts - 1);
  Sent sent;
  if (succeeded(r.response)) {
    sent.delivered = true;
    return sent;
  }
  sent.failure.status = r.response.status;
  sent.failure.reason = what_failed(r.response, o.token);
  if (retryable(r.response)) sent.failure.reason += fmt::format(" (after {} attempts)", r.attempts);
  return sent;
}

// Why no further row should be sent after this failure ("" : carry on).
std::string stop_reason(const PushFailure& f) {
  if (f.status == 401 || f.status == 403)
    return fmt::format("the API refused the token (HTTP {}) for id '{}'", f.status, f.id);
  if (f.status == 0) return fmt::format("no answer from the API for id '{}': {}", f.id, f.reason);
  return "";
}

}  // namespace

PushSummary push_scores(const PushOptions& o,
                        const std::function<void(const std::string&)>& print) {
  check_push_template(o.url_template, o.fields);
  const Scores scores = read_scores(o);
  const std::unordered_set<std::string> done =
      o.resume.empty() ? std::unordered_set<std::string>{} : read_journal(o.resume);
  std::unique_ptr<Journal> journal;
  if (!o.dry_run && !o.journal.empty()) journal = std::make_unique<Journal>(o.journal);
  PushSummary summary;
  summary.rows = scores.table.rows.size();
  std::vector<std::string_view> cells(o.fields.size());
  for (std::size_t r = 0; r < scores.table.rows.size(); ++r) {
    const std::vector<std::string>& row = scores.table.rows[r];
    const std::string& id = row[scores.id];
    if (done.count(id)) {
      ++summary.already_delivered;
      continue;
    }
    if (!summary.stopped.empty() || o.dry_run) {
      ++summary.not_attempted;
      if (!o.dry_run) continue;
    }
    for (std::size_t f = 0; f < cells.size(); ++f) cells[f] = row[scores.columns[f]];
    const std::string url = push_url(o.url_template, id), body = push_body(o.fields, cells);
    if (o.dry_run) {
      print(redact(fmt::format("{} {} {}", o.method, url, body), o.token));
      continue;
    }
    Sent sent = send_row(o, url, body, summary);
    if (sent.delivered) {
      if (journal) journal->append(id);
      ++summary.delivered;
      continue;
    }
    sent.failure.row = r + 1;
    sent.failure.id = id;
    summary.stopped = stop_reason(sent.failure);
    summary.failures.push_back(std::move(sent.failure));
    ++summary.failed;
  }
  if (!o.dry_run && !o.failures.empty()) write_failures(o.failures, scores.table, summary.failures);
  return summary;
}

}  // namespace causeway
