#include "graph/id_algorithm.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <queue>
#include <set>
#include <utility>

#include "causeway/status.h"
#include "graph/latent_projection.h"

namespace causeway {
namespace {

std::size_t at(int v) {
  return static_cast<std::size_t>(v);
}

// ------------------------------------------------------------------------------------------------
// Sets of nodes of the projected graph: ascending vectors without repeats.

using NodeSet = std::vector<int>;

NodeSet unite(const NodeSet& a, const NodeSet& b) {
  NodeSet out;
  std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

NodeSet minus(const NodeSet& a, const NodeSet& b) {
  NodeSet out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

NodeSet meet(const NodeSet& a, const NodeSet& b) {
  NodeSet out;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

bool has(const NodeSet& a, int v) {
  return std::binary_search(a.begin(), a.end(), v);
}

// ------------------------------------------------------------------------------------------------
// Expressions in observed distributions. A node in an expression stands for the value of that
// variable: bound by the nearest enclosing sum over it, or else free (an intervened value, the
// outcome, or a value an enclosing call of ID fixes).

struct Expr;
using ExprPtr = std::shared_ptr<const Expr>;

struct Expr {
  enum class Kind { kProb, kProduct, kSum, kRatio };
  Kind kind = Kind::kProduct;
  NodeSet vars;                // kProb: before the bar; kSum: the summed variables
  NodeSet given;               // kProb: after the bar
  std::vector<ExprPtr> terms;  // kProduct: the factors (none: 1); kSum: {body}; kRatio: {num, den}
};

ExprPtr make(Expr e) {
  return std::make_shared<const Expr>(std::move(e));
}

ExprPtr one() {
  return make(Expr{});
}

// P(vars | given), which is 1 when `vars` is empty.
ExprPtr prob(NodeSet vars, NodeSet given) {
  if (vars.empty()) return one();
  return make({Expr::Kind::kProb, std::move(vars), std::move(given), {}});
}

std::vector<ExprPtr> factors_of(const ExprPtr& e) {
  if (e->kind == Expr::Kind::kProduct) return e->terms;
  return {e};
}

// The product of `factors`, kept flat: no product inside a product, no factor 1.
ExprPtr product(const std::vector<ExprPtr>& factors) {
  std::vector<ExprPtr> flat;
  for (const auto& f : factors)
    for (const auto& inner : factors_of(f)) flat.push_back(inner);
  if (flat.size() == 1) return flat.front();
  return make({Expr::Kind::kProduct, {}, {}, std::move(flat)});
}

NodeSet free_vars(const Expr& e) {
  switch (e.kind) {
    case Expr::Kind::kProb:
      return unite(e.vars, e.given);
    case Expr::Kind::kSum:
      return minus(free_vars(*e.terms.front()), e.vars);
    default: {
      NodeSet out;
      for (const auto& t : e.terms) out = unite(out, free_vars(*t));
      return out;
    }
  }
}

bool same(const Expr& a, const Expr& b) {
  if (a.kind != b.kind || a.vars != b.vars || a.given != b.given) return false;
  if (a.terms.size() != b.terms.size()) return false;
  for (std::size_t i = 0; i < a.terms.size(); ++i)
    if (!same(*a.terms[i], *b.terms[i])) return false;
  return true;
}

// Σ_{m} body, simplified where that is exact:
//  - Σ_a Σ_b e = Σ_{a ∪ b} e;
//  - a summed variable v that only one factor mentions, a P(A | C) with v in A, is summed out
//    of it: Σ_v P(A | C) = P(A \ {v} | C), and the factor disappears when A is {v}.
// A summed variable no factor mentions is kept: the sum then multiplies by its number of values.
ExprPtr sum_over(ExprPtr body, NodeSet m) {
  if (m.empty()) return body;
  if (body->kind == Expr::Kind::kSum && meet(m, body->vars).empty()) {
    m = unite(m, body->vars);
    body = body->terms.front();
  }
  std::vector<ExprPtr> factors = factors_of(body);
  for (bool changed = true; changed;) {
    changed = false;
    for (int v : m) {
      int holder = -1, count = 0;
      for (std::size_t i = 0; i < factors.size(); ++i)
        if (has(free_vars(*factors[i]), v)) ++count, holder = static_cast<int>(i);
      if (count != 1) continue;
      const Expr& f = *factors[at(holder)];
      if (f.kind != Expr::Kind::kProb || !has(f.vars, v)) continue;
      factors[at(holder)] = prob(minus(f.vars, {v}), f.given);
      m = minus(m, {v});
      changed = true;
      break;
    }
  }
  ExprPtr rest = product(factors);
  if (m.empty()) return rest;
  return make({Expr::Kind::kSum, std::move(m), {}, {std::move(rest)}});
}

// num / den, cancelling factors the two share, and P(A | C) / P(B | C) = P(A \ B | B, C) for
// B ⊂ A. (Cancelling assumes positive probabilities, as identification itself does.)
ExprPtr divide(const ExprPtr& num, const ExprPtr& den) {
  std::vector<ExprPtr> top = factors_of(num), bottom;
  for (const auto& d : factors_of(den)) {
    const auto it =
        std::find_if(top.begin(), top.end(), [&](const ExprPtr& f) { return same(*f, *d); });
    if (it != top.end()) {
      top.erase(it);
    } else {
      bottom.push_back(d);
    }
  }
  if (bottom.empty()) return product(top);
  if (top.size() == 1 && bottom.size() == 1) {
    const Expr& a = *top.front();
    const Expr& b = *bottom.front();
    if (a.kind == Expr::Kind::kProb && b.kind == Expr::Kind::kProb && a.given == b.given &&
        std::includes(a.vars.begin(), a.vars.end(), b.vars.begin(), b.vars.end()))
      return prob(minus(a.vars, b.vars), unite(b.vars, a.given));
  }
  return make({Expr::Kind::kRatio, {}, {}, {product(top), product(bottom)}});
}

// The conditional P(v | preds) of the distribution `p` over the variables `all` (v and preds
// among them): Σ_{all \ (preds, v)} p / Σ_{all \ preds} p, or directly P(v | preds, C) when p is
// a plain observed P(all | C).
ExprPtr conditional(const ExprPtr& p, const NodeSet& all, int v, const NodeSet& preds) {
  if (p->kind == Expr::Kind::kProb && p->vars == all) return prob({v}, unite(preds, p->given));
  const ExprPtr num = sum_over(p, minus(all, unite(preds, {v})));
  return divide(num, sum_over(num, {v}));
}

// ------------------------------------------------------------------------------------------------
// The recursion. The graph of each call is the projected ADMG induced on a vertex set `v`.

struct IdSearch {
  const Admg& g;
  std::vector<int> position;       // position in one topological order of the whole ADMG
  NodeSet hedge_f, hedge_f_prime;  // set when line 5 fails

  explicit IdSearch(const Admg& graph) : g(graph), position(at(graph.size())) {
    // Kahn's algorithm taking the smallest ready node first, so the order is deterministic. Its
    // restriction to any vertex set is a topological order of the induced subgraph, so one order
    // serves every call (and keeps the factors built by line 7 consistent with later calls).
    std::vector<int> indegree(at(g.size()));
    std::priority_queue<int, std::vector<int>, std::greater<int>> ready;
    for (int v = 0; v < g.size(); ++v) {
      indegree[at(v)] = static_cast<int>(g.parents[at(v)].size());
      if (indegree[at(v)] == 0) ready.push(v);
    }
    for (int k = 0; !ready.empty(); ++k) {
      const int v = ready.top();
      ready.pop();
      position[at(v)] = k;
      for (int c : g.children[at(v)])
        if (--indegree[at(c)] == 0) ready.push(c);
    }
  }

  // Ancestors of `of` (itself included) in the graph on `within` with the edges into `cut`
  // removed, i.e. in G_{\bar cut}.
  NodeSet ancestors(const NodeSet& of, const NodeSet& within, const NodeSet& cut = {}) const {
    std::vector<char> seen(at(g.size()));
    std::vector<int> stack = of;
    NodeSet out;
    while (!stack.empty()) {
      const int v = stack.back();
      stack.pop_back();
      if (seen[at(v)]) continue;
      seen[at(v)] = 1;
      out.push_back(v);
      if (has(cut, v)) continue;
      for (int p : g.parents[at(v)])
        if (has(within, p)) stack.push_back(p);
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  // The C-components of the graph on `within`: its classes under bidirected connection, ordered
  // by their first node.
  std::vector<NodeSet> c_components(const NodeSet& within) const {
    std::vector<char> seen(at(g.size()));
    std::vector<NodeSet> out;
    for (int start : within) {
      if (seen[at(start)]) continue;
      NodeSet part;
      std::vector<int> stack{start};
      seen[at(start)] = 1;
      while (!stack.empty()) {
        const int v = stack.back();
        stack.pop_back();
        part.push_back(v);
        for (int s : g.spouses[at(v)])
          if (has(within, s) && !seen[at(s)]) seen[at(s)] = 1, stack.push_back(s);
      }
      std::sort(part.begin(), part.end());
      out.push_back(std::move(part));
    }
    return out;
  }

  // v_π^{(i-1)}: the nodes of `within` before `v` in the topological order.
  NodeSet before(int v, const NodeSet& within) const {
    NodeSet out;
    for (int u : within)
      if (position[at(u)] < position[at(v)]) out.push_back(u);
    return out;
  }

  // `nodes` sorted by topological position.
  std::vector<int> in_order(NodeSet nodes) const {
    std::sort(nodes.begin(), nodes.end(),
              [&](int a, int b) { return position[at(a)] < position[at(b)]; });
    return nodes;
  }

  // Π_{v_i ∈ s} P(v_i | v_π^{(i-1)}) computed from the distribution p over `v`.
  ExprPtr chain(const NodeSet& s, const ExprPtr& p, const NodeSet& v) const {
    std::vector<ExprPtr> factors;
    for (int vi : in_order(s)) factors.push_back(conditional(p, v, vi, before(vi, v)));
    return product(factors);
  }

  // ID(y, x, P, G): P_x(y) from the distribution p over the vertex set v of the graph, or
  // nullptr after recording a hedge.
  ExprPtr id(const NodeSet& y, const NodeSet& x, const ExprPtr& p, const NodeSet& v) {
    // Line 1: no intervention left; marginalise to y.
    if (x.empty()) return sum_over(p, minus(v, y));

    // Line 2: only ancestors of y matter; marginalise the others away and drop them from G.
    const NodeSet an = ancestors(y, v);
    if (an != v) return id(y, meet(x, an), sum_over(p, minus(v, an)), an);

    // Line 3: nodes that cannot affect y once x is fixed (non-ancestors of y in G_{\bar x})
    // can be intervened on too without changing the answer.
    const NodeSet w = minus(minus(v, x), ancestors(y, v, x));
    if (!w.empty()) return id(y, unite(x, w), p, v);

    // Line 4: G \ x splits into several C-components S_i: the effect factorises into
    // Σ_{v \ (y ∪ x)} Π_i P_{v \ s_i}(s_i).
    const std::vector<NodeSet> parts = c_components(minus(v, x));
    if (parts.size() > 1) {
      std::vector<ExprPtr> factors;
      for (const NodeSet& s : parts) {
        ExprPtr f = id(s, minus(v, s), p, v);
        if (!f) return nullptr;
        factors.push_back(std::move(f));
      }
      return sum_over(product(factors), minus(v, unite(y, x)));
    }

    // From here G \ x is a single C-component S.
    const NodeSet& s = parts.front();
    const std::vector<NodeSet> whole = c_components(v);

    // Line 5: G itself is one C-component: G and S form a hedge, FAIL(G, S).
    if (whole.size() == 1) {
      hedge_f = v;
      hedge_f_prime = s;
      return nullptr;
    }

    // Line 6: S is a C-component of G: its factor Π_{v_i ∈ S} P(v_i | v_π^{(i-1)}) is
    // identified; sum out what is not y.
    if (std::find(whole.begin(), whole.end(), s) != whole.end())
      return sum_over(chain(s, p, v), minus(s, y));

    // Line 7: S lies inside a larger C-component S' of G. Recurse in G_{S'} with the
    // distribution Π_{v_i ∈ S'} P(v_i | v_π^{(i-1)} ∩ S', v_π^{(i-1)} \ S'); the nodes
    // outside S' are all in x, so they stay in the conditionals as fixed values.
    const NodeSet& s_big =
        *std::find_if(whole.begin(), whole.end(), [&](const NodeSet& c) { return has(c, s[0]); });
    return id(y, meet(x, s_big), chain(s_big, p, v), s_big);
  }
};

// ------------------------------------------------------------------------------------------------
// Writing an expression. Bound variables get primes when their name is taken: by a free variable
// of the whole expression, by a variable of an enclosing sum, or by another node.

class Renderer {
 public:
  Renderer(const Admg& g, const Expr& whole) : g_(g), shown_(g.names) {
    for (int v : free_vars(whole)) free_names_.insert(g.names[at(v)]);
  }

  std::string render(const Expr& e) {
    switch (e.kind) {
      case Expr::Kind::kProb: {
        std::string out = "P(" + list(e.vars);
        if (!e.given.empty()) out += " | " + list(e.given);
        return out + ")";
      }
      case Expr::Kind::kSum:
        return render_sum(e);
      case Expr::Kind::kRatio:
        return "[ " + render(*e.terms[0]) + " ] / [ " + render(*e.terms[1]) + " ]";
      case Expr::Kind::kProduct:
        break;
    }
    if (e.terms.empty()) return "1";
    // Plain probabilities first, then ratios, then sums: a trailing sum needs no parentheses
    // (it runs to the end); a ratio or an earlier sum among several factors gets them.
    std::vector<const Expr*> order;
    for (auto kind : {Expr::Kind::kProb, Expr::Kind::kRatio, Expr::Kind::kSum})
      for (const auto& f : e.terms)
        if (f->kind == kind) order.push_back(f.get());
    std::string out;
    for (std::size_t i = 0; i < order.size(); ++i) {
      const Expr& f = *order[i];
      const bool wrap =
          f.kind == Expr::Kind::kRatio || (f.kind == Expr::Kind::kSum && i + 1 < order.size());
      out += (i ? " " : "") + (wrap ? "(" + render(f) + ")" : render(f));
    }
    return out;
  }

 private:
  std::string list(const NodeSet& nodes) const {
    std::string out;
    for (int v : nodes) out += (out.empty() ? "" : ", ") + shown_[at(v)];
    return out;
  }

  std::string render_sum(const Expr& e) {
    const std::vector<std::string> saved = shown_;
    const std::size_t depth = bound_.size();
    for (int v : e.vars) {
      const std::string& name = g_.names[at(v)];
      std::string shown = name;
      while (free_names_.count(shown) ||
             std::find(bound_.begin(), bound_.end(), shown) != bound_.end() ||
             (shown != name && g_.find(shown) >= 0))
        shown += '\'';
      shown_[at(v)] = shown;
      bound_.push_back(shown);
    }
    const Expr& body = *e.terms.front();
    const std::string inner =
        body.kind == Expr::Kind::kRatio ? "(" + render(body) + ")" : render(body);
    std::string out = "Σ_{" + list(e.vars) + "} " + inner;
    shown_ = saved;
    bound_.resize(depth);
    return out;
  }

  const Admg& g_;
  std::vector<std::string> shown_;  // how each node is written at this point
  std::set<std::string> free_names_;
  std::vector<std::string> bound_;  // the names taken by enclosing sums
};

std::string braces(const std::vector<std::string>& names) {
  return fmt::format("{{{}}}", fmt::join(names, ", "));
}

int observed_node(const CausalGraph& g, const Admg& admg, const std::string& name,
                  const char* role) {
  const int v = g.find(name);
  if (v < 0)
    throw Error(ErrorCode::kBadInput,
                fmt::format("the {} '{}' is not a node of the graph{}", role, name,
                            g.source.empty() ? "" : " (" + g.source + ")"));
  if (!g.observed[at(v)])
    throw Error(ErrorCode::kBadInput,
                fmt::format("the {} '{}' is marked unobserved; the effect can only be identified "
                            "between observed variables",
                            role, name));
  return admg.find(name);
}

}  // namespace

IdResult identify_effect_id(const CausalGraph& g, const std::string& treatment,
                            const std::string& outcome) {
  const Admg admg = latent_projection(g);
  const int t = observed_node(g, admg, treatment, "treatment");
  const int y = observed_node(g, admg, outcome, "outcome");
  if (t == y)
    throw Error(ErrorCode::kBadInput,
                fmt::format("the treatment and the outcome are the same node, '{}'", treatment));

  IdSearch search(admg);
  NodeSet all(at(admg.size()));
  for (int v = 0; v < admg.size(); ++v) all[at(v)] = v;
  const ExprPtr found = search.id({y}, {t}, prob(all, {}), all);

  IdResult out;
  if (found) {
    out.identifiable = true;
    out.expression = Renderer(admg, *found).render(*found);
    return out;
  }
  auto names = [&](const NodeSet& nodes) {
    std::vector<std::string> list;
    for (int v : nodes) list.push_back(admg.names[at(v)]);
    return list;
  };
  out.hedge_f = names(search.hedge_f);
  out.hedge_f_prime = names(search.hedge_f_prime);
  // The root set the two C-forests share: the nodes of F' with no child in F'.
  NodeSet roots;
  for (int v : search.hedge_f_prime)
    if (meet(admg.children[at(v)], search.hedge_f_prime).empty()) roots.push_back(v);
  out.reason = fmt::format(
      "the graph has a hedge for it, F = {} and F' = {}: each is held together by bidirected "
      "(hidden-confounding) paths, both have the root set {}, and only F contains the treatment "
      "{}, "
      "so two models can agree on every observed distribution and still differ in the effect",
      braces(out.hedge_f), braces(out.hedge_f_prime), braces(names(roots)), treatment);
  return out;
}

}  // namespace causeway
