// Rendering an EstimationReport for machines (JSON) and people (an aligned text table).
//
// Both render the same struct, so the numbers agree. The text fits 100 columns. Neither prints:
// they return strings for the caller to write. Thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "causeway/data/describe.h"
#include "causeway/estimate/diagnostics.h"
#include "causeway/estimate/run.h"
#include "causeway/graph/identify.h"
#include "causeway/refute/run.h"
#include "causeway/uplift/evaluate.h"
#include "causeway/uplift/uplift.h"

namespace causeway {

nlohmann::json to_json(const Estimate& e);
nlohmann::json to_json(const EstimationReport& report);

// Plain text; the caller adds colour (the program does, for a terminal).
std::string render_text(const EstimationReport& report);

nlohmann::json to_json(const TableSummary& summary);
std::string render_text(const TableSummary& summary);

nlohmann::json to_json(const Identification& identification);
std::string render_text(const Identification& identification);

nlohmann::json to_json(const RefutationReport& report);
std::string render_text(const RefutationReport& report);
// The refutations, sensitivity figures and verdict without the estimate they check.
std::string render_checks(const RefutationReport& report, bool with_verdict = true);

nlohmann::json to_json(const UpliftReport& report);
std::string render_text(const UpliftReport& report);
// How the uplift model was fitted, in one line: the learner, its settings and the nuisance models.
std::string uplift_method(const UpliftReport& report);

nlohmann::json to_json(const DiagnosticsReport& report);
// `overlap` and `balance` choose the sections (the header and warnings are always shown).
std::string render_text(const DiagnosticsReport& report, bool overlap = true, bool balance = true);

nlohmann::json to_json(const ScoreEvaluation& evaluation);
std::string render_text(const ScoreEvaluation& evaluation);

}  // namespace causeway
