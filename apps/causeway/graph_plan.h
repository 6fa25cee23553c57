// Reading a causal graph for a run: which columns to adjust for, which mediators and
// instruments, which methods, or why the effect cannot be estimated.
#pragma once

#include <string>
#include <vector>

#include "causeway/graph/graph_io.h"
#include "causeway/graph/identify.h"
#include "options.h"

namespace causeway::cli {

// The data's column names from its header line alone, without the id column.
std::vector<std::string> column_names(const LoadArgs& args);
// Fails, as reading the data would, when one of `names` is not a column of the data (a typo
// in --treatment or a role list names no column: it is not an unobserved variable).
void require_columns(const LoadArgs& args, const std::vector<std::string>& names);

AdjustmentChoice adjustment_choice(const std::string& name);
bool is_backdoor_method(const std::string& method);

struct GraphPlan {
  CausalGraph graph;
  GraphCheck check;
  Identification identification;  // its warnings: the graph check's
};

// Reads --graph, checks it against `columns` and identifies the effect.
GraphPlan identify_from_graph(const EstimateArgs& args, const std::vector<std::string>& columns);

// Sets the run's common causes, mediators, instruments and (when none were given) methods from
// the identification; returns the lines saying what was decided. Throws kNotIdentifiable when
// the requested methods have no valid strategy, unless --proceed-when-unidentifiable (backdoor).
std::vector<std::string> apply_plan(EstimateArgs& args, const GraphPlan& plan);

// identify_from_graph on the data's header, then apply_plan.
std::vector<std::string> plan_from_graph(EstimateArgs& args);

}  // namespace causeway::cli
