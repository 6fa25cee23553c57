// What a `causeway signals` run did, as data: records read, accepted and rejected (by reason),
// defaults used per column, the join's one-sided customers, and the table written. Rendered as
// JSON (--json) or as text for a person.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "causeway/connect/outcomes.h"
#include "causeway/connect/signals.h"

namespace causeway {

struct SignalsReport {
  SignalsSummary summary;
  std::optional<OutcomeJoin> join;
  std::string out, rejects;  // the files written ("" when none)
  std::size_t max_rejects = 0;
  std::size_t rows = 0;  // customers in the table written
};

nlohmann::json to_json(const RejectedRecord& record);
// One line of the reject file: file, line, index, reason, field, detail, record, in that order.
std::string reject_line(const RejectedRecord& record);
nlohmann::json to_json(const SignalsReport& report);
std::string render_text(const SignalsReport& report);

}  // namespace causeway
