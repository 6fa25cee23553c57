// The general identification algorithm (ID) on textbook graphs with known answers, and its
// formulas checked by number: a random binary model is put on each graph (hidden confounders as
// explicit latent nodes), the formula is evaluated in the model's observed distribution, and the
// result must equal the effect computed by intervening in the model itself.
#include "graph/id_algorithm.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <map>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "causeway/status.h"
#include "graph/latent_projection.h"

namespace causeway {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;
using Names = std::vector<std::string>;

std::size_t at(int v) {
  return static_cast<std::size_t>(v);
}

// A graph with `nodes` in this order, those in `hidden` unobserved.
CausalGraph make_graph(const Names& nodes, const Pairs& edges, const Pairs& bidirected = {},
                       const Names& hidden = {}) {
  CausalGraph g;
  for (const auto& name : nodes) {
    bool seen = false;
    for (const auto& h : hidden) seen = seen || h == name;
    g.add_node(name, !seen);
  }
  for (const auto& [a, b] : edges) g.add_edge(g.find(a), g.find(b));
  for (const auto& [a, b] : bidirected) g.add_bidirected(g.find(a), g.find(b));
  return g;
}

// ------------------------------------------------------------------------------------------------
// A binary model on a graph: every node, and one latent parent per bidirected edge, gets
// P(node = 1 | parents) drawn from [0.1, 0.9], so every observed probability is positive.

class BinaryModel {
 public:
  BinaryModel(const CausalGraph& g, std::uint32_t seed) : n_graph_(g.size()) {
    parents_ = g.parents;
    for (const auto& [a, b] : g.bidirected) {
      const int latent = static_cast<int>(parents_.size());
      parents_.push_back({});
      parents_[at(a)].push_back(latent);
      parents_[at(b)].push_back(latent);
    }
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> draw(0.1, 0.9);
    for (const auto& pa : parents_) {
      p1_.emplace_back(std::size_t{1} << pa.size());
      for (double& p : p1_.back()) p = draw(rng);
    }
    observed_mask_ = 0;
    for (int v = 0; v < n_graph_; ++v)
      if (g.observed[at(v)]) observed_mask_ |= 1u << v;
    joint_ = joint(-1, 0);
  }

  // P(event) in the observed distribution; `event` holds (graph node, value) pairs.
  double observed(const std::vector<std::pair<int, int>>& event) const {
    std::uint32_t nodes = 0, values = 0;
    for (const auto& [v, x] : event) {
      EXPECT_TRUE(observed_mask_ >> v & 1u) << "the formula uses an unobserved node";
      nodes |= 1u << v;
      if (x) values |= 1u << v;
    }
    const auto key = std::make_pair(nodes, values);
    if (const auto it = memo_.find(key); it != memo_.end()) return it->second;
    double sum = 0;
    for (std::uint32_t s = 0; s < joint_.size(); ++s)
      if ((s & nodes) == values) sum += joint_[s];
    return memo_[key] = sum;
  }

  // P(y = yv | do(t = tv)), by cutting t from its parents in the model.
  double effect(int t, int tv, int y, int yv) const {
    const std::vector<double> cut = joint(t, tv);
    double sum = 0;
    for (std::uint32_t s = 0; s < cut.size(); ++s)
      if (static_cast<int>(s >> y & 1u) == yv) sum += cut[s];
    return sum;
  }

 private:
  // The distribution of the graph's nodes (latents summed out), with node `cut` (if >= 0) set
  // to `value` instead of drawn from its parents.
  std::vector<double> joint(int cut, int value) const {
    const int n = static_cast<int>(parents_.size());
    std::vector<double> out(std::size_t{1} << n_graph_);
    for (std::uint32_t s = 0; s < (1u << n); ++s) {
      double p = 1;
      for (int v = 0; v < n && p > 0; ++v) {
        const int x = static_cast<int>(s >> v & 1u);
        if (v == cut) {
          p *= x == value ? 1.0 : 0.0;
          continue;
        }
        std::size_t config = 0;
        for (std::size_t k = 0; k < parents_[at(v)].size(); ++k)
          config |= static_cast<std::size_t>(s >> parents_[at(v)][k] & 1u) << k;
        const double p1 = p1_[at(v)][config];
        p *= x ? p1 : 1 - p1;
      }
      out[s & ((1u << n_graph_) - 1)] += p;
    }
    return out;
  }

