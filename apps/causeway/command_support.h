// What the commands share: turning Results into errors, writing reports, estimating and refuting
// a loaded table, and a progress bar.
#pragma once

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "causeway/data/frame.h"
#include "causeway/data/table.h"
#include "causeway/estimate/run.h"
#include "causeway/refute/run.h"
#include "causeway/report/html.h"
#include "causeway/report/report.h"
#include "core/atomic_file.h"
#include "core/text.h"
#include "options.h"

namespace causeway::cli {

template <class T>
T unwrap(Result<T> r) {
  if (!r.ok()) throw Error(r.status().code(), r.status().message());
  return std::move(r).value();
}

// A report as the one JSON object a command prints; text that is not UTF-8 (a Latin-1 file, say)
// shows as U+FFFD instead of failing.
template <class Report>
std::string json_text(const Report& report) {
  return to_json(report).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

// A command's standard output: stdout, or the string of this thread's OutputCapture.
void write_out(std::string_view text);

// While alive, write_out() on this thread appends to `sink` (the Python module runs commands in
// its own process and returns what they print).
class OutputCapture {
 public:
  explicit OutputCapture(std::string& sink);
  ~OutputCapture();
  OutputCapture(const OutputCapture&) = delete;
  OutputCapture& operator=(const OutputCapture&) = delete;

 private:
  std::string* previous_;
};

// While alive, commands on this thread read `columns` (a DataFrame handed over by the Python
// module) where they would read the file named by their data argument; that name then only
// names the table in messages.
class FrameInput {
 public:
  FrameInput(const std::vector<FrameColumn>& columns, std::size_t rows);
  ~FrameInput();
  FrameInput(const FrameInput&) = delete;
  FrameInput& operator=(const FrameInput&) = delete;
};

bool in_frame();  // a FrameInput is alive on this thread
// The table of a command: this thread's FrameInput, or the CSV file `data`.
Table load_table(const std::string& data, const CsvOptions& options);

// Prints the report as JSON or as text (control characters escaped).
template <class Report>
void print_report(const Report& report, bool json) {
  write_out(json ? json_text(report) : printable(render_text(report)));
}

// Writes the JSON to --out (whole or not at all) and prints JSON or text.
template <class Report>
void write_report(const Report& report, bool json, const std::string& out, bool out_given) {
  if (!out.empty() || out_given) {
    AtomicFile file(out);
    file.write(json_text(report));
    file.commit();
  }
  print_report(report, json);
}

// The token in the environment variable `name` (named by --token-env); "" when `name` is "".
// Throws Error(kBadInput) when the variable is unset or empty. Tokens never pass the command line.
std::string token_from_env(const std::string& name);
// The warning of --insecure, on stderr.
void warn_insecure();

// Checks --out and --report before any work: writable, not an input, not the same file.
void check_outputs(const EstimateArgs& args, const std::vector<std::string>& inputs);
// Overlap and balance of the run's common causes (none without common causes).
std::optional<DiagnosticsReport> diagnostics_for(const Table& table, const EstimateArgs& args);
bool wants_report(const EstimateArgs& args);
// Writes the HTML report to --report, whole or not at all; nothing without --report.
void write_html(const EstimateArgs& args, const HtmlReport& report);

bool use_color(const std::string& mode);
// The "warnings:" heading of a printout in yellow when --color (and the terminal) allow it.
void colour_warnings(std::string& text, const std::string& mode);
// Prints an estimation report, coloured on a terminal, and writes --out.
void emit(const EstimationReport& report, const EstimateArgs& args);
EstimationReport estimate_table(Table table, const EstimateArgs& args);
// The refutation of one method's estimate (--method, default aipw).
RefutationReport refute_table(Table table, RefuteArgs& args);

// A one-line progress bar on stderr for refuters that take more than about a second; nothing
// when stderr is not a terminal or with --quiet.
class Progress {
 public:
  explicit Progress(bool enabled) : enabled_(enabled && ::isatty(STDERR_FILENO)) {}
  ~Progress() { finish(); }
  void operator()(const std::string& name, int done, int total) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    if (name != name_) name_ = name, started_ = now;
    if (now - started_ < std::chrono::seconds(1) && done < total) return;
    if (now - last_ < std::chrono::milliseconds(100) && done < total) return;
    last_ = now;
    const int width = 30, filled = total > 0 ? done * width / total : width;
    std::fprintf(stderr, "\r%-34s [%s%s] %d/%d", name.c_str(), std::string(filled, '#').c_str(),
                 std::string(width - filled, ' ').c_str(), done, total);
    shown_ = true;
  }
  void finish() {
    if (shown_) std::fprintf(stderr, "\r%80s\r", "");
    shown_ = false;
  }

 private:
  bool enabled_;
  bool shown_ = false;
  std::string name_;
  std::chrono::steady_clock::time_point started_, last_;
};

}  // namespace causeway::cli
