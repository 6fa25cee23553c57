// Identification: can the effect of a treatment on an outcome be computed from the observed
// variables of a causal graph, and by which formula?
//
// Four strategies are tried: backdoor adjustment, the front-door criterion, instrumental
// variables, and the general identification algorithm for graphs with hidden confounders (ID).
// Each one that applies comes with its formula, the variables it uses and its assumptions in
// words; each one that does not, with the reason (for backdoor, a path no observed set blocks).
#pragma once

#include <string>
#include <vector>

#include "causeway/graph/graph.h"
#include "causeway/status.h"

namespace causeway {

// Which backdoor set to offer: default (fewest variables), minimal (no variable can be removed),
// maximal (as many observed non-descendants of the treatment as stay valid), exhaustive (every
// minimal set, up to a cap).
enum class AdjustmentChoice { kDefault, kMinimal, kMaximal, kExhaustive };

struct Strategy {
  std::string name;  // "backdoor", "frontdoor", "iv", "id"
  bool applies = false;
  bool is_default = false;
  std::vector<std::string> variables;                  // adjustment set, mediators, instruments
  std::vector<std::vector<std::string>> alternatives;  // exhaustive: every minimal set
  std::string expression;                              // in observed distributions
  std::vector<std::string> assumptions;
  std::string reason;  // why it does not apply, or a note on how it was chosen
};

struct IdentifyOptions {
  AdjustmentChoice adjustment = AdjustmentChoice::kDefault;
  bool check_set = false;               // check `adjust_for` instead of searching
  std::vector<std::string> adjust_for;  // a user's adjustment set
  std::size_t exhaustive_cap = 1000;    // sets listed at most
};

struct Identification {
  std::string treatment, outcome;
  bool identifiable = false;
  std::vector<Strategy> strategies;  // backdoor, frontdoor, iv, id, in that order
  std::vector<std::string> unobserved;
  std::vector<std::string> warnings;
  std::string reason;  // when not identifiable: why, in one paragraph
  // When no backdoor set is valid: the observed variables that block the most backdoor paths
  // (what --proceed-when-unidentifiable adjusts for).
  std::vector<std::string> best_adjustment;

  const Strategy* chosen() const;  // the default strategy, nullptr when none applies
};

Result<Identification> identify(const CausalGraph& graph, const std::string& treatment,
                                const std::string& outcome, const IdentifyOptions& options = {});

// Why `set` is not a valid backdoor adjustment set for (t, y): a member that descends from the
// treatment, or an open backdoor path; "" when it is valid.
std::string backdoor_violation(const CausalGraph& g, int t, int y, const std::vector<int>& set);

}  // namespace causeway