  int n_graph_;
  std::vector<std::vector<int>> parents_;
  std::vector<std::vector<double>> p1_;
  std::uint32_t observed_mask_;
  std::vector<double> joint_;
  mutable std::map<std::pair<std::uint32_t, std::uint32_t>, double> memo_;
};

// ------------------------------------------------------------------------------------------------
// Reading a formula back: Σ_{a, b} body | P(a, b | c) | [ num ] / [ den ] | ( group ) | 1, with
// factors side by side. A sum runs to the end of its group.

struct Term {
  enum Kind { kProb, kProduct, kSum, kRatio };
  Kind kind = kProduct;
  Names vars, given;  // kProb: P(vars | given); kSum: the bound names
  std::vector<Term> terms;
};

class Parser {
 public:
  explicit Parser(std::string text) : s_(std::move(text)) {}

  Term parse() {
    Term out = product();
    skip();
    if (pos_ != s_.size()) fail("end of formula");
    return out;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw std::runtime_error("expected " + what + " at byte " + std::to_string(pos_) + " of '" +
                             s_ + "'");
  }
  void skip() {
    while (pos_ < s_.size() && s_[pos_] == ' ') ++pos_;
  }
  bool take(std::string_view token) {
    skip();
    if (s_.compare(pos_, token.size(), token) != 0) return false;
    pos_ += token.size();
    return true;
  }
  void expect(std::string_view token) {
    if (!take(token)) fail("'" + std::string(token) + "'");
  }
  Names names(std::string_view stops) {
    Names out;
    do {
      skip();
      const std::size_t start = pos_;
      while (pos_ < s_.size() && s_[pos_] != ',' && stops.find(s_[pos_]) == std::string_view::npos)
        ++pos_;
      std::string name = s_.substr(start, pos_ - start);
      while (!name.empty() && name.back() == ' ') name.pop_back();
      if (name.empty()) fail("a name");
      out.push_back(name);
    } while (take(","));
    return out;
  }
  Term product() {
    Term out;
    for (;;) {
      skip();
      if (pos_ == s_.size() || s_[pos_] == ']' || s_[pos_] == ')') return out;
      out.terms.push_back(factor());
    }
  }
  Term factor() {
    Term t;
    if (take("P(")) {
      t.kind = Term::kProb;
      t.vars = names("|)");
      if (take("|")) t.given = names(")");
      expect(")");
    } else if (take("Σ_{")) {
      t.kind = Term::kSum;
      t.vars = names("}");
      expect("}");
      t.terms = {product()};
    } else if (take("[")) {
      t.kind = Term::kRatio;
      t.terms.push_back(product());
      expect("]");
      expect("/");
      expect("[");
      t.terms.push_back(product());
      expect("]");
    } else if (take("(")) {
      t = product();
      expect(")");
    } else if (!take("1")) {
      fail("a factor");
    }
    return t;
  }

  std::string s_;
  std::size_t pos_ = 0;
};

void collect_free(const Term& t, std::set<std::string> bound, std::set<std::string>& out) {
  if (t.kind == Term::kProb) {
    for (const Names* list : {&t.vars, &t.given})
      for (const auto& name : *list)
        if (!bound.count(name)) out.insert(name);
    return;
  }
  if (t.kind == Term::kSum) bound.insert(t.vars.begin(), t.vars.end());
  for (const auto& inner : t.terms) collect_free(inner, bound, out);
}

// The value of a formula in the model's observed distribution; names carry the values in `env`
// and a name with primes is the node of the name without them.
class Evaluator {
 public:
  Evaluator(const CausalGraph& g, const BinaryModel& model) : g_(g), model_(model) {}
  std::map<std::string, int> env;

  double eval(const Term& t) {
    switch (t.kind) {
      case Term::kProb: {
        std::vector<std::pair<int, int>> cond;
        for (const auto& name : t.given) cond.emplace_back(node(name), env.at(name));
        std::vector<std::pair<int, int>> both = cond;
        for (const auto& name : t.vars) both.emplace_back(node(name), env.at(name));
        return model_.observed(both) / model_.observed(cond);
      }
      case Term::kSum:
        return sum(t, 0);
      case Term::kRatio:
        return eval(t.terms[0]) / eval(t.terms[1]);
      case Term::kProduct:
        break;
    }
    double p = 1;
    for (const auto& f : t.terms) p *= eval(f);
    return p;
  }

