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
  print_report(describe(unwrap(read_csv(args.data, csv_options(args)))), args.json);
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
  if (!args.out.empty() || args.out_given) check_output_path(args.out, {args.data, args.graph});
  const std::vector<std::string> from_graph =
      args.graph.empty() ? std::vector<std::string>{} : plan_from_graph(args);
  const Table table = unwrap(read_csv(args.data, csv_options(args)));
  RefutationReport report = refute_table(table, args);
  report.estimation.identification = from_graph;
  write_report(report, args.json, args.out, args.out_given);
}

namespace {

// The uplift sample: treatment, outcome and `covariates` (features and controls, or the score)
// from the data file. The sample builder's messages speak of common causes; for the forest they
// are reworded to its roles.
AnalysisData uplift_sample(const UpliftArgs& args, const std::vector<std::string>& covariates,
                           std::string& id_column) {
  CsvOptions csv = csv_options(static_cast<const LoadArgs&>(args));
  csv.keep = {args.treatment, args.outcome};
  for (const auto& c : covariates)
    if (std::find(csv.keep.begin(), csv.keep.end(), c) == csv.keep.end()) csv.keep.push_back(c);
  const Table table = unwrap(read_csv(args.data, csv));
  id_column = table.id_column;
  AnalysisSpec spec;
  spec.treatment = args.treatment;
  spec.outcome = args.outcome;
  spec.covariates = covariates;
  if (!args.treated_value.empty()) spec.treated_value = args.treated_value;
  if (!args.control_value.empty()) spec.control_value = args.control_value;
  spec.drop_missing = args.drop_missing;
  auto prepared = prepare_analysis(table, spec);
  if (!prepared.ok() && args.score.empty()) {
    std::string m = prepared.status().message();
    const std::string role = "--features/--controls";
    for (const std::string from : {"--common-causes", "the common causes"})
      for (std::size_t at; (at = m.find(from)) != std::string::npos;)
        m.replace(at, from.size(), role);
    throw Error(prepared.status().code(), m);
  }
  return unwrap(std::move(prepared));
}

// The scores file: id, predicted uplift, its 95 % interval and decile, one row per customer.
std::string scores_csv(const UpliftReport& report, const AnalysisData& data,
                       const std::string& id_column) {
  std::string out = fmt::format("{},predicted_uplift,ci_low,ci_high,uplift_decile\n",
                                id_column.empty() ? std::string("row") : id_column);
  constexpr double z = 1.959963984540054;
  for (std::size_t i = 0; i < report.tau.size(); ++i) {
    std::string id =
        data.row_ids.empty() ? std::to_string(data.source_rows[i] + 1) : data.row_ids[i];
    if (id.find_first_of(",\"\n\r") != std::string::npos) {  // quoted as CSV needs
      std::string quoted = "\"";
      for (char c : id) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
      id = quoted + "\"";
    }
    out += fmt::format("{},{:.6f},{:.6f},{:.6f},{}\n", id, report.tau[i],
                       report.tau[i] - z * report.se[i], report.tau[i] + z * report.se[i],
                       report.decile[i]);
  }
  return out;
}

// uplift --score: the given score judged by decile, cumulative lift and Qini.
void evaluate_score(const UpliftArgs& args) {
  std::string id_column;
  const AnalysisData data = uplift_sample(args, {args.score}, id_column);
  if (data.x.cols() != 1)
    throw Error(ErrorCode::kBadInput,
                fmt::format("--score '{}' must be one numeric column of scores", args.score));
  print_report(
      unwrap(evaluate_scores(data.x.col(0), data.t, data.y, args.outcome, args.metric == "qini")),
      args.json);
}

}  // namespace

void run_uplift(const UpliftArgs& given) {
  UpliftArgs args = given;
  if (!args.score.empty()) {
    if (!args.features.empty() || args.out_given)
      throw Error(ErrorCode::kBadInput,
                  "--score judges a given score: it takes no --features and writes no --out");
    return evaluate_score(args);
  }
  if (args.features.empty())
    throw Error(ErrorCode::kBadInput,
                "uplift needs --features (the effect modifiers for the forest), or --score to "
                "judge a given score");
  if (!args.out.empty() || args.out_given) check_output_path(args.out, {args.data});
  trim_names(args.features);
  trim_names(args.controls);
  if (args.options.trees % 2 != 0)
    throw Error(ErrorCode::kBadInput,
                "--trees must be even: trees are grown in pairs for the intervals");
  std::vector<std::string> covariates = args.features;
  covariates.insert(covariates.end(), args.controls.begin(), args.controls.end());
  std::string id_column;
  const AnalysisData data = uplift_sample(args, covariates, id_column);
  // The encoded columns of the features: "plan" becomes "plan=pro", ...
  UpliftOptions options = args.options;
  for (const auto& name : data.x_names)
    for (const auto& f : args.features)
      if (name == f || name.rfind(f + "=", 0) == 0) options.features.push_back(name);
  if (options.features.empty())
    throw Error(ErrorCode::kBadInput,
                "none of --features is left after encoding (constant or duplicated columns are "
                "dropped); give features that vary");
  Progress progress(!args.quiet);
  options.progress = [&progress](int done, int total) { progress("causal forest", done, total); };
  const UpliftReport report = unwrap(run_uplift(data, options));
  progress.finish();
  if (!args.out.empty() || args.out_given) {
    AtomicFile file(args.out);
    file.write(scores_csv(report, data, id_column));
    file.commit();
  }
  print_report(report, args.json);
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

}  // namespace causeway::cli
