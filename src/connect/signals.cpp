#include "causeway/connect/signals.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>

#include "connect/aggregator.h"
#include "connect/http_records.h"
#include "connect/http_retry.h"
#include "connect/json_strings.h"
#include "connect/record_reader.h"
#include "connect/record_values.h"
#include "connect/timestamp.h"
#include "core/text.h"

namespace causeway {

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

constexpr std::size_t kExcerptBytes = 1000;

// Whether the integer `digits` (no sign, no leading zeros) exceeds `limit` (as many digits).
bool beyond(std::string_view digits, std::string_view limit) {
  return digits.size() > limit.size() || (digits.size() == limit.size() && digits > limit);
}

// The first whole number in a record's text that does not fit in 64 bits ("" when none):
// simdjson refuses the record for it with a message that does not say so.
std::string_view too_large_integer(std::string_view text) {
  JsonStrings strings;
  for (std::size_t at = 0; at < text.size(); ++at) {
    const char c = text[at];
    if (strings.inside(c) || (c != '-' && (c < '0' || c > '9'))) continue;
    std::size_t end = at;
    while (end < text.size() &&
           std::string_view("-+.eE0123456789").find(text[end]) != std::string_view::npos)
      ++end;
    const std::string_view number = text.substr(at, end - at);
    const bool negative = c == '-';
    const std::string_view digits = number.substr(negative ? 1 : 0);
    if (number.find_first_of(".eE") == std::string_view::npos &&
        beyond(digits, negative ? "9223372036854775808" : "18446744073709551615"))
      return number;
    at = end - 1;  // the loop steps on to the character after the number
  }
  return {};
}

RecordProblem invalid_json(simdjson::error_code error, std::string_view text) {
  const std::string_view large =
      error == simdjson::NUMBER_ERROR ? too_large_integer(text) : std::string_view();
  if (large.empty()) return {"invalid JSON", simdjson::error_message(error), ""};
  return {"number too large",
          fmt::format("the whole number {} does not fit in 64 bits; an id this long must be "
                      "exported as text (\"{}\")",
                      printable(large, 40), printable(large, 40)),
          ""};
}

class Collector {
 public:
  // `secret` (the API token, "" for files) is redacted from every reject.
  Collector(const SignalMapping& mapping, SignalsSummary& summary, const RejectSink& on_reject,
            std::string secret = "")
      : mapping_(mapping),
        summary_(summary),
        on_reject_(on_reject),
        aggregator_(mapping),
        secret_(std::move(secret)) {
    for (const auto& c : mapping.columns) {
      summary.columns.push_back({c.name, aggregation_name(c.aggregation), c.fallback, 0, 0, 0});
      needs_time_ = needs_time_ || c.aggregation == Aggregation::kLast;
    }
    unseen_.push_back(&mapping.id);
    if (mapping.timestamp) unseen_.push_back(&*mapping.timestamp);
    for (const auto& c : mapping.columns) add_paths(c.source);
    values_.resize(mapping.columns.size());
    defaulted_.resize(mapping.columns.size());
  }

  void operator()(const RawRecord& record) {
    ++summary_.records;
    if (!record.problem.empty()) return reject(record, {"too long", record.problem, ""});
    try {
      accept(record);
    } catch (const RecordProblem& problem) {
      reject(record, problem);
    }
  }

  SignalTable table() {
    if (summary_.records > 0)
      for (const FieldPath* path : unseen_) summary_.paths_not_found.push_back(path->text);
    summary_.customers = aggregator_.customers();
    return aggregator_.table(summary_.columns);
  }

 private:
  void accept(const RawRecord& record) {
    element root;
    const auto error = parser_.parse(record.text.data(), record.text.size(), false).get(root);
    if (error) throw invalid_json(error, record.text);
    if (root.type() != element_type::OBJECT)
      throw RecordProblem{
          "not an object",
          fmt::format("the record is {}; each record must be a JSON object", json_kind(root)), ""};
    if (!unseen_.empty()) note_found(root);
    const std::string id = record_id(root, mapping_.id);
    const double time = needs_time_ ? record_time(root) : 0;
    // Every column is read before any is counted: a rejected record leaves no trace.
    for (std::size_t c = 0; c < mapping_.columns.size(); ++c) {
      values_[c] = source_value(mapping_.columns[c].source, root);
      defaulted_[c] = !values_[c];
      if (!values_[c]) values_[c] = mapping_.columns[c].fallback;
    }
    for (std::size_t c = 0; c < mapping_.columns.size(); ++c)
      if (defaulted_[c])
        ++(values_[c] ? summary_.columns[c].defaults_used : summary_.columns[c].missing);
    aggregator_.add(id, values_, time);
    ++summary_.accepted;
  }

  void add_paths(const SignalSource& source) {
    for (const auto& part : source.parts) add_paths(part);
    if (source.path.text.empty()) return;
    for (const FieldPath* path : unseen_)
      if (path->text == source.path.text) return;
    unseen_.push_back(&source.path);
  }