 private:
  int node(std::string name) const {
    while (!name.empty() && name.back() == '\'') name.pop_back();
    const int v = g_.find(name);
    if (v < 0) throw std::runtime_error("the formula names '" + name + "', not a node");
    return v;
  }
  double sum(const Term& t, std::size_t k) {
    if (k == t.vars.size()) return eval(t.terms[0]);
    const auto saved = env.find(t.vars[k]) == env.end() ? -1 : env.at(t.vars[k]);
    double total = 0;
    for (int x = 0; x < 2; ++x) {
      env[t.vars[k]] = x;
      total += sum(t, k + 1);
    }
    if (saved < 0) {
      env.erase(t.vars[k]);
    } else {
      env[t.vars[k]] = saved;
    }
    return total;
  }

  const CausalGraph& g_;
  const BinaryModel& model_;
};

// The largest gap between `expression` and the true P_t(y) of a random binary model on `g`, over
// every value of t and y and of any other variable the expression leaves free.
double worst_error(const CausalGraph& g, const std::string& t, const std::string& y,
                   const std::string& expression, std::uint32_t seed) {
  const Term formula = Parser(expression).parse();
  std::set<std::string> free_names;
  collect_free(formula, {}, free_names);
  free_names.erase(t);
  free_names.erase(y);
  const Names others(free_names.begin(), free_names.end());

  const BinaryModel model(g, seed);
  Evaluator evaluator(g, model);
  double worst = 0;
  for (int tv = 0; tv < 2; ++tv)
    for (int yv = 0; yv < 2; ++yv) {
      const double truth = model.effect(g.find(t), tv, g.find(y), yv);
      for (std::uint32_t s = 0; s < (1u << others.size()); ++s) {
        evaluator.env = {{t, tv}, {y, yv}};
        for (std::size_t k = 0; k < others.size(); ++k) evaluator.env[others[k]] = s >> k & 1u;
        worst = std::max(worst, std::abs(evaluator.eval(formula) - truth));
      }
    }
  return worst;
}

void expect_matches_truth(const CausalGraph& g, const std::string& t, const std::string& y,
                          const std::string& expression, std::uint32_t seed) {
  EXPECT_LT(worst_error(g, t, y, expression, seed), 1e-9)
      << "P_" << t << "(" << y << ") = " << expression;
}

TEST(IdAlgorithm, TheNumericCheckCatchesWrongFormulas) {
  // z -> t, z -> y, t -> y: leaving out the adjustment, or adjusting with P(z | t), is wrong.
  const CausalGraph g = make_graph({"t", "y", "z"}, {{"z", "t"}, {"z", "y"}, {"t", "y"}});
  EXPECT_LT(worst_error(g, "t", "y", "Σ_{z} P(y | t, z) P(z)", 1), 1e-12);
  EXPECT_GT(worst_error(g, "t", "y", "P(y | t)", 1), 1e-3);
  EXPECT_GT(worst_error(g, "t", "y", "Σ_{z} P(y | t, z) P(z | t)", 1), 1e-3);
  EXPECT_GT(worst_error(g, "t", "y", "Σ_{z} P(y | t, z) (Σ_{t'} P(z | t') P(t')) P(t)", 1), 1e-3);
}

// ------------------------------------------------------------------------------------------------
// Textbook graphs.

TEST(IdAlgorithm, SimpleConfounderGivesTheBackdoorFormula) {
  const CausalGraph g = make_graph({"t", "y", "z"}, {{"z", "t"}, {"z", "y"}, {"t", "y"}});
  const IdResult r = identify_effect_id(g, "t", "y");
  ASSERT_TRUE(r.identifiable) << r.reason;
  // Line 4 splits G \ {t} into {y} and {z}: P_{t,z}(y) = P(y | t, z) (line 6, order z, t, y)
  // and P_{t,y}(z) = P(z) (line 2, then line 1), summed over z: the backdoor formula exactly.
  EXPECT_EQ(r.expression, "Σ_{z} P(y | t, z) P(z)");
  EXPECT_TRUE(r.hedge_f.empty() && r.hedge_f_prime.empty() && r.reason.empty());
  expect_matches_truth(g, "t", "y", r.expression, 1);
}

TEST(IdAlgorithm, BowGraphIsAHedge) {
  const CausalGraph g = make_graph({"t", "y"}, {{"t", "y"}}, {{"t", "y"}});
  const IdResult r = identify_effect_id(g, "t", "y");
  EXPECT_FALSE(r.identifiable);
  EXPECT_TRUE(r.expression.empty());
  // Line 5 fails at once: G = {t, y} is one C-component and G \ {t} = {y}.
  EXPECT_EQ(r.hedge_f, (Names{"t", "y"}));
  EXPECT_EQ(r.hedge_f_prime, (Names{"y"}));
  EXPECT_NE(r.reason.find("hedge"), std::string::npos) << r.reason;
  EXPECT_NE(r.reason.find("F = {t, y} and F' = {y}"), std::string::npos) << r.reason;
}

TEST(IdAlgorithm, FrontDoor) {
  const CausalGraph g = make_graph({"t", "m", "y"}, {{"t", "m"}, {"m", "y"}}, {{"t", "y"}});
  const IdResult r = identify_effect_id(g, "t", "y");
  ASSERT_TRUE(r.identifiable) << r.reason;
  // Line 4: {m} gives P(m | t) (line 6); {y} goes through line 7 with S' = {t, y} and the
  // distribution P(t) P(y | t, m), where t is not an ancestor of y, so line 2 sums it out: the
  // front-door formula, with the summed t primed to keep it apart from the intervened t.
  EXPECT_EQ(r.expression, "Σ_{m} P(m | t) Σ_{t'} P(t') P(y | t', m)");
  expect_matches_truth(g, "t", "y", r.expression, 2);
}

TEST(IdAlgorithm, NapkinNeedsARatio) {
  const CausalGraph g = make_graph({"w1", "w2", "t", "y"}, {{"w1", "w2"}, {"w2", "t"}, {"t", "y"}},
                                   {{"w1", "t"}, {"w1", "y"}});
  const IdResult r = identify_effect_id(g, "t", "y");
  ASSERT_TRUE(r.identifiable) << r.reason;
  // P(w1) P(t | w1, w2) P(y | w1, w2, t) is P(y, t | w1, w2) P(w1): the known answer
  // Σ_{w1} P(y, t | w2, w1) P(w1) / Σ_{w1} P(t | w2, w1) P(w1), with w2 left free.
  EXPECT_EQ(r.expression,
            "[ Σ_{w1} P(w1) P(t | w1, w2) P(y | w1, w2, t) ] / [ Σ_{w1} P(w1) P(t | w1, w2) ]");
  EXPECT_NE(r.expression.find("] / ["), std::string::npos);
  expect_matches_truth(g, "t", "y", r.expression, 3);  // at both values of w2
}

TEST(IdAlgorithm, TreatmentConfoundedWithACauseOfTheOutcome) {
  const CausalGraph g = make_graph({"t", "y", "z"}, {{"t", "y"}, {"z", "y"}}, {{"t", "z"}});
  const IdResult r = identify_effect_id(g, "t", "y");
  ASSERT_TRUE(r.identifiable) << r.reason;
  EXPECT_EQ(r.expression, "Σ_{z} P(y | t, z) P(z)");
  expect_matches_truth(g, "t", "y", r.expression, 4);
}

TEST(IdAlgorithm, UnobservedCommonCauseProjectsToTheBow) {
  const CausalGraph g =
      make_graph({"U", "t", "y"}, {{"U", "t"}, {"U", "y"}, {"t", "y"}}, {}, {"U"});
  const IdResult r = identify_effect_id(g, "t", "y");
  EXPECT_FALSE(r.identifiable);
  EXPECT_EQ(r.hedge_f, (Names{"t", "y"}));
  EXPECT_EQ(r.hedge_f_prime, (Names{"y"}));
}

TEST(IdAlgorithm, InstrumentIsNotEnoughNonparametrically) {
  const CausalGraph g = make_graph({"z", "t", "y"}, {{"z", "t"}, {"t", "y"}}, {{"t", "y"}});
  const IdResult r = identify_effect_id(g, "t", "y");
  EXPECT_FALSE(r.identifiable);
  // Line 3 adds z to the intervention, line 7 moves to S' = {t, y}, and there line 5 fails.
  EXPECT_EQ(r.hedge_f, (Names{"t", "y"}));
  EXPECT_EQ(r.hedge_f_prime, (Names{"y"}));
  EXPECT_NE(r.reason.find("treatment t"), std::string::npos) << r.reason;
}

TEST(IdAlgorithm, RandomisedTreatment) {
  const CausalGraph g = make_graph({"t", "y"}, {{"t", "y"}});
  const IdResult r = identify_effect_id(g, "t", "y");
  ASSERT_TRUE(r.identifiable);
  EXPECT_EQ(r.expression, "P(y | t)");
  expect_matches_truth(g, "t", "y", r.expression, 5);
}

TEST(IdAlgorithm, ConfoundedMediatorAndOutcome) {
  // m <-> y makes the effect of m unidentifiable, but not the effect of t: line 6 with S = {m, y}.
  const CausalGraph g = make_graph({"t", "m", "y"}, {{"t", "m"}, {"m", "y"}}, {{"m", "y"}});
  const IdResult r = identify_effect_id(g, "t", "y");
  ASSERT_TRUE(r.identifiable) << r.reason;
  EXPECT_EQ(r.expression, "Σ_{m} P(m | t) P(y | t, m)");
  expect_matches_truth(g, "t", "y", r.expression, 6);
  EXPECT_FALSE(identify_effect_id(g, "m", "y").identifiable);
}

TEST(IdAlgorithm, OutcomeNotDownstreamOfTheTreatment) {
  const CausalGraph g = make_graph({"t", "y", "z"}, {{"y", "t"}, {"z", "y"}}, {{"t", "z"}});
  const IdResult r = identify_effect_id(g, "t", "y");
  ASSERT_TRUE(r.identifiable);
  EXPECT_EQ(r.expression, "P(y)");
}

TEST(IdAlgorithm, MarkovianGraphGivesTheTruncatedFactorisationOverParents) {
  // w -> z confounds t and y; t acts through m1 -> m2; u causes y only, k causes t only.
  const CausalGraph g = make_graph({"w", "z", "k", "t", "m1", "m2", "u", "y"}, {{"w", "z"},
                                                                                {"z", "t"},
                                                                                {"z", "y"},
                                                                                {"k", "t"},
                                                                                {"t", "m1"},
                                                                                {"m1", "m2"},
                                                                                {"m2", "y"},
                                                                                {"u", "y"}});
  const IdResult r = identify_effect_id(g, "t", "y");
  ASSERT_TRUE(r.identifiable) << r.reason;
  // Line 3 fixes k too; line 4 gives one factor per node. Those not downstream of t, {w, z, u},
  // form an ancestral set whose factors multiply to P(w, z, u), and w sums out of it; the others
  // are read off P with their parents alone (their Markov blankets) rather than all the nodes
  // before them.
  EXPECT_EQ(r.expression, "Σ_{z, m1, m2, u} P(z, u) P(m1 | t) P(m2 | m1) P(y | z, m2, u)");
  expect_matches_truth(g, "t", "y", r.expression, 7);
}

TEST(IdAlgorithm, ConditionalsKeepTheConfoundedBlanket) {
  // t -> m -> y with m <-> y, and a -> z -> y: the factor of y conditions on the members of its
  // C-component before it and their parents (m and t), and on its own parents (m and z), but
  // not on a, which comes before it and reaches it only through z.
  const CausalGraph g = make_graph({"a", "z", "t", "m", "y"},
                                   {{"a", "z"}, {"t", "m"}, {"m", "y"}, {"z", "y"}}, {{"m", "y"}});
  const IdResult r = identify_effect_id(g, "t", "y");
  ASSERT_TRUE(r.identifiable) << r.reason;
  EXPECT_EQ(r.expression, "Σ_{z, m} P(z) P(m | t) P(y | z, t, m)");
  expect_matches_truth(g, "t", "y", r.expression, 8);
}

TEST(IdAlgorithm, BadRequestsAreBadInput) {
  const CausalGraph g =
      make_graph({"t", "y", "U"}, {{"U", "t"}, {"t", "y"}, {"U", "y"}}, {}, {"U"});
  for (const auto& [t, y] :
       Pairs{{"nope", "y"}, {"t", "nope"}, {"U", "y"}, {"t", "U"}, {"t", "t"}}) {
    try {
      identify_effect_id(g, t, y);
      ADD_FAILURE() << t << " -> " << y << " should be refused";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kBadInput);
    }
  }
  CausalGraph cyclic = make_graph({"t", "y", "a"}, {{"t", "y"}, {"y", "a"}, {"a", "t"}});
  try {
    identify_effect_id(cyclic, "t", "y");
    ADD_FAILURE() << "a cycle should be refused";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kBadInput);
    EXPECT_NE(e.message().find("cycle"), std::string::npos) << e.message();
  }
}

