// The identification printout: what reviewers read before any number is computed.
#include <fmt/format.h>

#include <map>

#include "causeway/report/report.h"
#include "core/text.h"

namespace causeway {
namespace {

constexpr std::size_t kWidth = 100;

}  // namespace

nlohmann::json to_json(const Identification& id) {
  nlohmann::json out = {{"treatment", id.treatment},
                        {"outcome", id.outcome},
                        {"estimand", fmt::format("E[{} | do({})]", id.outcome, id.treatment)},
                        {"identifiable", id.identifiable},
                        {"unobserved", id.unobserved},
                        {"warnings", id.warnings},
                        {"strategies", nlohmann::json::array()}};
  for (const auto& s : id.strategies) {
    nlohmann::json j = {
        {"name", s.name},           {"applies", s.applies},       {"default", s.is_default},
        {"variables", s.variables}, {"expression", s.expression}, {"assumptions", s.assumptions},
        {"reason", s.reason}};
    if (!s.alternatives.empty()) j["alternatives"] = s.alternatives;
    out["strategies"].push_back(j);
  }
  out["reason"] = id.reason;
  return out;
}

std::string render_text(const Identification& id) {
  static const std::map<std::string, std::string> titles = {
      {"backdoor", "backdoor adjustment"},
      {"frontdoor", "front-door"},
      {"iv", "instrumental variable"},
      {"id", "general identification (ID algorithm)"}};
  std::string out = fmt::format("estimand: E[{} | do({})], the average effect of {} on {}\n",
                                id.outcome, id.treatment, id.treatment, id.outcome);
  if (!id.unobserved.empty())
    out += fmt::format("unobserved: {}\n", fmt::join(id.unobserved, ", "));
  out += "\n";
  for (const auto& s : id.strategies) {
    const std::string title = titles.count(s.name) ? titles.at(s.name) : s.name;
    if (!s.applies) {
      out += fmt::format("{}: does not apply\n{}\n", title,
                         wrap("  why: " + s.reason, kWidth, "       "));
      continue;
    }
    out += fmt::format("{}{}\n", title, s.is_default ? " (default)" : "");
    if (!s.variables.empty())
      out += fmt::format("  {}: {{{}}}\n",
                         s.name == "backdoor"    ? "adjust for"
                         : s.name == "frontdoor" ? "mediators"
                                                 : "instruments",
                         fmt::join(s.variables, ", "));
    else if (s.name == "backdoor")
      out += "  adjust for: nothing (no backdoor path is open)\n";
    out += fmt::format("  {}\n", s.expression);
    for (std::size_t k = 0; k < s.alternatives.size(); ++k)
      out += fmt::format("  minimal set {}: {{{}}}\n", k + 1, fmt::join(s.alternatives[k], ", "));
    if (!s.reason.empty()) out += wrap("  (" + s.reason + ")", kWidth, "   ");
    out += "  assumes:\n";
    for (const auto& a : s.assumptions) out += wrap("    - " + a, kWidth, "      ");
    out += "\n";
  }
  out += id.identifiable ? fmt::format("verdict: identifiable, by {}\n", id.chosen()->name)
                         : wrap("verdict: NOT identifiable: " + id.reason, kWidth, "  ");
  if (!id.warnings.empty()) {
    out += "\nwarnings:\n";
    for (const auto& w : id.warnings) out += wrap("  - " + w, kWidth, "    ");
  }
  return out;
}

}  // namespace causeway