  // Drops the paths this record has from those not found yet.
  void note_found(element root) {
    const auto found = [root](const FieldPath* path) {
      try {
        return find_field(root, *path).has_value();
      } catch (const RecordProblem&) {  // a step is not an object: not found here
        return false;
      }
    };
    unseen_.erase(std::remove_if(unseen_.begin(), unseen_.end(), found), unseen_.end());
  }

  // Numbers and ISO 8601 text both order records, but not mixed in one run (seconds and
  // milliseconds since 1970 cannot be told apart from text).
  double record_time(element root) {
    const FieldPath& path = *mapping_.timestamp;
    const std::optional<element> v = find_field(root, path);
    if (!v)
      throw RecordProblem{"bad timestamp",
                          fmt::format("the record has no timestamp in '{}', which orders "
                                      "records for \"last\"",
                                      path.text),
                          path.text};
    const bool text = v->type() == element_type::STRING;
    if (text) return time_of(parse_timestamp(v->get_string().value_unsafe()), *v, path);
    if (!v->is_number())
      throw RecordProblem{"bad timestamp",
                          fmt::format("timestamp '{}' is {}; expected an ISO 8601 date-time "
                                      "such as \"2024-03-01T10:15:00Z\" or a number",
                                      path.text, json_kind(*v)),
                          path.text};
    return checked_kind(v->get_double().value_unsafe(), false, path);
  }

  double time_of(const Timestamp& time, element v, const FieldPath& path) {
    if (!time.seconds)
      throw RecordProblem{"bad timestamp",
                          fmt::format("timestamp '{}' (\"{}\") {}", path.text,
                                      printable(v.get_string().value_unsafe(), 60), time.problem),
                          path.text};
    return checked_kind(*time.seconds, true, path);
  }

  double checked_kind(double time, bool text, const FieldPath& path) {
    const int kind = text ? 2 : 1;
    if (time_kind_ != 0 && kind != time_kind_)
      throw RecordProblem{
          "bad timestamp",
          fmt::format("timestamp '{}' is {} but earlier records have {}; use one "
                      "kind throughout",
                      path.text, text ? "text" : "a number", text ? "numbers" : "text"),
          path.text};
    time_kind_ = kind;
    return time;
  }

  void reject(const RawRecord& record, const RecordProblem& problem) {
    ++summary_.rejected;
    ++summary_.rejected_by_reason[problem.reason];
    RejectedRecord r;
    r.file = record.position.file;
    r.line = record.position.line;
    if (record.position.in_array) r.index = record.position.index;
    if (record.position.page) r.page = record.position.page;
    r.reason = problem.reason;
    r.detail = redact(problem.detail, secret_);
    r.field = problem.field;
    // Redacted before it is cut, so that no part of a token at the cut is left; its escaped
    // forms take up to six bytes a character (JSON's \u00XX).
    const std::size_t take = kExcerptBytes + 3 + 6 * secret_.size();
    r.excerpt = clip(redact(std::string(record.text.substr(0, take)), secret_), kExcerptBytes);
    if (!summary_.first_reject) summary_.first_reject = r;
    if (on_reject_) on_reject_(r);
  }

  const SignalMapping& mapping_;
  SignalsSummary& summary_;
  const RejectSink& on_reject_;
  SignalAggregator aggregator_;
  std::string secret_;
  simdjson::dom::parser parser_;
  bool needs_time_ = false;
  int time_kind_ = 0;                     // 0: none seen yet, 1: numbers, 2: text
  std::vector<const FieldPath*> unseen_;  // paths found in no record so far
  std::vector<std::optional<double>> values_;
  std::vector<char> defaulted_;
};

}  // namespace

std::string RejectedRecord::position() const {
  if (page) return fmt::format("{} page {} index {}", file, *page, index.value_or(0));
  if (index) return fmt::format("{} index {} (line {})", file, *index, line);
  return fmt::format("{} line {}", file, line);
}

Result<std::vector<std::string>> signal_input_files(const std::string& input) {
  return guarded([&] { return input_files(input); });
}

Result<SignalTable> collect_signals(const std::vector<std::string>& files,
                                    const SignalMapping& mapping, SignalsSummary& summary,
                                    const RejectSink& on_reject) {
  return guarded([&] {
    Collector collect(mapping, summary, on_reject);
    for (const auto& file : files) {
      summary.files.push_back(file);
      read_records(file, [&collect](const RawRecord& r) { collect(r); });
    }
    return collect.table();
  });
}

}  // namespace causeway

namespace causeway {

Result<SignalTable> collect_signals(const HttpSource& source, const SignalMapping& mapping,
                                    SignalsSummary& summary, const RejectSink& on_reject) {
  return guarded([&] {
    Collector collect(mapping, summary, on_reject, source.token);
    summary.url = redact(source.url, source.token);
    HttpStats stats;
    read_http_records(
        source, [&collect](const RawRecord& r) { collect(r); }, stats);
    summary.pages = stats.pages;
    summary.requests = stats.requests;
    summary.retries = stats.retries;
    return collect.table();
  });
}

}  // namespace causeway