// ------------------------------------------------------------------------------------------------
// The latent projection.

TEST(IdLatentProjection, PathsThroughUnobservedNodes) {
  // a -> U1 -> b gives a -> b; U2 -> c and U2 -> U3 -> d give c <-> d; the explicit e <-> U3
  // reaches d through U3, so it gives e <-> d.
  const CausalGraph g =
      make_graph({"a", "U1", "b", "U2", "U3", "c", "d", "e"},
                 {{"a", "U1"}, {"U1", "b"}, {"U2", "c"}, {"U2", "U3"}, {"U3", "d"}, {"c", "e"}},
                 {{"e", "U3"}}, {"U1", "U2", "U3"});
  const Admg p = latent_projection(g);
  ASSERT_EQ(p.names, (Names{"a", "b", "c", "d", "e"}));
  const int a = p.find("a"), b = p.find("b"), c = p.find("c"), d = p.find("d"), e = p.find("e");
  EXPECT_EQ(p.children[at(a)], (std::vector<int>{b}));
  EXPECT_EQ(p.children[at(c)], (std::vector<int>{e}));
  EXPECT_EQ(p.parents[at(b)], (std::vector<int>{a}));
  EXPECT_TRUE(p.has_bidirected(c, d));
  EXPECT_TRUE(p.has_bidirected(d, e));
  EXPECT_FALSE(p.has_bidirected(c, e));
  EXPECT_FALSE(p.has_bidirected(a, b));
  EXPECT_EQ(p.spouses[at(a)].size() + p.spouses[at(b)].size(), 0u);
}

