#include "commands.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <tuple>

#include "causeway/data/describe.h"
#include "causeway/estimate/run.h"
#include "causeway/graph/graph_io.h"
#include "causeway/graph/identify.h"
#include "causeway/report/report.h"
#include "core/atomic_file.h"
#include "core/text.h"

namespace causeway::cli {
namespace {

template <class T>
T unwrap(Result<T> r) {
  if (!r.ok()) throw Error(r.status().code(), r.status().message());
  return std::move(r).value();
}

bool use_color(const std::string& mode) {
  if (mode == "always") return true;
  if (mode == "never" || std::getenv("NO_COLOR")) return false;
  return ::isatty(STDOUT_FILENO);
}

void emit(const EstimationReport& report, const EstimateArgs& args) {
  // Text that is not UTF-8 (a Latin-1 file, say) shows as U+FFFD instead of failing.
  const std::string json =
      to_json(report).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  if (!args.out.empty() || args.out_given) {
    AtomicFile file(args.out);
    file.write(json);
    file.commit();
  }
  std::string text = args.json ? json : printable(render_text(report));
  // Colour goes on after printable(), which would escape it like any control character.
  const std::string plain = "\nwarnings:\n";
  if (!args.json && use_color(args.color) && text.find(plain) != std::string::npos)
    text.replace(text.find(plain), plain.size(), "\n\033[33mwarnings:\033[0m\n");
  std::fwrite(text.data(), 1, text.size(), stdout);
}

EstimationReport estimate_table(Table table, const EstimateArgs& args) {
  std::vector<std::string> methods = args.methods.empty() ? default_methods() : args.methods;
  trim_names(methods);
  return unwrap(run_estimation(std::move(table), analysis_spec(args), methods,
                               estimate_options(args),
                               /*all_or_nothing=*/!args.methods.empty()));
}

}  // namespace

void run_simulate(const SimulateArgs& args) {
  check_output_path(args.out);
  const std::size_t rows = unwrap(write_simulation(args.options, args.out));
  std::fprintf(stderr, "wrote %zu rows of the %s simulation to %s\n", rows,
               args.options.scenario.c_str(), args.out.c_str());
}

void run_describe(const DescribeArgs& args) {
  const TableSummary summary = describe(unwrap(read_csv(args.data, csv_options(args))));
  const std::string text =
      args.json
          ? to_json(summary).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n"
          : printable(render_text(summary));
  std::fwrite(text.data(), 1, text.size(), stdout);
}

namespace {

// The data's column names, from its header line alone.
// The data's column names, from its header line alone, without the id column.
std::vector<std::string> column_names(const LoadArgs& args) {
  const std::string path = args.data == "-" ? "/dev/stdin" : args.data;
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw Error(ErrorCode::kIo, fmt::format("{}: cannot open the file; check the path", path));
  std::string header;
  if (!std::getline(in, header))
    throw Error(
        ErrorCode::kBadInput,
        fmt::format("{}: the file is empty; expected a header row naming the columns", path));
  const Table table = unwrap(parse_csv(header + "\n", path, csv_options(args)));
  std::vector<std::string> names;
  for (const auto& c : table.columns)
    if (c.name != table.id_column) names.push_back(c.name);
  return names;
}

}  // namespace

namespace {

AdjustmentChoice adjustment_choice(const std::string& name) {
  return name == "minimal"      ? AdjustmentChoice::kMinimal
         : name == "maximal"    ? AdjustmentChoice::kMaximal
         : name == "exhaustive" ? AdjustmentChoice::kExhaustive
                                : AdjustmentChoice::kDefault;
}

const Strategy& strategy(const Identification& id, const std::string& name) {
  for (const auto& s : id.strategies)
    if (s.name == name) return s;
  throw Error(ErrorCode::kInternal, "no strategy " + name);
}

bool is_backdoor_method(const std::string& m) {
  return m != "naive" && m != "frontdoor" && m != "iv";
}

// Reads --graph and turns its identification into the run's roles and methods: the backdoor set
// as common causes, the front-door mediators, the instruments. Refuses what the graph does not
// support, unless --proceed-when-unidentifiable (backdoor only).
std::vector<std::string> plan_from_graph(EstimateArgs& args) {
  if (!args.common_causes.empty() || !args.mediators.empty() || !args.instruments.empty())
    throw Error(ErrorCode::kBadInput,
                "give either --graph or the role lists (--common-causes, --mediators, "
                "--instruments), not both: with a graph they are read off it");
  CausalGraph graph = unwrap(read_graph(args.graph));
  const GraphCheck check = unwrap(
      check_graph(graph, args.treatment, args.outcome, column_names(args), /*strict=*/false));
  IdentifyOptions options;
  options.adjustment = adjustment_choice(args.adjustment);
  const Identification id = unwrap(identify(graph, args.treatment, args.outcome, options));
  std::vector<std::string> lines = check.warnings;
  // Nodes without a column, named in a refusal: a typo there is the likeliest cause.
  std::string unobserved_note;
  for (const auto& w : check.warnings)
    if (w.find("treated as UNOBSERVED") != std::string::npos) unobserved_note += " (" + w + ")";
  const std::string anyway =
      id.best_adjustment.empty()
          ? std::string("pass --proceed-when-unidentifiable to estimate without adjustment anyway")
          : fmt::format("pass --proceed-when-unidentifiable to adjust for {{{}}} anyway",
                        fmt::join(id.best_adjustment, ", "));
  const Strategy &bd = strategy(id, "backdoor"), &fd = strategy(id, "frontdoor"),
                 &iv = strategy(id, "iv");
  if (args.methods.empty()) {
    const Strategy* chosen = id.chosen();
    if (!chosen && !args.proceed_when_unidentifiable)
      throw Error(
          ErrorCode::kNotIdentifiable,
          fmt::format("{}; nothing is estimated (run 'causeway identify' for the full "
                      "printout, or pass --proceed-when-unidentifiable to adjust for {{{}}} "
                      "anyway)",
                      id.reason, fmt::join(id.best_adjustment, ", ")));
    if (chosen && chosen->name == "id")
      throw Error(ErrorCode::kNotIdentifiable,
                  fmt::format("the effect is identifiable only by the general formula {}; "
                              "causeway does not estimate that formula yet",
                              chosen->expression));
    if (chosen && chosen->name == "frontdoor")
      args.methods = {"naive", "frontdoor"};
    else if (chosen && chosen->name == "iv")
      args.methods = {"naive", "iv"};
  }
  const std::vector<std::string> methods = args.methods.empty() ? default_methods() : args.methods;
  const bool wants_backdoor = std::any_of(methods.begin(), methods.end(), is_backdoor_method);
  const auto wants = [&](const char* name) {
    return std::find(methods.begin(), methods.end(), name) != methods.end();
  };
  if (wants_backdoor) {
    if (bd.applies) {
      args.common_causes = bd.variables;
      lines.push_back(fmt::format("adjusting for {{{}}}: the {} backdoor set of {} ({})",
                                  fmt::join(bd.variables, ", "), args.adjustment, args.graph,
                                  bd.reason));
    } else if (args.proceed_when_unidentifiable) {
      args.common_causes = id.best_adjustment;
      lines.push_back(fmt::format(
          "UNIDENTIFIABLE, estimated anyway (--proceed-when-unidentifiable): adjusting for {{{}}}, "
          "which leaves a backdoor path open, so every adjusted estimate below is biased by "
          "unobserved confounding: {}",
          fmt::join(id.best_adjustment, ", "), bd.reason));
    } else {
      throw Error(ErrorCode::kNotIdentifiable,
                  fmt::format("backdoor adjustment is not possible on {}: {}. Run 'causeway "
                              "identify' for other strategies, or {}{}",
                              args.graph, bd.reason, anyway, unobserved_note));
    }
  }
  for (const auto& [name, s, role] :
       {std::tuple{"frontdoor", &fd, &args.mediators}, std::tuple{"iv", &iv, &args.instruments}}) {
    if (!wants(name)) continue;
    if (!s->applies)
      throw Error(ErrorCode::kNotIdentifiable,
                  fmt::format("{} does not apply on {}: {}", name, args.graph, s->reason));
    *role = s->variables;
    lines.push_back(
        fmt::format("{} through {{{}}}: {}", name, fmt::join(s->variables, ", "), s->expression));
  }
  return lines;
}

}  // namespace

void run_identify(const IdentifyArgs& args) {
  std::vector<std::string> treatment{args.treatment}, outcome{args.outcome};
  trim_names(treatment);
  trim_names(outcome);
  const bool roles =
      !args.common_causes.empty() || !args.instruments.empty() || !args.effect_modifiers.empty();
  if (args.graph.empty() && !roles)
    throw Error(ErrorCode::kBadInput,
                "identify needs a graph: --graph FILE, or --common-causes (with --instruments "
                "and --effect-modifiers as needed)");
  if (!args.graph.empty() && roles)
    throw Error(ErrorCode::kBadInput,
                "give either --graph or the role lists (--common-causes, --instruments, "
                "--effect-modifiers), not both");
  CausalGraph graph;
  if (!args.graph.empty()) {
    graph = unwrap(read_graph(args.graph));
  } else {
    RoleLists lists{args.common_causes, args.instruments, args.effect_modifiers};
    trim_names(lists.common_causes);
    trim_names(lists.instruments);
    trim_names(lists.effect_modifiers);
    graph = graph_from_roles(treatment[0], outcome[0], lists);
  }
  const std::vector<std::string> columns =
      args.data.empty() ? std::vector<std::string>{} : column_names(args);
  // Names typed on the command line must be columns: a typo is not an unobserved variable.
  const GraphCheck check =
      unwrap(check_graph(graph, treatment[0], outcome[0], columns, args.strict_names || roles));
  IdentifyOptions options;
  options.adjustment = adjustment_choice(args.adjustment);
  options.adjust_for = args.adjust_for;
  trim_names(options.adjust_for);
  options.check_set = !args.adjust_for.empty();
  Identification id = unwrap(identify(graph, treatment[0], outcome[0], options));
  id.warnings.insert(id.warnings.begin(), check.warnings.begin(), check.warnings.end());
  const std::string text =
      args.json ? to_json(id).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n"
                : printable(render_text(id));
  std::fwrite(text.data(), 1, text.size(), stdout);
  if (!id.identifiable) throw Error(ErrorCode::kNotIdentifiable, id.reason);
}

namespace {

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

template <class Report>
void write_report(const Report& report, bool json, const std::string& out, bool out_given) {
  const std::string text =
      to_json(report).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  if (!out.empty() || out_given) {
    AtomicFile file(out);
    file.write(text);
    file.commit();
  }
  const std::string shown = json ? text : printable(render_text(report));
  std::fwrite(shown.data(), 1, shown.size(), stdout);
}

}  // namespace

// The refutation of one method's estimate; the verdict decides nothing about the exit code.
RefutationReport refute_table(const Table& table, RefuteArgs& args) {
  if (args.methods.size() > 1)
    throw Error(ErrorCode::kBadInput,
                "refute checks one method's estimate: give one --method (for example aipw)");
  const std::string method = args.methods.empty() ? "aipw" : args.methods[0];
  const AnalysisData data = unwrap(prepare_analysis(table, analysis_spec(args)));
  RefuteOptions options = refute_options(args);
  Progress progress(!args.quiet && !args.json);
  options.progress = [&progress](const std::string& n, int d, int t) { progress(n, d, t); };
  RefutationReport report = unwrap(run_refutation(data, method, estimate_options(args), options));
  progress.finish();
  return report;
}

void run_refute(const RefuteArgs& given) {
  RefuteArgs args = given;
  if (!args.out.empty() || args.out_given) check_output_path(args.out, {args.data, args.graph});
  const std::vector<std::string> from_graph =
      args.graph.empty() ? std::vector<std::string>{} : plan_from_graph(args);
  const Table table = unwrap(read_csv(args.data, csv_options(args)));
  RefutationReport report = refute_table(table, args);
  report.estimation.identification = from_graph;
  write_report(report, args.json, args.out, args.out_given);
}

void run_estimate(const EstimateArgs& given) {
  EstimateArgs args = given;
  if (!args.out.empty() || args.out_given) check_output_path(args.out, {args.data, args.graph});
  const std::vector<std::string> from_graph =
      args.graph.empty() ? std::vector<std::string>{} : plan_from_graph(args);
  Table table = unwrap(read_csv(args.data, csv_options(args)));
  EstimationReport report = estimate_table(std::move(table), args);
  report.identification = from_graph;
  if (args.proceed_when_unidentifiable && !from_graph.empty() &&
      from_graph.back().starts_with("UNIDENTIFIABLE"))
    for (auto& e : report.estimates)
      if (is_backdoor_method(e.method))
        e.warnings.push_back(
            "not identifiable from the graph: biased by the open backdoor path "
            "(--proceed-when-unidentifiable)");
  emit(report, args);
}

void run_analyze(EstimateArgs args) {
  if (!args.data.empty()) {
    if (args.treatment.empty() || args.outcome.empty())
      throw Error(ErrorCode::kBadInput, "analyze DATA needs --treatment and --outcome");
    return run_estimate(args);
  }
  SimulationOptions sim;
  sim.with_truth = true;
  const Table table = unwrap(simulate(sim));
  args.treatment = "call";
  args.outcome = "renew";
  if (args.common_causes.empty()) args.common_causes = {"motivation_proxy"};
  args.options.matching.replace = true;
  EstimationReport report = estimate_table(table, args);  // a copy: the truth is read below
  const SampleTruth truth = unwrap(sample_truth(table));
  report.true_att = truth.att;
  report.true_ate = truth.ate;
  if (!args.json)
    std::fputs(
        "causeway analyze: built-in demo. Success managers called customers; did the call "
        "make them renew?\nThe data are simulated (retention process, 20,000 customers, "
        "seed 42),\nso the true effect is known. Matching here is with replacement.\n\n",
        stdout);
  emit(report, args);
}

}  // namespace causeway::cli
