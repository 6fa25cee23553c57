// Rendering a TableSummary (`causeway describe`).
#include <fmt/format.h>

#include "causeway/report/report.h"
#include "core/text.h"

namespace causeway {

nlohmann::json to_json(const TableSummary& s) {
  nlohmann::json columns = nlohmann::json::array();
  for (const auto& c : s.columns) {
    nlohmann::json j = {{"name", c.name},
                        {"kind", c.kind},
                        {"missing", c.missing},
                        {"missing_rows", c.missing_rows},
                        {"distinct", c.distinct}};
    if (c.kind == "categorical")
      j["levels"] = c.levels;
    else if (c.missing < s.rows)
      j["min"] = c.min, j["max"] = c.max;
    columns.push_back(j);
  }
  return {{"source", s.source},
          {"rows", s.rows},
          {"id_column", s.id_column},
          {"columns", columns},
          {"warnings", s.warnings}};
}

std::string render_text(const TableSummary& s) {
  std::string out = fmt::format("{}: {}, {}{}\n\n", s.source, counted(s.rows, "row"),
                                counted(s.columns.size(), "column"),
                                s.id_column.empty() ? "" : ", rows named by " + s.id_column);
  out += fmt::format("{:<24}{:<13}{:>9}{:>10}  {}\n", "column", "read as", "missing", "distinct",
                     "range or levels");
  for (const auto& c : s.columns) {
    std::string what;
    if (c.kind == "categorical") {
      for (std::size_t k = 0; k < c.levels.size(); ++k)
        what += (k ? ", " : "") + one_line(c.levels[k]);
      if (c.distinct > c.levels.size()) what += ", ...";
    } else if (c.missing < s.rows) {
      what = fmt::format("{:.6g} to {:.6g}", c.min, c.max);
    }
    what = clip(what, 40);
    out += fmt::format("{:<24}{:<13}{:>9}{:>10}  {}\n", clip(c.name, 23), c.kind, c.missing,
                       c.distinct >= 1000 ? ">=1000" : std::to_string(c.distinct), what);
  }
  bool any_missing = false;
  for (const auto& c : s.columns) {
    if (c.missing == 0) continue;
    if (!any_missing) out += "\nmissing values:\n";
    any_missing = true;
    out += fmt::format("  {}: {} ({}{})\n", c.name, c.missing, fmt::join(c.missing_rows, ", "),
                       c.missing > c.missing_rows.size() ? ", ..." : "");
  }
  if (!s.warnings.empty()) {
    out += "\nwarnings:\n";
    for (const auto& w : s.warnings) out += "  ! " + w + "\n";
  }
  return out;
}

}  // namespace causeway