TEST(IdLatentProjection, ObservedNodesBlockProjection) {
  // U -> a -> b: U confounds nothing (it reaches b only through the observed a).
  const CausalGraph g = make_graph({"U", "a", "b"}, {{"U", "a"}, {"a", "b"}}, {}, {"U"});
  const Admg p = latent_projection(g);
  EXPECT_FALSE(p.has_bidirected(p.find("a"), p.find("b")));
  EXPECT_EQ(p.children[at(p.find("a"))], (std::vector<int>{p.find("b")}));
}

// ------------------------------------------------------------------------------------------------
// Random graphs.

// A random acyclic graph: `n` observed nodes v0.., `hidden` unobserved nodes u0.., edges along a
// random order of all of them (so graph order and causal order differ), and bidirected edges
// between observed nodes with probability `p_bidirected`.
CausalGraph random_graph(std::mt19937& rng, int n, int hidden, double p_bidirected,
                         double p_edge = 0.4) {
  CausalGraph g;
  for (int k = 0; k < n; ++k) g.add_node("v" + std::to_string(k));
  for (int k = 0; k < hidden; ++k) g.add_node("u" + std::to_string(k), false);
  std::vector<int> rank(at(g.size()));
  for (int k = 0; k < g.size(); ++k) rank[at(k)] = k;
  std::shuffle(rank.begin(), rank.end(), rng);
  std::bernoulli_distribution edge(p_edge), bidirected(p_bidirected);
  for (int a = 0; a < g.size(); ++a)
    for (int b = 0; b < g.size(); ++b)
      if (rank[at(a)] < rank[at(b)] && edge(rng)) g.add_edge(a, b);
  for (int a = 0; a < n; ++a)
    for (int b = a + 1; b < n; ++b)
      if (bidirected(rng)) g.add_bidirected(a, b);
  return g;
}

