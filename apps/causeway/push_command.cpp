// `causeway push`: a scores CSV to a REST API, one request per row, several in flight at once.
#include <fmt/format.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "causeway/connect/push.h"
#include "command_support.h"
#include "commands.h"
#include "connect/http_retry.h"
#include "connect/http_transfer.h"
#include "core/atomic_file.h"

namespace causeway::cli {

namespace {

constexpr int kNotAllDelivered = 4;

volatile std::sig_atomic_t interrupt_signal = 0;

// The first SIGINT or SIGTERM lets the requests in flight finish and be journaled; a second
// ends the program at once, as the signal does in every other command.
extern "C" void on_interrupt(int sig) {
  if (interrupt_signal == 0) {
    interrupt_signal = sig;
    return;
  }
  remove_unfinished_output();
  ::_exit(128 + sig);
}

void catch_interrupts() {
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

void check_files(const PushArgs& a) {
  if (a.failures.empty()) return;
  check_output_path(a.failures, {a.scores}, "--failures");
  for (const std::string* other : {&a.journal, &a.resume})
    if (!other->empty() && same_output(a.failures, *other))
      throw Error(ErrorCode::kBadInput,
                  "--failures names the journal; give the failures CSV its own path");
}

PushOptions push_options(const PushArgs& a) {
  PushOptions o;
  o.scores = a.scores;
  o.url_template = a.url_template;
  o.method = a.method;
  o.id_column = a.id_column;
  o.fields = parse_push_body(a.body);
  o.journal = a.journal.empty() ? a.resume : a.journal;  // --resume alone appends to it
  o.resume = a.resume;
  o.failures = a.failures;
  o.dry_run = a.dry_run;
  o.retries = a.retries;
  o.timeout_seconds = a.timeout_seconds;
  o.concurrency = a.concurrency;
  o.rps = a.rps;
  o.verify_tls = !a.insecure;
  o.interrupted = [] { return interrupt_signal != 0; };
  if (o.journal == o.scores || (!o.journal.empty() && same_output(o.journal, o.scores)))
    throw Error(ErrorCode::kBadInput, "--journal names the scores file; give it its own path");
  check_files(a);
  // A dry run sends nothing and needs no token, but checks one that is set.
  if (!a.dry_run || (!a.token_env.empty() && std::getenv(a.token_env.c_str())))
    o.token = token_from_env(a.token_env);
  return o;
}

nlohmann::json summary_json(const PushSummary& s, const PushArgs& a) {
  nlohmann::json failures = nlohmann::json::array();
  for (const auto& f : s.failures)
    failures.push_back({{"row", f.row}, {"id", f.id}, {"status", f.status}, {"error", f.reason}});
  nlohmann::json j = {{"rows", s.rows},
                      {"delivered", s.delivered},
                      {"already_delivered", s.already_delivered},
                      {"failed", s.failed},
                      {"not_attempted", s.not_attempted},
                      {"requests", s.requests},
                      {"retries", s.retries},
                      {"dry_run", a.dry_run},
                      {"interrupted", s.interrupted},
                      {"failures", failures}};
  if (!s.stopped.empty()) j["stopped"] = s.stopped;
  j["notes"] = s.notes;
  if (!a.failures.empty() && !a.dry_run) j["failures_file"] = a.failures;
  return j;
}

std::string summary_text(const PushSummary& s, const PushArgs& a) {
  std::string t = a.dry_run
                      ? fmt::format("dry run: {} requests printed, nothing sent", s.not_attempted)
                      : fmt::format("{} rows: {} delivered, {} failed, {} not attempted", s.rows,
                                    s.delivered, s.failed, s.not_attempted);
  if (s.already_delivered)
    t += fmt::format(", {} already delivered (in {})", s.already_delivered, a.resume);
  t += fmt::format("\n{} requests, {} retries\n", s.requests, s.retries);
  for (const auto& n : s.notes) t += "note: " + n + "\n";
  if (!s.stopped.empty()) t += "stopped early: " + s.stopped + "\n";
  if (!a.dry_run && s.not_attempted > 0) {
    const std::string journal = a.journal.empty() ? a.resume : a.journal;
    t += journal.empty()
             ? "rows not attempted: run again with --journal FILE to be able to "
               "resume without re-sending what was delivered\n"
             : fmt::format("to send the rest: the same command with --resume {}\n", journal);
  }
  for (std::size_t i = 0; i < s.failures.size() && i < 5; ++i)
    t += fmt::format("failed: row {}, id '{}': {}\n", s.failures[i].row, s.failures[i].id,
                     s.failures[i].reason);
  if (s.failed && !a.failures.empty()) t += "failed rows written to " + a.failures + "\n";
  return t;
}

}  // namespace

void add_push_options(CLI::App& app, PushArgs& a) {
  app.add_option("scores", a.scores, "the scores CSV (e.g. from uplift --out)")->required();
  app.add_option("--url-template", a.url_template,
                 "each row's URL, {id} replaced by its id (percent-encoded)")
      ->required();
  app.add_option("--body", a.body,
                 "the JSON body: PATH=COLUMN[,PATH=COLUMN...]; dotted paths nest "
                 "(customAttributes.uplift_score=predicted_uplift)")
      ->required();
  app.add_option("--method", a.method, "the HTTP method")
      ->check(CLI::IsMember({"PUT", "PATCH"}))
      ->capture_default_str();
  app.add_option("--id-column", a.id_column, "the scores file's id column")->capture_default_str();
  app.add_option("--token-env", a.token_env,
                 "the environment variable holding the bearer token (never the token)");
  app.add_option("--journal", a.journal,
                 "append each delivered id to this file, flushed at once (for --resume)");
  app.add_option("--resume", a.resume,
                 "skip the ids in this journal (and append new deliveries to it)");
  app.add_option("--failures", a.failures,
                 "write the failed rows to this CSV (with push_status, push_error), to push again");
  app.add_flag("--dry-run", a.dry_run, "print each request (method, URL, body); send nothing");
  add_rate_options(app, a.concurrency, a.rps);
  app.add_flag("--insecure", a.insecure,
               "do not verify the server's TLS certificate (a warning is printed); never in "
               "production: anyone on the path could read the token");
  add_retry_options(app, a.retries, a.timeout_seconds, "");
  app.add_flag("--json", a.json, "print the run's summary as one JSON object");
}

int run_push(const PushArgs& args) {
  const PushOptions options = push_options(args);
  if (args.insecure && !args.dry_run) warn_insecure();
  if (!args.dry_run) curl_init_once();  // libcurl is loaded before any journal is written
  catch_interrupts();
  // A dry run's requests are lines before the summary, or, with --json, an array in it (the
  // output stays one JSON object).
  std::vector<std::string> shown_requests;
  const auto print = [&](const std::string& line) {
    if (args.json) return shown_requests.push_back(line);
    const std::string shown = printable(line) + "\n";
    std::fwrite(shown.data(), 1, shown.size(), stdout);
  };
  const PushSummary s = push_scores(options, print);
  nlohmann::json summary;
  if (args.json) {
    summary = summary_json(s, args);
    if (args.dry_run) summary["dry_run_requests"] = shown_requests;
  }
  const std::string shown = redact(
      args.json ? summary.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n"
                : printable(summary_text(s, args)),
      options.token);
  std::fwrite(shown.data(), 1, shown.size(), stdout);
  if (s.interrupted) return 128 + interrupt_signal;
  return s.failed || s.not_attempted ? (args.dry_run ? 0 : kNotAllDelivered) : 0;
}

}  // namespace causeway::cli
