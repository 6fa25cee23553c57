// causeway analyze: the whole loop on one table -- model, identify, estimate, refute -- ending in
// a verdict in plain words. Without data, the built-in retention simulation, whose true effect
// is known.
#include <fmt/format.h>

#include <optional>

#include "causeway/sim/simulate.h"
#include "command_support.h"
#include "commands.h"
#include "graph_plan.h"

namespace causeway::cli {
namespace {

struct Analysis {
  std::vector<std::string> model;  // what is assumed to cause what, in words
  Identification identification;
  std::optional<EstimationReport> estimation;
  std::optional<DiagnosticsReport> diagnostics;  // with common causes: overlap and balance
  std::optional<RefutationReport> refutation;
  std::string verdict;  // ROBUST, FRAGILE or NOT IDENTIFIABLE
  std::vector<std::string> reasons;
};

// The estimate the refuters check: the doubly robust one when it answered.
std::string refuted_method(const EstimationReport& r) {
  for (const char* m :
       {"aipw", "ipw", "matching", "regression", "stratification", "frontdoor", "iv"})
    for (const auto& e : r.estimates)
      if (e.method == m) return m;
  return r.estimates.front().method;
}

nlohmann::json to_json(const Analysis& a) {
  nlohmann::json out = {{"model", a.model},
                        {"identification", causeway::to_json(a.identification)},
                        {"verdict", a.verdict},
                        {"verdict_reasons", a.reasons}};
  if (a.estimation) out["estimation"] = causeway::to_json(*a.estimation);
  if (a.diagnostics) out["diagnostics"] = causeway::to_json(*a.diagnostics);
  if (a.refutation) out["refutation"] = causeway::to_json(*a.refutation);
  return out;
}

std::string render_text(const Analysis& a) {
  std::string out = "== 1. model ==\n";
  for (const auto& line : a.model) out += wrap("  " + line, 98, "    ");
  out += "\n== 2. identify ==\n" + causeway::render_text(a.identification);
  if (a.estimation) out += "\n== 3. estimate ==\n" + causeway::render_text(*a.estimation);
  if (a.diagnostics)
    out += "\n== diagnostics (causeway diagnose shows the overlap histogram) ==\n" +
           causeway::render_text(*a.diagnostics, /*overlap=*/false, /*balance=*/true);
  if (a.refutation)
    out += fmt::format("\n== 4. refute (the {} estimate) ==",
                       a.refutation->estimation.estimates.front().method) +
           render_checks(*a.refutation, /*with_verdict=*/false);
  out += fmt::format("\n== overall verdict: {} ==\n", a.verdict);
  for (const auto& r : a.reasons) out += wrap("  - " + r, 98, "    ");
  return out;
}

std::vector<std::string> model_from_roles(const EstimateArgs& args) {
  if (args.common_causes.empty())
    return {
        fmt::format("no common causes given: {} is assumed to be as good as randomly "
                    "assigned with respect to {}",
                    args.treatment, args.outcome)};
  return {
      fmt::format("common causes {}: each is assumed to affect both {} and {}, and nothing "
                  "unmeasured affects both",
                  fmt::join(args.common_causes, ", "), args.treatment, args.outcome)};
}

std::vector<std::string> model_from_graph(const GraphPlan& plan, const std::string& path) {
  std::size_t edges = 0;
  for (const auto& c : plan.graph.children) edges += c.size();
  std::vector<std::string> out = {
      fmt::format("graph {}: {} variables, {} directed edges, {} hidden-confounding edges{}", path,
                  plan.graph.size(), edges, plan.graph.bidirected.size(),
                  plan.check.unobserved.empty()
                      ? std::string()
                      : fmt::format("; unobserved: {}", fmt::join(plan.check.unobserved, ", ")))};
  return out;
}

}  // namespace

int run_analyze(RefuteArgs args) {
  const bool demo = args.data.empty();
  if (demo && (!args.treatment.empty() || !args.outcome.empty() || !args.graph.empty()))
    throw Error(ErrorCode::kBadInput,
                "analyze without a data file runs the built-in demo on its own columns; give the "
                "CSV to analyse your --treatment and --outcome");
  Table table;
  std::optional<SampleTruth> truth;
  if (demo) {
    SimulationOptions sim;
    sim.with_truth = true;
    table = unwrap(simulate(sim));
    truth = unwrap(sample_truth(table));
    args.treatment = "call";
    args.outcome = "renew";
    if (args.common_causes.empty() && args.graph.empty()) args.common_causes = {"motivation_proxy"};
    args.options.matching.replace = true;
  } else if (args.treatment.empty() || args.outcome.empty()) {
    throw Error(ErrorCode::kBadInput, "analyze DATA needs --treatment and --outcome");
  }
  check_outputs(args, {args.data, args.graph});
  checked_refuters(refute_options(args));  // before any estimation
  std::vector<std::string> columns;
  if (demo) {
    for (const auto& c : table.columns)
      if (c.name != "true_effect") columns.push_back(c.name);
  } else {
    columns = column_names(args);
  }
  trim_names(args.common_causes);

  // 1-2. model and identify.
  Analysis a;
  std::optional<GraphPlan> plan;
  CausalGraph graph;
  if (!args.graph.empty()) {
    plan = identify_from_graph(args, columns);
    a.model = model_from_graph(*plan, args.graph);
    a.identification = plan->identification;
    graph = plan->graph;
  } else {
    if (!demo) {  // named on the command line: each must be a column of the file (named in full)
      std::vector<std::string> named{args.treatment, args.outcome};
      for (const auto* list : {&args.common_causes, &args.instruments})
        named.insert(named.end(), list->begin(), list->end());
      require_columns(args, named);
    }
    graph =
        graph_from_roles(args.treatment, args.outcome, {args.common_causes, args.instruments, {}});
    const GraphCheck check =
        unwrap(check_graph(graph, args.treatment, args.outcome, columns, true));
    a.model = model_from_roles(args);
    a.identification = unwrap(identify(graph, args.treatment, args.outcome));
    a.identification.warnings = check.warnings;
  }
  const Strategy* chosen = a.identification.chosen();
  const bool estimable = chosen && chosen->name != "id";
  if (!estimable && !args.proceed_when_unidentifiable) {
    a.verdict = "NOT IDENTIFIABLE";
    a.reasons = {chosen ? fmt::format("the effect is identifiable only by the general formula "
                                      "{}, which causeway does not estimate yet",
                                      chosen->expression)
                        : a.identification.reason,
                 "no number is reported: any estimate would rest on an assumption the graph "
                 "says is false (--proceed-when-unidentifiable estimates anyway)"};
  } else {
    // 3. estimate.
    const std::vector<std::string> decided =
        plan ? apply_plan(args, *plan) : std::vector<std::string>{};
    if (!demo) table = load_table(args.data, csv_options(args));
    EstimationReport estimation = estimate_table(table, args);
    a.diagnostics = diagnostics_for(table, args);
    estimation.identification = decided;
    if (truth) estimation.true_att = truth->att, estimation.true_ate = truth->ate;
    // 4. refute the primary estimate.
    RefuteArgs one = args;
    one.methods = {refuted_method(estimation)};
    a.refutation = refute_table(std::move(table), one);
    a.refutation->estimation.identification = decided;
    a.verdict = a.refutation->verdict;
    a.reasons = a.refutation->reasons;
    // A covariate level one arm never has leaves the target's effect there to extrapolation:
    // the ATE needs both arms everywhere, the ATT controls wherever there are treated, the ATC
    // treated wherever there are controls.
    if (a.diagnostics) {
      const Target target = estimate_options(args).target;
      for (const auto& v : a.diagnostics->overlap.violations) {
        const bool no_treated = v.rfind("no treated", 0) == 0;
        if (target == Target::kAte || (target == Target::kAtt) != no_treated) {
          a.verdict = "FRAGILE";
          a.reasons.push_back(fmt::format(
              "positivity fails for the {}: {}, so the estimate there is an extrapolation "
              "(see causeway diagnose; --trim or another --target)",
              target_label(target), v));
        }
      }
    }
    if (!estimable) {  // --proceed-when-unidentifiable: whatever the checks say
      a.verdict = "FRAGILE";
      a.reasons.insert(a.reasons.begin(),
                       "the graph says the effect is NOT IDENTIFIABLE; it was estimated anyway "
                       "(--proceed-when-unidentifiable), so every adjusted number above is "
                       "biased by the confounding the graph describes");
    }
    a.estimation = std::move(estimation);
  }
  if (demo && !args.json)
    write_out(
        "causeway analyze: built-in demo. Success managers called customers; did the call make "
        "them renew?\nThe data are simulated (retention process, 20,000 customers, seed 42), so "
        "the true effect is known.\nMatching here is with replacement.\n\n");
  HtmlReport html;
  html.model = a.model;
  html.graph = &graph;
  html.identification = &a.identification;
  if (a.estimation) html.estimation = &*a.estimation;
  if (a.diagnostics) html.diagnostics = &*a.diagnostics;
  if (a.refutation) html.refutation = &*a.refutation;
  html.verdict = a.verdict;
  html.reasons = a.reasons;
  write_html(args, html);
  write_report(a, args.json, args.out, args.out_given);
  return args.fail_on_fragile && a.verdict == "FRAGILE" ? 3 : 0;
}

}  // namespace causeway::cli