// A treatment and an outcome among the observed nodes v0..v{n-1}: mostly an outcome downstream
// of the treatment (otherwise the answer is just P(y)), sometimes any pair.
std::pair<std::string, std::string> random_query(std::mt19937& rng, const CausalGraph& g, int n) {
  std::vector<std::pair<int, int>> downstream;
  for (int t = 0; t < n; ++t) {
    std::vector<char> seen(at(g.size()));
    std::vector<int> stack{t};
    while (!stack.empty()) {
      const int v = stack.back();
      stack.pop_back();
      for (int c : g.children[at(v)])
        if (!seen[at(c)]) seen[at(c)] = 1, stack.push_back(c);
    }
    for (int y = 0; y < n; ++y)
      if (seen[at(y)]) downstream.emplace_back(t, y);
  }
  std::pair<int, int> q;
  if (!downstream.empty() && std::bernoulli_distribution(0.85)(rng)) {
    q = downstream[at(std::uniform_int_distribution<int>(0, int(downstream.size()) - 1)(rng))];
  } else {
    std::uniform_int_distribution<int> pick(0, n - 1);
    q.first = pick(rng);
    do q.second = pick(rng);
    while (q.second == q.first);
  }
  return {"v" + std::to_string(q.first), "v" + std::to_string(q.second)};
}

