#include "command_support.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace causeway::cli {

namespace {

thread_local std::string* captured = nullptr;

struct Frame {
  const std::vector<FrameColumn>* columns = nullptr;
  std::size_t rows = 0;
};
thread_local Frame frame;

}  // namespace

void write_out(std::string_view text) {
  if (captured != nullptr)
    captured->append(text);
  else
    std::fwrite(text.data(), 1, text.size(), stdout);
}

OutputCapture::OutputCapture(std::string& sink) : previous_(captured) {
  captured = &sink;
}
OutputCapture::~OutputCapture() {
  captured = previous_;
}

FrameInput::FrameInput(const std::vector<FrameColumn>& columns, std::size_t rows) {
  frame = {&columns, rows};
}
FrameInput::~FrameInput() {
  frame = {};
}

bool in_frame() {
  return frame.columns != nullptr;
}

Table load_table(const std::string& data, const CsvOptions& options) {
  if (in_frame()) return unwrap(read_frame(*frame.columns, frame.rows, data, options));
  return unwrap(read_csv(data, options));
}

std::string token_from_env(const std::string& name) {
  if (name.empty()) return "";
  const char* token = std::getenv(name.c_str());
  if (token == nullptr || *token == '\0')
    throw Error(ErrorCode::kBadInput,
                fmt::format("--token-env {}: the environment variable is not set or empty; "
                            "export the API token in it",
                            name));
  // A token read from a file often ends in a line break: dropped. Any other control character
  // would end the Authorization header early and smuggle the rest into the request.
  std::string value = token;
  while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.pop_back();
  for (std::size_t i = 0; i < value.size(); ++i)
    if (static_cast<unsigned char>(value[i]) < 0x20 || value[i] == 0x7f)
      throw Error(ErrorCode::kBadInput,
                  fmt::format("--token-env {}: the token holds a control character (a line break "
                              "or tab) at position {}; a token is one line of printable "
                              "characters",
                              name, i + 1));
  if (value.empty())
    throw Error(ErrorCode::kBadInput,
                fmt::format("--token-env {}: the token is only line breaks", name));
  return value;
}

void warn_insecure() {
  std::fputs(
      "causeway: warning: --insecure: the server's TLS certificate is not verified; anyone on "
      "the path could read the token and the data\n",
      stderr);
}

void check_outputs(const EstimateArgs& args, const std::vector<std::string>& inputs) {
  if (!args.out.empty() || args.out_given) check_output_path(args.out, inputs);
  if (!args.report.empty() || args.report_given) {
    if (same_output(args.report, args.out))
      throw Error(ErrorCode::kBadInput,
                  "--report and --out name the same file; give each its own path");
    std::vector<std::string> taken = inputs;
    if (!args.out.empty()) taken.push_back(args.out);
    check_output_path(args.report, taken, "--report");
  }
}

std::optional<DiagnosticsReport> diagnostics_for(const Table& table, const EstimateArgs& args) {
  if (args.common_causes.empty()) return std::nullopt;
  const AnalysisData data = unwrap(prepare_analysis(Table(table), analysis_spec(args)));
  return unwrap(diagnose(data, estimate_options(args)));
}

bool wants_report(const EstimateArgs& args) {
  return !args.report.empty() || args.report_given;
}

void write_html(const EstimateArgs& args, const HtmlReport& report) {
  if (!wants_report(args)) return;
  AtomicFile file(args.report);
  file.write(render_html(report));
  file.commit();
}

void colour_warnings(std::string& text, const std::string& mode) {
  // Colour goes on after printable(), which would escape it like any control character.
  const std::string plain = "\nwarnings:\n";
  if (use_color(mode) && text.find(plain) != std::string::npos)
    text.replace(text.find(plain), plain.size(), "\n\033[33mwarnings:\033[0m\n");
}

bool use_color(const std::string& mode) {
  if (mode == "always") return true;
  if (mode == "never" || std::getenv("NO_COLOR")) return false;
  return ::isatty(STDOUT_FILENO);
}

void emit(const EstimationReport& report, const EstimateArgs& args) {
  const std::string json = json_text(report);
  if (!args.out.empty() || args.out_given) {
    AtomicFile file(args.out);
    file.write(json);
    file.commit();
  }
  std::string text = args.json ? json : printable(render_text(report));
  if (!args.json) colour_warnings(text, args.color);
  write_out(text);
}

EstimationReport estimate_table(Table table, const EstimateArgs& args) {
  std::vector<std::string> methods = args.methods.empty() ? default_methods() : args.methods;
  trim_names(methods);
  return unwrap(run_estimation(std::move(table), analysis_spec(args), methods,
                               estimate_options(args),
                               /*all_or_nothing=*/!args.methods.empty()));
}

RefutationReport refute_table(Table table, RefuteArgs& args) {
  if (args.methods.size() > 1)
    throw Error(ErrorCode::kBadInput,
                "refute checks one method's estimate: give one --method (for example aipw)");
  const std::string method = args.methods.empty() ? "aipw" : args.methods[0];
  RefuteOptions options = refute_options(args);
  checked_refuters(options);  // a bad option fails before any estimation
  const AnalysisData data = unwrap(prepare_analysis(std::move(table), analysis_spec(args)));
  Progress progress(!args.quiet);
  options.progress = [&progress](const std::string& n, int d, int t) { progress(n, d, t); };
  RefutationReport report = unwrap(run_refutation(data, method, estimate_options(args), options));
  progress.finish();
  return report;
}

}  // namespace causeway::cli
