// The general identification algorithm for causal effects in graphs with hidden confounders:
// ID(y, x, P, G) of Shpitser and Pearl (2006), which is complete (equivalent to Tian and Pearl's
// identification): it finds a formula for P_x(y) in the observed distribution whenever one
// exists, and otherwise a hedge, a pair of C-forests F' ⊂ F that proves none does.
//
// Unobserved nodes and bidirected edges are first replaced by the latent projection onto the
// observed nodes (latent_projection.h).
#pragma once

#include <string>
#include <vector>

#include "causeway/graph/graph.h"

namespace causeway {

struct IdResult {
  bool identifiable = false;
  // When identifiable: P_t(y) in observed distributions, e.g.
  //   Σ_{m} P(m | t) Σ_{t'} P(t') P(y | t', m)
  // Σ_{a, b} sums over what follows it; P(a, b | c, d) lists variables in graph order; factors
  // are juxtaposed; "[ n ] / [ d ]" is a ratio, written only where the algorithm divides. The
  // treatment's own name stands for its intervened value, and a summed variable whose name is
  // already taken gets primes (t'). Any other variable left free in the expression (w2 in the
  // napkin graph) can be fixed at any value: the effect does not depend on it. A conditional
  // read off the observed distribution is given only the variable's Markov blanket among the
  // nodes before it (its parents, when it has no hidden confounding), which is exact; and the
  // nodes out of the treatment's reach that share no hidden confounder with it appear together
  // as one joint P(a, b).
  std::string expression;
  // When not: the node names of the two C-forests F and F' (F' ⊂ F, the treatment in F only)
  // that form the hedge, in graph order.
  std::vector<std::string> hedge_f, hedge_f_prime;
  // When not: why, in one clause naming the hedge (lower case, no final full stop, to follow a
  // colon); empty when identifiable.
  std::string reason;
};

// Identifies P_t(y), the distribution of `outcome` under do(`treatment`). Throws
// Error(kBadInput) when either name is not an observed node of `g`, when they are the same node,
// or when `g` has a directed cycle.
IdResult identify_effect_id(const CausalGraph& g, const std::string& treatment,
                            const std::string& outcome);

}  // namespace causeway