TEST(IdAlgorithm, EveryEffectIsIdentifiableWithoutHiddenConfounding) {
  std::mt19937 rng(20240611);
  for (int trial = 0; trial < 300; ++trial) {
    const int n = std::uniform_int_distribution<int>(2, 7)(rng);
    const CausalGraph g = random_graph(rng, n, 0, 0.0);
    const auto [t, y] = random_query(rng, g, n);
    const IdResult r = identify_effect_id(g, t, y);
    ASSERT_TRUE(r.identifiable) << "trial " << trial << ": " << r.reason;
    ASSERT_TRUE(r.hedge_f.empty());
    expect_matches_truth(g, t, y, r.expression, static_cast<std::uint32_t>(trial));
  }
}

// With hidden confounding: every formula ID gives must be right, and every hedge it reports must
// have the shape of one (F' inside F, only F holding the treatment, each one C-component).
TEST(IdAlgorithm, RandomConfoundedGraphsFormulasAndHedges) {
  std::mt19937 rng(7);
  int identified = 0, refused = 0;
  for (int trial = 0; trial < 300; ++trial) {
    const int n = std::uniform_int_distribution<int>(2, 7)(rng);
    const int hidden = std::uniform_int_distribution<int>(0, 2)(rng);
    const CausalGraph g = random_graph(rng, n, hidden, 0.35);
    const auto [t, y] = random_query(rng, g, n);
    const IdResult r = identify_effect_id(g, t, y);
    if (r.identifiable) {
      ++identified;
      expect_matches_truth(g, t, y, r.expression, static_cast<std::uint32_t>(1000 + trial));
      continue;
    }
    ++refused;
    // A treatment with no hidden confounding (no bidirected edge after projection) always has an
    // identifiable effect, so it can never be caught in a hedge.
    const Admg p = latent_projection(g);
    EXPECT_FALSE(p.spouses[at(p.find(t))].empty()) << "trial " << trial;
    const std::set<std::string> f(r.hedge_f.begin(), r.hedge_f.end());
    const std::set<std::string> f_prime(r.hedge_f_prime.begin(), r.hedge_f_prime.end());
    EXPECT_TRUE(f.count(t) && !f_prime.count(t)) << "trial " << trial;
    EXPECT_FALSE(f_prime.empty());
    for (const auto& v : f_prime) EXPECT_TRUE(f.count(v)) << "trial " << trial;
    // Each set is connected by bidirected edges among its own nodes.
    for (const auto* set : {&f, &f_prime}) {
      std::set<std::string> reached{*set->begin()};
      for (bool grew = true; grew;) {
        grew = false;
        for (const auto& a : reached)
          for (int s : p.spouses[at(p.find(a))])
            if (set->count(p.names[at(s)]) && reached.insert(p.names[at(s)]).second) grew = true;
      }
      EXPECT_EQ(reached, *set) << "trial " << trial << ": a hedge set is not one C-component";
    }
    EXPECT_NE(r.reason.find("hedge"), std::string::npos);
  }
  // Both outcomes must be common enough for the test to mean something.
  EXPECT_GE(identified, 100);
  EXPECT_GE(refused, 10);
  std::printf("random confounded graphs: %d identified, %d with a hedge\n", identified, refused);
}

