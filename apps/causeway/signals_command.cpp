// `causeway signals`: interaction records to the per-customer analysis table.
#include <fmt/format.h>

#include <optional>

#include "causeway/connect/signals_report.h"
#include "command_support.h"
#include "commands.h"
#include "core/atomic_file.h"

namespace causeway::cli {

namespace {

void check_signal_outputs(const SignalsArgs& args, const std::vector<std::string>& inputs) {
  if (args.outcomes.empty() != args.on.empty())
    throw Error(ErrorCode::kBadInput,
                "--outcomes and --on go together: the outcomes CSV and its customer id column");
  check_output_path(args.out, inputs);
  if (args.rejects.empty()) return;
  if (same_output(args.rejects, args.out))
    throw Error(ErrorCode::kBadInput,
                "--rejects and --out name the same file; give each its own path");
  check_output_path(args.rejects, inputs, "--rejects");
}

// What the records came from, for messages: INPUT or the URL.
std::string source_name(const SignalsArgs& args, const SignalsSummary& s) {
  return s.url.empty() ? args.input : s.url;
}

// --url's source, its token read from the environment: the token never passes the command line.
HttpSource http_source(const SignalsArgs& args) {
  if (!args.input.empty())
    throw Error(ErrorCode::kBadInput,
                "give INPUT or --url, not both: records come from files or from an API");
  HttpSource source = args.http;
  source.paging = args.pagination == "page" ? HttpPaging::kPage : HttpPaging::kCursor;
  source.token = token_from_env(args.token_env);
  if (args.insecure) {
    source.verify_tls = false;
    warn_insecure();
  }
  return source;
}

// The --url options given with a file INPUT, which they would not apply to (compared with
// their defaults: an option given with its default value changes nothing).
std::vector<std::string> url_options_given(const SignalsArgs& args) {
  const HttpSource d;
  const HttpSource& h = args.http;
  const std::pair<bool, const char*> options[] = {
      {!args.token_env.empty(), "--token-env"},
      {args.insecure, "--insecure"},
      {args.pagination != "cursor", "--pagination"},
      {h.cursor_field != d.cursor_field, "--cursor-field"},
      {h.cursor_param != d.cursor_param, "--cursor-param"},
      {h.page_param != d.page_param, "--page-param"},
      {h.limit_param != d.limit_param, "--limit-param"},
      {h.limit != d.limit, "--limit"},
      {h.max_pages != d.max_pages, "--max-pages"},
      {h.records_field != d.records_field, "--records-field"},
      {h.timeout_seconds != d.timeout_seconds, "--timeout"},
      {h.retries != d.retries, "--retries"}};
  std::vector<std::string> given;
  for (const auto& [set, name] : options)
    if (set) given.push_back(name);
  return given;
}

void refuse_url_options(const SignalsArgs& args) {
  const std::vector<std::string> given = url_options_given(args);
  if (given.empty()) return;
  std::string names;
  for (const auto& name : given) names += (names.empty() ? "" : ", ") + name;
  throw Error(ErrorCode::kBadInput,
              fmt::format("{} appl{} only to --url, not to a file INPUT ({}); drop {} or read "
                          "the records with --url",
                          names, given.size() == 1 ? "ies" : "y", args.input,
                          given.size() == 1 ? "it" : "them"));
}

std::string reason_counts(const SignalsSummary& s) {
  std::string out;
  for (const auto& [reason, n] : s.rejected_by_reason)
    out += fmt::format("{}{}: {}", out.empty() ? "" : ", ", reason, n);
  return out;
}

[[noreturn]] void too_many_rejects(const SignalsArgs& args, const SignalsSummary& s) {
  const RejectedRecord& first = *s.first_reject;
  throw Error(
      ErrorCode::kBadInput,
      fmt::format("{}: {} of {} records rejected ({}), more than --max-rejects {}. The first: "
                  "{}: {}{}: {}. {}; fix the export, or accept the loss with --max-rejects {}. "
                  "Nothing was written to {}",
                  source_name(args, s), s.rejected, s.records, reason_counts(s), args.max_rejects,
                  first.position(), first.reason,
                  first.field.empty() ? "" : fmt::format(" (field '{}')", first.field),
                  first.detail,
                  args.rejects.empty() ? "Add --rejects FILE to list them all"
                                       : "All are listed in " + args.rejects,
                  s.rejected, args.out));
}

// The records aggregated, rejects written to --rejects as they come (whole or not at all).
SignalTable collect(const SignalsArgs& args, const std::vector<std::string>& files,
                    const std::optional<HttpSource>& http, const SignalMapping& mapping,
                    SignalsReport& report) {
  std::optional<AtomicFile> rejects;
  if (!args.rejects.empty()) rejects.emplace(args.rejects);
  const RejectSink sink = [&rejects](const RejectedRecord& r) {
    if (rejects) rejects->write(reject_line(r));
  };
  SignalTable table = http ? unwrap(collect_signals(*http, mapping, report.summary, sink))
                           : unwrap(collect_signals(files, mapping, report.summary, sink));
  if (rejects) rejects->commit();  // kept when the run then fails: it says why
  report.rejects = args.rejects;
  return table;
}

}  // namespace

void run_signals(const SignalsArgs& args) {
  std::optional<HttpSource> http;
  std::vector<std::string> files;
  if (!args.http.url.empty())
    http = http_source(args);
  else if (args.input.empty())
    throw Error(ErrorCode::kBadInput,
                "no records named: give INPUT (a file or folder) or --url (an API)");
  else {
    refuse_url_options(args);
    files = unwrap(signal_input_files(args.input));
  }
  std::vector<std::string> inputs = files;
  inputs.push_back(args.mapping);
  if (!args.outcomes.empty()) inputs.push_back(args.outcomes);
  check_signal_outputs(args, inputs);
  const SignalMapping mapping = unwrap(read_signal_mapping(args.mapping));
  SignalsReport report;
  report.max_rejects = args.max_rejects;
  const SignalTable table = collect(args, files, http, mapping, report);
  if (report.summary.rejected > args.max_rejects) too_many_rejects(args, report.summary);
  if (table.ids.empty())
    throw Error(ErrorCode::kBadInput,
                fmt::format("{}: no usable record ({} read); nothing to write to {}",
                            source_name(args, report.summary), report.summary.records, args.out));
  TextTable text = signal_text_table(table);
  if (!args.outcomes.empty()) {
    OutcomeJoin join;
    text = unwrap(join_outcomes(text, args.outcomes, args.on, join));
    report.join = join;
    if (join.matched == 0)
      throw Error(ErrorCode::kBadInput,
                  fmt::format("{}: no customer of the records appears in column '{}' (records "
                              "have e.g. {}; the outcomes have e.g. {}); ids are compared as "
                              "text, so check the id field and --on",
                              args.outcomes, args.on, join.first_signals_only.front(),
                              join.first_outcomes_only.empty() ? std::string("none")
                                                               : join.first_outcomes_only[0]));
  }
  AtomicFile out(args.out);
  out.write(csv_text(text));
  out.commit();
  report.out = args.out;
  report.rows = text.rows.size();
  print_report(report, args.json);
}

}  // namespace causeway::cli
