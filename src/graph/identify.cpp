#include "causeway/graph/identify.h"

#include <fmt/format.h>

#include <algorithm>

#include "causeway/data/table.h"
#include "causeway/graph/dseparation.h"
#include "core/text.h"
#include "graph/backdoor.h"
#include "graph/id_algorithm.h"

namespace causeway {
namespace {

std::size_t at(int v) {
  return static_cast<std::size_t>(v);
}

std::vector<std::string> names_of(const CausalGraph& g, const std::vector<int>& nodes) {
  std::vector<std::string> out;
  for (int v : nodes) out.push_back(g.names[at(v)]);
  return out;
}

std::string braces(const std::vector<std::string>& names) {
  return fmt::format("{{{}}}", fmt::join(names, ", "));
}

// Σ_{z} P(y | t, z) P(z), or P(y | t) with no adjustment.
std::string backdoor_expression(const std::string& t, const std::string& y,
                                const std::vector<std::string>& z) {
  if (z.empty()) return fmt::format("P({} | {})", y, t);
  const std::string zs = fmt::format("{}", fmt::join(z, ", "));
  return fmt::format("Σ_{{{}}} P({} | {}, {}) P({})", zs, y, t, zs, zs);
}

Strategy backdoor(const CausalGraph& g, int t, int y, const IdentifyOptions& o,
                  std::vector<std::string>& best) {
  Strategy s;
  s.name = "backdoor";
  const std::string& tn = g.names[at(t)];
  const std::string& yn = g.names[at(y)];
  std::vector<int> set;
  if (o.check_set) {
    for (const auto& name : o.adjust_for) {
      const int v = g.find(name);
      if (v < 0) {
        const std::string near = closest_name(g.names, name);
        throw Error(ErrorCode::kBadInput,
                    fmt::format("--adjust-for names '{}', which is not a node of the graph{}", name,
                                near.empty() ? "" : fmt::format(" (did you mean '{}'?)", near)));
      }
      if (!g.observed[at(v)])
        throw Error(ErrorCode::kBadInput,
                    fmt::format("--adjust-for names '{}', which is unobserved", name));
      if (v == t || v == y)
        throw Error(ErrorCode::kBadInput, fmt::format("--adjust-for names the {} '{}'",
                                                      v == t ? "treatment" : "outcome", name));
      set.push_back(v);
    }
    std::sort(set.begin(), set.end());
    set.erase(std::unique(set.begin(), set.end()), set.end());
    const std::string why = backdoor_violation(g, t, y, set);
    if (!why.empty()) {
      s.reason = fmt::format("the given set {} is not valid: {}", braces(names_of(g, set)), why);
      return s;
    }
    s.reason = "the given set";
  } else {
    const BackdoorSearch found = search_backdoor(g, t, y, o.adjustment, o.exhaustive_cap);
    if (!found.found) {
      // The ancestral set is the best observed adjustment there is; say what it leaves open.
      s.reason = fmt::format(
          "no set of observed variables blocks every backdoor path: {}, and it runs through "
          "unobserved variables that cannot be adjusted for",
          found.note);
      best = names_of(g, found.ancestral);
      if (!found.ancestral.empty())
        s.reason += fmt::format(
            "; adjusting for {} blocks the other backdoor paths but is not "
            "sufficient",
            braces(names_of(g, found.ancestral)));
      return s;
    }
    set = found.sets.front();
    s.reason = found.note;
    if (o.adjustment == AdjustmentChoice::kExhaustive)
      for (const auto& other : found.sets) s.alternatives.push_back(names_of(g, other));
  }
  s.applies = true;
  s.variables = names_of(g, set);
  s.expression = backdoor_expression(tn, yn, s.variables);
  s.assumptions = {
      s.variables.empty()
          ? fmt::format("no variable affects both {} and {} except through {}: the arms are "
                        "comparable as they are",
                        tn, yn, tn)
          : fmt::format("given {}, no other variable, measured or not, affects both {} and {} "
                        "(the graph is complete about common causes)",
                        braces(s.variables), tn, yn),
      fmt::format("every combination of {} values has customers in both arms (positivity)",
                  s.variables.empty() ? tn : braces(s.variables))};
  return s;
}

// Front door: m intercepts every directed path t -> y; no open backdoor path t to m; every
// backdoor path from m to y is blocked by t.
std::string frontdoor_violation(const CausalGraph& g, int t, int y, const std::vector<int>& m) {
  const std::vector<bool> blocked = node_flags(g, m);
  // (1) y unreachable from t along directed paths avoiding m.
  std::vector<bool> seen(at(g.size()), false);
  std::vector<int> stack{t};
  seen[at(t)] = true;
  while (!stack.empty()) {
    const int v = stack.back();
    stack.pop_back();
    for (int c : g.children[at(v)]) {
      if (blocked[at(c)] || seen[at(c)]) continue;
      if (c == y) return "a directed path from the treatment reaches the outcome around the set";
      seen[at(c)] = true;
      stack.push_back(c);
    }
  }
  // (2) and (3) by one multi-source search each; the paths only when one fails.
  const std::vector<bool> none(at(g.size()), false);
  const GraphView no_t_out{g, node_flags(g, {t})};
  const std::vector<bool> from_t = d_connected(no_t_out, {t}, none);
  for (int v : m)
    if (from_t[at(v)])
      return "the backdoor path " + active_path(no_t_out, t, {v}, none) +
             " from the treatment to a mediator is open";
  const GraphView no_m_out{g, node_flags(g, m)};
  const std::vector<bool> given_t = node_flags(g, {t});
  if (d_connected(no_m_out, m, given_t)[at(y)])
    for (int v : m) {
      const std::string q = active_path(no_m_out, v, {y}, given_t);
      if (!q.empty())
        return "the path " + q + " from a mediator to the outcome stays open given the treatment";
    }
  return "";
}

Strategy frontdoor(const CausalGraph& g, int t, int y) {
  Strategy s;
  s.name = "frontdoor";
  const std::vector<bool> from_t = descendants(g, {t}), to_y = ancestors(g, {y});
  std::vector<int> mediators;
  for (int v = 0; v < g.size(); ++v)
    if (v != t && v != y && from_t[at(v)] && to_y[at(v)]) mediators.push_back(v);
  std::vector<int> observed;
  for (int v : mediators)
    if (g.observed[at(v)]) observed.push_back(v);
  if (observed.empty()) {
    s.reason = mediators.empty() ? "no mediator: nothing lies between the treatment and the outcome"
                                 : "every mediator is unobserved";
    return s;
  }
  const std::string why = frontdoor_violation(g, t, y, observed);
  if (!why.empty()) {
    s.reason = fmt::format("the mediators {} do not satisfy the front-door criterion: {}",
                           braces(names_of(g, observed)), why);
    return s;
  }
  s.applies = true;
  s.variables = names_of(g, observed);
  const std::string ms = fmt::format("{}", fmt::join(s.variables, ", "));
  const std::string& tn = g.names[at(t)];
  const std::string& yn = g.names[at(y)];
  s.expression = fmt::format("Σ_{{{}}} P({} | {}) ", ms, ms, tn) +
                 fmt::format("Σ_{{{}'}} P({} | {}', {}) P({}')", tn, yn, tn, ms, tn);
  s.assumptions = {
      fmt::format("{} carries every effect of {} on {}", braces(s.variables), tn, yn),
      fmt::format("no unobserved variable affects both {} and {}", tn, braces(s.variables)),
      fmt::format("given {}, no unobserved variable affects both {} and {}", tn,
                  braces(s.variables), yn)};
  return s;
}

Strategy instruments(const CausalGraph& g, int t, int y) {
  Strategy s;
  s.name = "iv";
  const std::vector<bool> below = descendants(g, {t});
  const std::vector<bool> none(at(g.size()), false);
  // d-connection is symmetric, so two searches answer for every candidate at once: what is
  // connected to t (relevance), and what is connected to y once t's outgoing edges are gone
  // (a path that reaches y without passing through t breaks the exclusion).
  const std::vector<bool> moves_t = d_connected({g, {}}, {t}, none);
  const GraphView no_t_out{g, node_flags(g, {t})};
  const std::vector<bool> reaches_y = d_connected(no_t_out, {y}, none);
  std::vector<std::string> rejected;
  std::size_t more = 0;
  for (int z = 0; z < g.size(); ++z) {
    if (z == t || z == y || !g.observed[at(z)] || below[at(z)] || !moves_t[at(z)]) continue;
    if (reaches_y[at(z)]) {
      if (rejected.size() < 5)
        rejected.push_back(fmt::format("{} (reaches the outcome without the treatment: {})",
                                       g.names[at(z)], active_path(no_t_out, z, {y}, none)));
      else
        ++more;
      continue;
    }
    s.variables.push_back(g.names[at(z)]);
  }
  if (s.variables.empty()) {
    s.reason = rejected.empty()
                   ? "no observed variable affects the treatment"
                   : fmt::format("no valid instrument: {}{}", fmt::join(rejected, "; "),
                                 more ? fmt::format("; and {} more", more) : "");
    return s;
  }
  s.applies = true;
  const std::string zs = fmt::format("{}", fmt::join(s.variables, ", "));
  const std::string& tn = g.names[at(t)];
  const std::string& yn = g.names[at(y)];
  s.expression = fmt::format("Cov({}, {}) / Cov({}, {})", yn, zs, tn, zs);
  s.assumptions = {
      fmt::format("relevance: {} moves {}", braces(s.variables), tn),
      fmt::format("exclusion: {} affects {} only through {}", braces(s.variables), yn, tn),
      fmt::format("no unobserved variable affects both {} and {}", braces(s.variables), yn),
      "an effect that is the same for every customer (linear model), or monotone take-up, in "
      "which case the ratio is the effect on those the instrument moves (LATE)"};
  return s;
}

Strategy general_id(const CausalGraph& g, const std::string& t, const std::string& y) {
  Strategy s;
  s.name = "id";
  const IdResult r = identify_effect_id(g, t, y);
  s.applies = r.identifiable;
  if (!r.identifiable) {
    s.reason = r.reason;
    return s;
  }
  s.expression = r.expression;
  s.assumptions = {
      "the graph is right: every arrow left out is a claim of no direct effect, and "
      "every pair of variables without a bidirected edge has no hidden common cause"};
  return s;
}

Identification run(const CausalGraph& g, const std::string& treatment, const std::string& outcome,
                   const IdentifyOptions& o) {
  const int t = g.find(treatment), y = g.find(outcome);
  if (t < 0 || y < 0)
    throw Error(ErrorCode::kBadInput,
                fmt::format("'{}' is not a node of the graph", t < 0 ? treatment : outcome));
  Identification out;
  out.treatment = treatment;
  out.outcome = outcome;
  for (int v = 0; v < g.size(); ++v)
    if (!g.observed[at(v)]) out.unobserved.push_back(g.names[at(v)]);
  out.strategies = {backdoor(g, t, y, o, out.best_adjustment), frontdoor(g, t, y),
                    instruments(g, t, y), general_id(g, treatment, outcome)};
  // The default: adjustment when it works, then the front door, then the general formula; an
  // instrument only when nothing else does, since it needs assumptions the graph cannot show.
  for (const char* name : {"backdoor", "frontdoor", "id", "iv"}) {
    for (auto& s : out.strategies)
      if (s.name == name && s.applies) {
        s.is_default = true;
        out.identifiable = true;
        break;
      }
    if (out.identifiable) break;
  }
  if (!out.identifiable)
    // The backdoor reason names the open path in plain words; the hedge is the proof.
    out.reason =
        fmt::format("the effect of {} on {} is not identifiable from the observed variables: {}{}",
                    treatment, outcome, out.strategies[0].reason,
                    out.strategies[3].reason.empty()
                        ? ""
                        : "; the general algorithm confirms that no formula exists: " +
                              out.strategies[3].reason);
  if (!out.identifiable && !out.unobserved.empty())
    out.reason += fmt::format(" (unobserved: {})", fmt::join(out.unobserved, ", "));
  return out;
}

}  // namespace

const Strategy* Identification::chosen() const {
  for (const auto& s : strategies)
    if (s.is_default) return &s;
  return nullptr;
}

Result<Identification> identify(const CausalGraph& graph, const std::string& treatment,
                                const std::string& outcome, const IdentifyOptions& options) {
  return guarded([&] { return run(graph, treatment, outcome, options); });
}

}  // namespace causeway
