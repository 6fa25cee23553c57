// The HTML report: one self-contained page (inline CSS and SVG, no script, no external fetch)
// that a manager can read and print. It renders the same structs as --json, and every number a
// reader compares carries its exact value in a data-value attribute, so a test can check the
// page against the JSON.
#pragma once

#include <string>
#include <vector>

#include "causeway/estimate/diagnostics.h"
#include "causeway/estimate/run.h"
#include "causeway/graph/graph.h"
#include "causeway/graph/identify.h"
#include "causeway/refute/run.h"
#include "causeway/uplift/uplift.h"

namespace causeway {

// What a report shows; every pointer may be null, and its sections are then left out.
struct HtmlReport {
  std::string command;             // the command that made it, for the footer
  std::vector<std::string> model;  // the assumptions, in words
  const CausalGraph* graph = nullptr;
  const Identification* identification = nullptr;
  const EstimationReport* estimation = nullptr;
  const DiagnosticsReport* diagnostics = nullptr;
  const RefutationReport* refutation = nullptr;
  const UpliftReport* uplift = nullptr;  // whom to treat: deciles, calibration, Qini
  std::string verdict;                   // ROBUST, FRAGILE, NOT IDENTIFIABLE, or "" for none
  std::vector<std::string> reasons;
};

std::string render_html(const HtmlReport& report);

}  // namespace causeway
