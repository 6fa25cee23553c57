#include "commands.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>

#include "causeway/data/describe.h"
#include "command_support.h"
#include "graph_plan.h"

namespace causeway::cli {

void run_simulate(const SimulateArgs& args) {
  check_output_path(args.out);
  const std::size_t rows = unwrap(write_simulation(args.options, args.out));
  std::fprintf(stderr, "wrote %zu rows of the %s simulation to %s\n", rows,
               args.options.scenario.c_str(), args.out.c_str());
}

void run_describe(const DescribeArgs& args) {
  print_report(describe(load_table(args.data, csv_options(args))), args.json);
}

void run_diagnose(const DiagnoseArgs& args) {
  if (!args.methods.empty())
    throw Error(ErrorCode::kBadInput,
                "diagnose estimates no effect: drop --method (causeway estimate gives effects)");
  if (args.bootstrap_given)
    throw Error(ErrorCode::kBadInput, "diagnose computes no interval: drop --bootstrap");
  if (!args.graph.empty())
    throw Error(ErrorCode::kBadInput,
                "diagnose reads the covariates from --common-causes, not from --graph");
  if (args.common_causes.empty())
    throw Error(ErrorCode::kBadInput,
                "diagnose needs the covariates to check: pass --common-causes a,b,c");
  check_outputs(args, {args.data});
  Table table = load_table(args.data, csv_options(args));
  const AnalysisData data = unwrap(prepare_analysis(std::move(table), analysis_spec(args)));
  const DiagnosticsReport report = unwrap(diagnose(data, estimate_options(args)));
  HtmlReport html;
  html.diagnostics = &report;
  write_html(args, html);
  if (!args.out.empty() || args.out_given) {
    AtomicFile file(args.out);
    file.write(json_text(report));
    file.commit();
  }
  const bool both = args.overlap == args.balance;
  std::string shown =
      args.json ? json_text(report)
                : printable(render_text(report, both || args.overlap, both || args.balance));
  if (!args.json) colour_warnings(shown, args.color);
  write_out(shown);
}

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
    for (const auto* list : {&lists.common_causes, &lists.instruments, &lists.effect_modifiers})
      for (const auto& name : *list)
        if (name == treatment[0] || name == outcome[0] || name.empty())
          throw Error(ErrorCode::kBadInput,
                      name.empty()
                          ? std::string("a role list has an empty name (two commas in a "
                                        "row?)")
                          : fmt::format("'{}' is the {}; it cannot also be listed as a "
                                        "common cause, instrument or effect modifier",
                                        name, name == treatment[0] ? "treatment" : "outcome"));
    if (!args.data.empty()) {
      std::vector<std::string> named{treatment[0], outcome[0]};
      for (const auto* list : {&lists.common_causes, &lists.instruments, &lists.effect_modifiers})
        named.insert(named.end(), list->begin(), list->end());
      require_columns(args, named);
    }
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
  print_report(id, args.json);
  if (!id.identifiable) throw Error(ErrorCode::kNotIdentifiable, id.reason);
}

void run_refute(const RefuteArgs& given) {
  RefuteArgs args = given;
  checked_refuters(refute_options(args));  // before reading any data
  check_outputs(args, {args.data, args.graph});
  const std::vector<std::string> from_graph =
      args.graph.empty() ? std::vector<std::string>{} : plan_from_graph(args);
  Table table = load_table(args.data, csv_options(args));
  const std::optional<DiagnosticsReport> diagnostics =
      wants_report(args) ? diagnostics_for(table, args) : std::nullopt;
  RefutationReport report = refute_table(std::move(table), args);
  report.estimation.identification = from_graph;
  HtmlReport html;
  html.refutation = &report;
  if (diagnostics) html.diagnostics = &*diagnostics;
  html.verdict = report.verdict;
  html.reasons = report.reasons;
  write_html(args, html);
  write_report(report, args.json, args.out, args.out_given);
}

void run_estimate(const EstimateArgs& given) {
  EstimateArgs args = given;
  check_outputs(args, {args.data, args.graph});
  const std::vector<std::string> from_graph =
      args.graph.empty() ? std::vector<std::string>{} : plan_from_graph(args);
  Table table = load_table(args.data, csv_options(args));
  const std::optional<DiagnosticsReport> diagnostics =
      wants_report(args) ? diagnostics_for(table, args) : std::nullopt;
  EstimationReport report = estimate_table(std::move(table), args);
  report.identification = from_graph;
  if (args.proceed_when_unidentifiable && !from_graph.empty() &&
      from_graph.back().starts_with("UNIDENTIFIABLE"))
    for (auto& e : report.estimates)
      if (is_backdoor_method(e.method))
        e.warnings.push_back(
            "not identifiable from the graph: biased by the open backdoor path "
            "(--proceed-when-unidentifiable)");
  HtmlReport html;
  html.estimation = &report;
  if (diagnostics) html.diagnostics = &*diagnostics;
  write_html(args, html);
  emit(report, args);
}

}  // namespace causeway::cli
