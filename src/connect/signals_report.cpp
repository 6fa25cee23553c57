#include "causeway/connect/signals_report.h"

#include <fmt/format.h>

#include "core/text.h"

namespace causeway {

namespace {

nlohmann::json join_json(const OutcomeJoin& j) {
  return {{"file", j.file},
          {"on", j.on},
          {"matched", j.matched},
          {"signals_only", j.signals_only},
          {"outcomes_only", j.outcomes_only},
          {"first_signals_only", j.first_signals_only},
          {"first_outcomes_only", j.first_outcomes_only}};
}

std::string ids_text(const std::vector<std::string>& first, std::size_t count) {
  return list_first(count, first.size(), [&](std::size_t k) { return first[k]; });
}

std::string column_line(const SignalColumnCounts& c) {
  std::vector<std::string> parts;
  if (c.fallback)
    parts.push_back(fmt::format("default {} used {} times", *c.fallback, c.defaults_used));
  else if (c.aggregate != "count")
    parts.push_back("no default");
  if (c.missing) parts.push_back(fmt::format("missing in {} records", c.missing));
  if (c.empty_cells) parts.push_back(fmt::format("empty for {} customers", c.empty_cells));
  std::string line = fmt::format("  {:<24} {:<5}", c.name, c.aggregate);
  for (std::size_t i = 0; i < parts.size(); ++i) line += (i ? "; " : " ") + parts[i];
  return line + "\n";
}

}  // namespace

namespace {

// A rejected record's fields, in the order the reject file lists them.
template <class Json>
Json reject_json(const RejectedRecord& r) {
  Json j{{"file", r.file}};
  if (r.page)
    j["page"] = *r.page;
  else
    j["line"] = r.line;
  if (r.index) j["index"] = *r.index;
  j["reason"] = r.reason;
  if (!r.field.empty()) j["field"] = r.field;
  j["detail"] = r.detail;
  j["record"] = r.excerpt;
  return j;
}

}  // namespace

std::string reject_line(const RejectedRecord& r) {
  return reject_json<nlohmann::ordered_json>(r).dump(-1, ' ', false,
                                                     nlohmann::json::error_handler_t::replace) +
         "\n";
}

nlohmann::json to_json(const RejectedRecord& r) {
  return reject_json<nlohmann::json>(r);
}

nlohmann::json to_json(const SignalsReport& report) {
  const SignalsSummary& s = report.summary;
  nlohmann::json columns = nlohmann::json::array();
  for (const auto& c : s.columns) {
    nlohmann::json col{{"name", c.name},
                       {"aggregate", c.aggregate},
                       {"defaults_used", c.defaults_used},
                       {"missing", c.missing},
                       {"empty_cells", c.empty_cells}};
    col["default"] = c.fallback ? nlohmann::json(*c.fallback) : nlohmann::json();
    columns.push_back(col);
  }
  nlohmann::json j{{"files", s.files},
                   {"records", s.records},
                   {"accepted", s.accepted},
                   {"rejected", s.rejected},
                   {"rejected_by_reason", s.rejected_by_reason},
                   {"max_rejects", report.max_rejects},
                   {"customers", s.customers},
                   {"columns", columns},
                   {"paths_not_found", s.paths_not_found},
                   {"rows", report.rows},
                   {"out", report.out}};
  if (!s.url.empty()) {
    j["url"] = s.url;
    j["pages"] = s.pages;
    j["requests"] = s.requests;
    j["retries"] = s.retries;
  }
  if (s.first_reject) j["first_reject"] = to_json(*s.first_reject);
  if (!report.rejects.empty()) j["rejects"] = report.rejects;
  j["join"] = report.join ? join_json(*report.join) : nlohmann::json();
  return j;
}

std::string render_text(const SignalsReport& report) {
  const SignalsSummary& s = report.summary;
  const std::string from =
      s.url.empty() ? fmt::format("{} file{}", s.files.size(), s.files.size() == 1 ? "" : "s")
                    : fmt::format("{} ({} pages, {} requests, {} retried)", s.url, s.pages,
                                  s.requests, s.retries);
  std::string out = fmt::format("signals: {} records from {}: {} accepted, {} rejected\n",
                                s.records, from, s.accepted, s.rejected);
  for (const auto& [reason, n] : s.rejected_by_reason)
    out += fmt::format("  rejected ({}): {}\n", reason, n);
  if (s.first_reject)
    out += fmt::format("  first rejected: {}: {}\n", s.first_reject->position(),
                       s.first_reject->detail);
  if (!report.rejects.empty()) out += fmt::format("  rejected records in {}\n", report.rejects);
  out += fmt::format("customers: {}\ncolumns:\n", s.customers);
  for (const auto& c : s.columns) out += column_line(c);
  for (const auto& path : s.paths_not_found)
    out += fmt::format(
        "warning: path '{}' was found in no record; check its spelling (names are "
        "case-sensitive)\n",
        path);
  if (report.join) {
    const OutcomeJoin& j = *report.join;
    out += fmt::format("join with {} on {}: {} customers on both sides\n", j.file, j.on, j.matched);
    if (j.signals_only)
      out += fmt::format("  {} only in the signals (no outcome): {}\n", j.signals_only,
                         ids_text(j.first_signals_only, j.signals_only));
    if (j.outcomes_only)
      out += fmt::format("  {} only in the outcomes (no records): {}\n", j.outcomes_only,
                         ids_text(j.first_outcomes_only, j.outcomes_only));
  }
  out += fmt::format("wrote {} rows to {}\n", report.rows, report.out);
  return out;
}

}  // namespace causeway