// Sparser and larger graphs than above, where a node's Markov blanket is much smaller than the
// set of nodes before it, and where ancestral sets of unconfounded nodes merge into one factor.
TEST(IdAlgorithm, SparseRandomGraphsFormulas) {
  std::mt19937 rng(99);
  int identified = 0;
  for (int trial = 0; trial < 300; ++trial) {
    const int n = std::uniform_int_distribution<int>(5, 9)(rng);
    const int hidden = std::uniform_int_distribution<int>(0, 1)(rng);
    const CausalGraph g = random_graph(rng, n, hidden, 0.1, 0.25);
    const auto [t, y] = random_query(rng, g, n);
    const IdResult r = identify_effect_id(g, t, y);
    if (!r.identifiable) {
      EXPECT_FALSE(r.hedge_f.empty()) << "trial " << trial;
      continue;
    }
    ++identified;
    expect_matches_truth(g, t, y, r.expression, static_cast<std::uint32_t>(5000 + trial));
  }
  EXPECT_GE(identified, 200);
}

// A sparse graph of thousands of nodes, each with a few parents among the nodes shortly before
// it, t in the middle and y its last descendant; `confounded` adds bidirected edges between
// nearby nodes.
CausalGraph large_sparse_graph(int n, bool confounded, std::string& t, std::string& y) {
  std::mt19937 rng(static_cast<std::uint32_t>(n));
  CausalGraph g;
  for (int k = 0; k < n; ++k) g.add_node("v" + std::to_string(k));
  for (int v = 1; v < n; ++v)
    for (int k = 0; k < 3; ++k)
      g.add_edge(std::max(0, v - 1 - std::uniform_int_distribution<int>(0, 40)(rng)), v);
  if (confounded)
    for (int k = 0; k < n / 10; ++k) {
      const int a = std::uniform_int_distribution<int>(0, n - 2)(rng);
      g.add_bidirected(a, std::min(n - 1, a + std::uniform_int_distribution<int>(1, 5)(rng)));
    }
  std::vector<char> below(at(n));
  below[at(n / 2)] = 1;
  int last = n / 2;
  for (int v = n / 2; v < n; ++v)
    if (below[at(v)])
      for (int c : g.children[at(v)]) below[at(c)] = 1, last = std::max(last, c);
  t = "v" + std::to_string(n / 2);
  y = "v" + std::to_string(last);
  return g;
}

// Every P(v | C) in `term` with one variable before the bar.
void single_factors(const Term& t, std::vector<const Term*>& out) {
  if (t.kind == Term::kProb && t.vars.size() == 1) out.push_back(&t);
  for (const auto& inner : t.terms) single_factors(inner, out);
}

// Size, not time, is asserted (tests never assert wall-clock times; bench/ measures them): the
// quadratic version wrote ~100 MB for such graphs.
TEST(IdAlgorithm, LargeSparseGraphsStayShort) {
  for (const bool confounded : {false, true}) {
    std::string t, y;
    const CausalGraph g = large_sparse_graph(5000, confounded, t, y);
    const IdResult r = identify_effect_id(g, t, y);
    ASSERT_TRUE(r.identifiable) << r.reason;
    EXPECT_LT(r.expression.size(), 60u * 5000u) << (confounded ? "confounded" : "markovian");
    if (confounded) continue;
    // Without hidden confounding every conditional is given exactly the node's parents.
    const Term formula = Parser(r.expression).parse();
    std::vector<const Term*> factors;
    single_factors(formula, factors);
    EXPECT_GT(factors.size(), 100u);
    for (const Term* f : factors) {
      std::set<std::string> parents;
      for (int p : g.parents[at(g.find(f->vars[0]))]) parents.insert(g.names[at(p)]);
      EXPECT_EQ(std::set<std::string>(f->given.begin(), f->given.end()), parents) << f->vars[0];
    }
  }
}

}  // namespace
}  // namespace causeway
