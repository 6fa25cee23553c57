#include "graph_plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <tuple>

#include "command_support.h"

namespace causeway::cli {
namespace {

const Strategy& strategy(const Identification& id, const std::string& name) {
  for (const auto& s : id.strategies)
    if (s.name == name) return s;
  throw Error(ErrorCode::kInternal, "no strategy " + name);
}

// The columns of the data file, read from its header line alone; the columns `options` keeps
// (a name that is not a column fails as read_csv fails).
Table header_table(const LoadArgs& args, const CsvOptions& options) {
  return unwrap(read_csv_header(args.data, options));
}

// The columns `options` keeps: from the header of a file, or from the DataFrame handed over.
Table kept_columns(const LoadArgs& args, const CsvOptions& options) {
  return in_frame() ? load_table(args.data, options) : header_table(args, options);
}

}  // namespace

void require_columns(const LoadArgs& args, const std::vector<std::string>& names) {
  CsvOptions options = csv_options(args);
  options.keep = names;
  kept_columns(args, options);
}

std::vector<std::string> column_names(const LoadArgs& args) {
  const Table table = kept_columns(args, csv_options(args));
  std::vector<std::string> names;
  for (const auto& c : table.columns)
    if (c.name != table.id_column) names.push_back(c.name);
  return names;
}

AdjustmentChoice adjustment_choice(const std::string& name) {
  return name == "minimal"      ? AdjustmentChoice::kMinimal
         : name == "maximal"    ? AdjustmentChoice::kMaximal
         : name == "exhaustive" ? AdjustmentChoice::kExhaustive
                                : AdjustmentChoice::kDefault;
}

bool is_backdoor_method(const std::string& m) {
  return m != "naive" && m != "frontdoor" && m != "iv";
}

GraphPlan identify_from_graph(const EstimateArgs& args, const std::vector<std::string>& columns) {
  if (!args.common_causes.empty() || !args.mediators.empty() || !args.instruments.empty())
    throw Error(ErrorCode::kBadInput,
                "give either --graph or the role lists (--common-causes, --mediators, "
                "--instruments), not both: with a graph they are read off it");
  GraphPlan plan;
  plan.graph = unwrap(read_graph(args.graph));
  plan.check = unwrap(check_graph(plan.graph, args.treatment, args.outcome, columns, false));
  IdentifyOptions options;
  options.adjustment = adjustment_choice(args.adjustment);
  plan.identification = unwrap(identify(plan.graph, args.treatment, args.outcome, options));
  plan.identification.warnings = plan.check.warnings;
  return plan;
}

std::vector<std::string> apply_plan(EstimateArgs& args, const GraphPlan& plan) {
  const Identification& id = plan.identification;
  const GraphCheck& check = plan.check;
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
      throw Error(ErrorCode::kNotIdentifiable,
                  fmt::format("{}; nothing is estimated (run 'causeway identify' for the full "
                              "printout, or {}){}",
                              id.reason, anyway, unobserved_note));
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

std::vector<std::string> plan_from_graph(EstimateArgs& args) {
  return apply_plan(args, identify_from_graph(args, column_names(args)));
}

}  // namespace causeway::cli
