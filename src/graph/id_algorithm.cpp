#include "graph/id_algorithm.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <functional>
#include <iterator>
#include <memory>
#include <queue>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "causeway/status.h"
#include "graph/latent_projection.h"

namespace causeway {
namespace {

std::size_t at(int v) {
  return static_cast<std::size_t>(v);
}

// ------------------------------------------------------------------------------------------------
// Variable lists in expressions: ascending vectors of projected nodes without repeats. They are
// short (a factor's variables), unlike the vertex sets of the recursion below.

using Vars = std::vector<int>;

Vars unite(const Vars& a, const Vars& b) {
  Vars out;
  out.reserve(a.size() + b.size());
  std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

Vars minus(const Vars& a, const Vars& b) {
  Vars out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

Vars meet(const Vars& a, const Vars& b) {
  Vars out;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

bool has(const Vars& a, int v) {
  return std::binary_search(a.begin(), a.end(), v);
}

// ------------------------------------------------------------------------------------------------
// Vertex sets of the recursion: bitsets over the projected nodes, so that the unions,
// differences and comparisons each call of ID makes cost n / 64 words, not a merge of lists.

class NodeSet {
 public:
  explicit NodeSet(int n = 0) : words_(at((n + 63) / 64)) {}
  NodeSet(int n, const Vars& nodes) : NodeSet(n) {
    for (int v : nodes) add(v);
  }

  bool has(int v) const { return (words_[at(v >> 6)] >> (v & 63) & 1u) != 0; }
  void add(int v) { words_[at(v >> 6)] |= std::uint64_t{1} << (v & 63); }
  bool empty() const {
    return std::all_of(words_.begin(), words_.end(), [](std::uint64_t w) { return w == 0; });
  }
  int count() const {
    int out = 0;
    for (std::uint64_t w : words_) out += std::popcount(w);
    return out;
  }
  void remove(int v) { words_[at(v >> 6)] &= ~(std::uint64_t{1} << (v & 63)); }
  void clear() { std::fill(words_.begin(), words_.end(), 0); }
  bool operator==(const NodeSet& other) const { return words_ == other.words_; }

  NodeSet& operator|=(const NodeSet& other) {
    for (std::size_t k = 0; k < words_.size(); ++k) words_[k] |= other.words_[k];
    return *this;
  }
  NodeSet& operator&=(const NodeSet& other) {
    for (std::size_t k = 0; k < words_.size(); ++k) words_[k] &= other.words_[k];
    return *this;
  }
  NodeSet& operator-=(const NodeSet& other) {
    for (std::size_t k = 0; k < words_.size(); ++k) words_[k] &= ~other.words_[k];
    return *this;
  }
  friend NodeSet operator|(NodeSet a, const NodeSet& b) { return a |= b; }
  friend NodeSet operator&(NodeSet a, const NodeSet& b) { return a &= b; }
  friend NodeSet operator-(NodeSet a, const NodeSet& b) { return a -= b; }

  // Calls f(v) for each member, in ascending order.
  template <class F>
  void each(F&& f) const {
    for (std::size_t k = 0; k < words_.size(); ++k)
      for (std::uint64_t w = words_[k]; w != 0; w &= w - 1)
        f(static_cast<int>(k * 64) + std::countr_zero(w));
  }
  Vars list() const {
    Vars out;
    each([&](int v) { out.push_back(v); });
    return out;
  }

 private:
  std::vector<std::uint64_t> words_;
};

// ------------------------------------------------------------------------------------------------
// Expressions in observed distributions. A node in an expression stands for the value of that
// variable: bound by the nearest enclosing sum over it, or else free (an intervened value, the
// outcome, or a value an enclosing call of ID fixes).

struct Expr;
using ExprPtr = std::shared_ptr<const Expr>;

struct Expr {
  enum class Kind { kProb, kProduct, kSum, kRatio };
  Kind kind = Kind::kProduct;
  Vars vars;                   // kProb: before the bar; kSum: the summed variables
  Vars given;                  // kProb: after the bar
  std::vector<ExprPtr> terms;  // kProduct: the factors (none: 1); kSum: {body}; kRatio: {num, den}
  Vars free;                   // the free variables, filled in by make()
};

ExprPtr make(Expr e) {
  switch (e.kind) {
    case Expr::Kind::kProb:
      e.free = unite(e.vars, e.given);
      break;
    case Expr::Kind::kSum:
      e.free = minus(e.terms.front()->free, e.vars);
      break;
    default: {
      // The union of the terms' lists: sorted when short, else marked in a table of the nodes.
      std::size_t total = 0;
      int top = -1;
      for (const auto& t : e.terms)
        if (!t->free.empty()) total += t->free.size(), top = std::max(top, t->free.back());
      if (total <= 256) {
        for (const auto& t : e.terms) e.free.insert(e.free.end(), t->free.begin(), t->free.end());
        std::sort(e.free.begin(), e.free.end());
        e.free.erase(std::unique(e.free.begin(), e.free.end()), e.free.end());
        break;
      }
      std::vector<char> seen(at(top + 1), 0);
      for (const auto& t : e.terms)
        for (int v : t->free) seen[at(v)] = 1;
      for (int v = 0; v <= top; ++v)
        if (seen[at(v)]) e.free.push_back(v);
    }
  }
  return std::make_shared<const Expr>(std::move(e));
}

ExprPtr one() {
  return make(Expr{});
}

// P(vars | given), which is 1 when `vars` is empty.
ExprPtr prob(Vars vars, Vars given) {
  if (vars.empty()) return one();
  return make({Expr::Kind::kProb, std::move(vars), std::move(given), {}, {}});
}

std::vector<ExprPtr> factors_of(const ExprPtr& e) {
  if (e->kind == Expr::Kind::kProduct) return e->terms;
  return {e};
}

// The product of `factors`, kept flat: no product inside a product, no factor 1.
ExprPtr product(const std::vector<ExprPtr>& factors) {
  std::vector<ExprPtr> flat;
  for (const auto& f : factors) {
    if (f->kind == Expr::Kind::kProduct) {
      flat.insert(flat.end(), f->terms.begin(), f->terms.end());
    } else {
      flat.push_back(f);
    }
  }
  if (flat.size() == 1) return flat.front();
  return make({Expr::Kind::kProduct, {}, {}, std::move(flat), {}});
}

bool same(const Expr& a, const Expr& b) {
  if (&a == &b) return true;
  if (a.kind != b.kind || a.vars != b.vars || a.given != b.given) return false;
  if (a.terms.size() != b.terms.size()) return false;
  for (std::size_t i = 0; i < a.terms.size(); ++i)
    if (!same(*a.terms[i], *b.terms[i])) return false;
  return true;
}

// Σ_{m} body, simplified where that is exact:
//  - Σ_a Σ_b e = Σ_{a ∪ b} e;
//  - a summed variable v that only one factor mentions, a P(A | C) with v in A, is summed out
//    of it: Σ_v P(A | C) = P(A \ {v} | C), and the factor disappears when A is {v} (which can
//    leave the variables of C to only one factor in turn).
// A summed variable no factor mentions is kept: the sum then multiplies by its number of values.
// Summing a variable out never stops another from qualifying, so the order does not matter: each
// variable is looked at when the count of factors mentioning it drops to one.
ExprPtr sum_over(ExprPtr body, Vars m) {
  if (m.empty()) return body;
  if (body->kind == Expr::Kind::kSum && meet(m, body->vars).empty()) {
    m = unite(m, body->vars);
    body = body->terms.front();
  }
  const std::vector<ExprPtr> factors = factors_of(body);
  const auto index = [&](int v) {
    const auto it = std::lower_bound(m.begin(), m.end(), v);
    return it != m.end() && *it == v ? static_cast<int>(it - m.begin()) : -1;
  };
  std::vector<std::vector<int>> mentions(m.size());  // per summed variable: its factors
  for (std::size_t i = 0; i < factors.size(); ++i)
    for (int v : factors[i]->free)
      if (const int k = index(v); k >= 0) mentions[at(k)].push_back(static_cast<int>(i));
  std::vector<int> count(m.size());
  for (std::size_t k = 0; k < m.size(); ++k) count[k] = static_cast<int>(mentions[k].size());
  std::vector<int> left(factors.size());  // per factor: variables before the bar still there
  for (std::size_t i = 0; i < factors.size(); ++i)
    left[i] = static_cast<int>(factors[i]->vars.size());
  std::vector<char> alive(factors.size(), 1), gone(m.size(), 0), changed(factors.size(), 0);

  std::vector<int> work;
  for (std::size_t k = 0; k < m.size(); ++k)
    if (count[k] == 1) work.push_back(static_cast<int>(k));
  while (!work.empty()) {
    const int k = work.back();
    work.pop_back();
    if (gone[at(k)] || count[at(k)] != 1) continue;
    int holder = -1;
    for (int i : mentions[at(k)])
      if (alive[at(i)]) holder = i;
    const Expr& f = *factors[at(holder)];
    if (f.kind != Expr::Kind::kProb || !has(f.vars, m[at(k)])) continue;
    gone[at(k)] = 1;
    changed[at(holder)] = 1;
    if (--left[at(holder)] > 0) continue;
    // P(v | C) summed over v is 1: the factor goes, and with it its mentions of C.
    alive[at(holder)] = 0;
    for (int v : f.given)
      if (const int j = index(v); j >= 0 && --count[at(j)] == 1) work.push_back(j);
  }

  std::vector<ExprPtr> kept;
  for (std::size_t i = 0; i < factors.size(); ++i) {
    if (!alive[i]) continue;
    if (!changed[i]) {
      kept.push_back(factors[i]);
      continue;
    }
    Vars vars;
    for (int v : factors[i]->vars)
      if (const int k = index(v); k < 0 || !gone[at(k)]) vars.push_back(v);
    kept.push_back(prob(std::move(vars), factors[i]->given));
  }
  Vars still;
  for (std::size_t k = 0; k < m.size(); ++k)
    if (!gone[k]) still.push_back(m[k]);
  ExprPtr rest = product(kept);
  if (still.empty()) return rest;
  return make({Expr::Kind::kSum, std::move(still), {}, {std::move(rest)}, {}});
}

// num / den, cancelling factors the two share, and P(A | C) / P(B | C) = P(A \ B | B, C) for
// B ⊂ A. (Cancelling assumes positive probabilities, as identification itself does.)
ExprPtr divide(const ExprPtr& num, const ExprPtr& den) {
  const std::vector<ExprPtr> top_all = factors_of(num);
  std::vector<char> used(top_all.size(), 0);
  // The denominator is usually the numerator with one variable summed out, so most of its
  // factors are the numerator's own objects: find those by address before comparing.
  std::unordered_multimap<const Expr*, std::size_t> where;
  for (std::size_t i = 0; i < top_all.size(); ++i) where.emplace(top_all[i].get(), i);
  std::vector<ExprPtr> bottom;
  for (const auto& d : factors_of(den)) {
    std::size_t match = top_all.size();
    const auto [lo, hi] = where.equal_range(d.get());
    for (auto it = lo; it != hi && match == top_all.size(); ++it)
      if (!used[it->second]) match = it->second;
    for (std::size_t i = 0; i < top_all.size() && match == top_all.size(); ++i)
      if (!used[i] && same(*top_all[i], *d)) match = i;
    if (match < top_all.size()) {
      used[match] = 1;
    } else {
      bottom.push_back(d);
    }
  }
  std::vector<ExprPtr> top;
  for (std::size_t i = 0; i < top_all.size(); ++i)
    if (!used[i]) top.push_back(top_all[i]);
  if (bottom.empty()) return product(top);
  if (top.size() == 1 && bottom.size() == 1) {
    const Expr& a = *top.front();
    const Expr& b = *bottom.front();
    if (a.kind == Expr::Kind::kProb && b.kind == Expr::Kind::kProb && a.given == b.given &&
        std::includes(a.vars.begin(), a.vars.end(), b.vars.begin(), b.vars.end()))
      return prob(minus(a.vars, b.vars), unite(b.vars, a.given));
  }
  return make({Expr::Kind::kRatio, {}, {}, {product(top), product(bottom)}, {}});
}

// ------------------------------------------------------------------------------------------------
// The recursion. The graph of each call is the projected ADMG induced on a vertex set `v`, and
// its distribution is a kernel over v (the nodes outside v it mentions are fixed values). That
// kernel is Markov relative to the graph on v: the observed P(v) at the top, a marginal over an
// ancestral set after line 2, and the c-factor Q[S'] of a C-component after line 7.

struct Dist {
  // The distribution over v as an expression; none when it is the observed P(v) itself, so that
  // its marginals and conditionals are plain P(a | b) read off directly.
  ExprPtr expr;
  bool plain() const { return expr == nullptr; }
};

struct IdSearch {
  const Admg& g;
  int n;
  std::vector<int> position;    // position in one topological order of the whole ADMG
  std::vector<int> order;       // the nodes in that order
  Vars hedge_f, hedge_f_prime;  // set when line 5 fails
  std::vector<int> slot;        // scratch for chain(): node -> its index there, or -1
  std::vector<int> part_of;     // scratch for line 4: node -> its C-component

  explicit IdSearch(const Admg& graph)
      : g(graph), n(graph.size()), position(at(n)), slot(at(n), -1), part_of(at(n), -1) {
    // Kahn's algorithm taking the smallest ready node first, so the order is deterministic. Its
    // restriction to any vertex set is a topological order of the induced subgraph, so one order
    // serves every call (and keeps the factors built by line 7 consistent with later calls).
    std::vector<int> indegree(at(n));
    std::priority_queue<int, std::vector<int>, std::greater<int>> ready;
    for (int v = 0; v < n; ++v) {
      indegree[at(v)] = static_cast<int>(g.parents[at(v)].size());
      if (indegree[at(v)] == 0) ready.push(v);
    }
    while (!ready.empty()) {
      const int v = ready.top();
      ready.pop();
      position[at(v)] = static_cast<int>(order.size());
      order.push_back(v);
      for (int c : g.children[at(v)])
        if (--indegree[at(c)] == 0) ready.push(c);
    }
  }

  NodeSet set_of(const Vars& nodes) const { return NodeSet(n, nodes); }

  // Ancestors of `of` (itself included) in the graph on `within` with the edges into `cut`
  // removed, i.e. in G_{\bar cut}.
  NodeSet ancestors(const NodeSet& of, const NodeSet& within, const NodeSet* cut = nullptr) const {
    NodeSet out = of;
    std::vector<int> stack = of.list();
    while (!stack.empty()) {
      const int v = stack.back();
      stack.pop_back();
      if (cut && cut->has(v)) continue;
      for (int p : g.parents[at(v)])
        if (within.has(p) && !out.has(p)) out.add(p), stack.push_back(p);
    }
    return out;
  }

  // The C-component of `start` in the graph on `within`.
  NodeSet district(int start, const NodeSet& within) const {
    NodeSet out(n);
    out.add(start);
    std::vector<int> stack{start};
    while (!stack.empty()) {
      const int v = stack.back();
      stack.pop_back();
      for (int s : g.spouses[at(v)])
        if (within.has(s) && !out.has(s)) out.add(s), stack.push_back(s);
    }
    return out;
  }

  // The C-components of the graph on `within`: its classes under bidirected connection, each
  // ascending, ordered by their first node.
  std::vector<Vars> c_components(const NodeSet& within) const {
    NodeSet seen(n);
    std::vector<Vars> out;
    within.each([&](int start) {
      if (seen.has(start)) return;
      Vars part;
      std::vector<int> stack{start};
      seen.add(start);
      while (!stack.empty()) {
        const int v = stack.back();
        stack.pop_back();
        part.push_back(v);
        for (int s : g.spouses[at(v)])
          if (within.has(s) && !seen.has(s)) seen.add(s), stack.push_back(s);
      }
      std::sort(part.begin(), part.end());
      out.push_back(std::move(part));
    });
    return out;
  }

  // The distribution p over v, as an expression.
  static ExprPtr expression(const Dist& p, const NodeSet& v) {
    return p.plain() ? prob(v.list(), {}) : p.expr;
  }

  // The marginal of p over `keep` (a subset of v).
  static Dist marginal(const Dist& p, const NodeSet& v, const NodeSet& keep) {
    if (p.plain() || keep == v) return p;
    return {sum_over(p.expr, (v - keep).list())};
  }

  // The conditional P(vi | v_π^{(i-1)}) of the distribution p over v, given `after`: the nodes of
  // v from vi on. Since p is Markov relative to the graph on v and vi is a sink of the graph on
  // v_π^{(i)} (an ancestral set), the conditional equals P(vi | mb), mb being vi's Markov blanket
  // there: its C-component D in that graph and the parents of D. The blanket is used wherever
  // the conditional is read off a plain P(v | C); otherwise it is
  // Σ_{after \ vi} p / Σ_{after} p with all the predecessors given, which cancels back to the
  // factors p was built from.
  static ExprPtr conditional(const Dist& p, const NodeSet& v, int vi, const Vars& mb,
                             const NodeSet& after) {
    if (p.plain()) return prob({vi}, mb);
    const Expr& e = *p.expr;
    if (e.kind == Expr::Kind::kProb && static_cast<int>(e.vars.size()) == v.count() &&
        std::all_of(e.vars.begin(), e.vars.end(), [&](int u) { return v.has(u); }))
      return prob({vi}, unite(mb, e.given));
    Vars later;
    after.each([&](int u) {
      if (u != vi) later.push_back(u);
    });
    const ExprPtr num = sum_over(p.expr, std::move(later));
    return divide(num, sum_over(num, {vi}));
  }

  // Π_{v_i ∈ c} P(v_i | v_π^{(i-1)}) computed from the distribution p over v, for a C-component
  // c of the graph on v. The C-component of v_i among the nodes of v up to v_i lies in c; a
  // union-find grows those components node by node in topological order, and each component of
  // more than one node keeps its blanket (its nodes and their parents in v) as a bitset.
  ExprPtr chain(const Vars& c, const Dist& p, const NodeSet& v) {
    Vars nodes = c;
    std::sort(nodes.begin(), nodes.end(),
              [&](int a, int b) { return position[at(a)] < position[at(b)]; });
    std::vector<int> root(nodes.size()), blanket(nodes.size(), -1);
    std::vector<NodeSet> pool;
    std::vector<int> spare;
    const auto find = [&](int i) {
      while (root[at(i)] != i) i = root[at(i)] = root[at(root[at(i)])];
      return i;
    };
    const auto add_node = [&](NodeSet& set, int u) {
      set.add(u);
      for (int q : g.parents[at(u)])
        if (v.has(q)) set.add(q);
    };
    std::vector<ExprPtr> factors;
    NodeSet after = v;  // the nodes of v from vi on in the order, for conditional()
    std::size_t next = 0;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      const int vi = nodes[i];
      const int r = static_cast<int>(i);
      if (!p.plain())
        for (; next < at(position[at(vi)]); ++next)
          if (v.has(order[next])) after.remove(order[next]);
      slot[at(vi)] = r;
      root[i] = r;
      for (int s : g.spouses[at(vi)]) {
        if (slot[at(s)] < 0) continue;  // not in c, or not yet reached
        const int b = find(slot[at(s)]);
        if (b == r) continue;
        if (blanket[i] < 0) {  // vi alone so far
          if (spare.empty()) {
            blanket[i] = static_cast<int>(pool.size());
            pool.emplace_back(n);
          } else {
            blanket[i] = spare.back();
            spare.pop_back();
          }
          add_node(pool[at(blanket[i])], vi);
        }
        NodeSet& into = pool[at(blanket[i])];
        if (blanket[at(b)] < 0) {  // b alone
          add_node(into, nodes[at(b)]);
        } else {
          into |= pool[at(blanket[at(b)])];
          pool[at(blanket[at(b)])].clear();
          spare.push_back(blanket[at(b)]);
          blanket[at(b)] = -1;
        }
        root[at(b)] = r;
      }
      Vars mb;
      if (blanket[i] < 0) {
        for (int q : g.parents[at(vi)])
          if (v.has(q)) mb.push_back(q);
      } else {
        pool[at(blanket[i])].each([&](int u) {
          if (u != vi) mb.push_back(u);
        });
      }
      factors.push_back(conditional(p, v, vi, mb, after));
    }
    for (int vi : nodes) slot[at(vi)] = -1;
    return product(factors);
  }

  // Line 4 of ID with the observed P(v): which C-components of G \ x need a call of their own.
  // A C-component of G \ x with no bidirected edge into x is also one of G. Those of them that
  // no node of x, nor of another component, reaches by a directed path form an ancestral set N
  // of G that is a union of C-components: Π_{S_i ⊆ N} P_{v \ s_i}(s_i) = Q[N] = P(N) (Tian and
  // Pearl), one plain factor. Returns per component whether it is in N.
  std::vector<char> ancestral_union(const std::vector<Vars>& parts, const NodeSet& x,
                                    const NodeSet& v, std::vector<char>& closed) {
    for (std::size_t j = 0; j < parts.size(); ++j)
      for (int u : parts[j]) part_of[at(u)] = static_cast<int>(j);
    closed.assign(parts.size(), 1);
    std::vector<char> reached(parts.size(), 0);
    std::vector<int> stack;
    x.each([&](int u) { stack.push_back(u); });
    for (std::size_t j = 0; j < parts.size(); ++j) {
      for (int u : parts[j])
        for (int s : g.spouses[at(u)])
          if (x.has(s)) closed[j] = 0;
      if (!closed[j]) {
        reached[j] = 1;
        stack.insert(stack.end(), parts[j].begin(), parts[j].end());
      }
    }
    while (!stack.empty()) {
      const int u = stack.back();
      stack.pop_back();
      for (int c : g.children[at(u)]) {
        if (!v.has(c) || x.has(c)) continue;
        const int j = part_of[at(c)];
        if (reached[at(j)]) continue;
        reached[at(j)] = 1;
        stack.insert(stack.end(), parts[at(j)].begin(), parts[at(j)].end());
      }
    }
    for (const Vars& part : parts)
      for (int u : part) part_of[at(u)] = -1;
    std::vector<char> in_n(parts.size());
    for (std::size_t j = 0; j < parts.size(); ++j) in_n[j] = !reached[j];
    return in_n;
  }

  // ID(y, x, P, G): P_x(y) from the distribution p over the vertex set v of the graph, or
  // nullptr after recording a hedge.
  ExprPtr id(const NodeSet& y, const NodeSet& x, const Dist& p, const NodeSet& v) {
    // Line 1: no intervention left; marginalise to y.
    if (x.empty()) return expression(marginal(p, v, y), y);

    // Line 2: only ancestors of y matter; marginalise the others away and drop them from G.
    const NodeSet an = ancestors(y, v);
    if (!(an == v)) return id(y, x & an, marginal(p, v, an), an);

    // Line 3: nodes that cannot affect y once x is fixed (non-ancestors of y in G_{\bar x})
    // can be intervened on too without changing the answer.
    const NodeSet w = v - x - ancestors(y, v, &x);
    if (!w.empty()) return id(y, x | w, p, v);

    // Line 4: G \ x splits into several C-components S_i: the effect factorises into
    // Σ_{v \ (y ∪ x)} Π_i P_{v \ s_i}(s_i). With the observed P(v) most S_i need no call of
    // their own: those in N (ancestral_union) give the one factor P(N), and the other
    // C-components of G come out of line 6 directly. Only the S_i with a bidirected edge into x
    // are searched, and can fail.
    const std::vector<Vars> parts = c_components(v - x);
    if (parts.size() > 1) {
      std::vector<char> closed, in_n;
      if (p.plain()) in_n = ancestral_union(parts, x, v, closed);
      Vars n_nodes;
      for (std::size_t j = 0; j < in_n.size(); ++j)
        if (in_n[j]) n_nodes.insert(n_nodes.end(), parts[j].begin(), parts[j].end());
      std::sort(n_nodes.begin(), n_nodes.end());
      std::vector<ExprPtr> factors;
      bool n_written = false;
      for (std::size_t j = 0; j < parts.size(); ++j) {
        if (!in_n.empty() && in_n[j]) {
          if (!n_written) factors.push_back(prob(n_nodes, {}));
          n_written = true;
          continue;
        }
        if (!closed.empty() && closed[j]) {
          // A C-component of G itself, not ancestral: its call would reach line 6 in the graph
          // on An(S_i) with the observed P(An(S_i)), where the Markov blankets are those here.
          factors.push_back(chain(parts[j], p, v));
          continue;
        }
        const NodeSet s = set_of(parts[j]);
        ExprPtr f = id(s, v - s, p, v);
        if (!f) return nullptr;
        factors.push_back(std::move(f));
      }
      return sum_over(product(factors), (v - (y | x)).list());
    }

    // From here G \ x is a single C-component S.
    const Vars& s_nodes = parts.front();
    const NodeSet s = set_of(s_nodes);
    const NodeSet whole = district(s_nodes.front(), v);  // the C-component of G holding S

    // Line 5: G itself is one C-component: G and S form a hedge, FAIL(G, S).
    if (whole == v) {
      hedge_f = v.list();
      hedge_f_prime = s_nodes;
      return nullptr;
    }

    // Line 6: S is a C-component of G: its factor Π_{v_i ∈ S} P(v_i | v_π^(i-1)) is
    // identified; sum out what is not y.
    if (whole == s) return sum_over(chain(s_nodes, p, v), (s - y).list());

    // Line 7: S lies inside a larger C-component S' of G. Recurse in G_{S'} with the
    // distribution Π_{v_i ∈ S'} P(v_i | v_π^(i-1) ∩ S', v_π^(i-1) \ S'); the nodes
    // outside S' are all in x, so they stay in the conditionals as fixed values.
    return id(y, x & whole, Dist{chain(whole.list(), p, v)}, whole);
  }
};

// ------------------------------------------------------------------------------------------------
// Writing an expression. Bound variables get primes when their name is taken: by a free variable
// of the whole expression, by a variable of an enclosing sum, or by another node.

class Renderer {
 public:
  Renderer(const Admg& g, const Expr& whole)
      : g_(g), shown_(g.names), names_(g.names.begin(), g.names.end()) {
    for (int v : whole.free) free_names_.insert(g.names[at(v)]);
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
      if (i) out += ' ';
      out += wrap ? "(" + render(f) + ")" : render(f);
    }
    return out;
  }

 private:
  std::string list(const Vars& nodes) const {
    std::string out;
    for (int v : nodes) {
      if (!out.empty()) out += ", ";
      out += shown_[at(v)];
    }
    return out;
  }

  std::string render_sum(const Expr& e) {
    std::vector<std::string> saved;
    for (int v : e.vars) saved.push_back(shown_[at(v)]);
    const std::size_t depth = bound_.size();
    for (int v : e.vars) {
      const std::string& name = g_.names[at(v)];
      std::string shown = name;
      while (free_names_.count(shown) || taken_.count(shown) ||
             (shown != name && names_.count(shown)))
        shown += '\'';
      shown_[at(v)] = shown;
      taken_.insert(shown);
      bound_.push_back(shown);
    }
    const Expr& body = *e.terms.front();
    const std::string inner =
        body.kind == Expr::Kind::kRatio ? "(" + render(body) + ")" : render(body);
    std::string out = "Σ_{" + list(e.vars) + "} " + inner;
    for (std::size_t k = 0; k < e.vars.size(); ++k) shown_[at(e.vars[k])] = saved[k];
    for (std::size_t k = depth; k < bound_.size(); ++k) taken_.erase(taken_.find(bound_[k]));
    bound_.resize(depth);
    return out;
  }

  const Admg& g_;
  std::vector<std::string> shown_;  // how each node is written at this point
  std::unordered_set<std::string> names_;
  std::set<std::string> free_names_;
  std::vector<std::string> bound_;              // the names taken by enclosing sums, innermost last
  std::unordered_multiset<std::string> taken_;  // the same names, to look up
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
  NodeSet all(admg.size());
  for (int v = 0; v < admg.size(); ++v) all.add(v);
  const ExprPtr found = search.id(search.set_of({y}), search.set_of({t}), Dist{}, all);

  IdResult out;
  if (found) {
    out.identifiable = true;
    out.expression = Renderer(admg, *found).render(*found);
    return out;
  }
  auto names = [&](const Vars& nodes) {
    std::vector<std::string> list;
    for (int v : nodes) list.push_back(admg.names[at(v)]);
    return list;
  };
  out.hedge_f = names(search.hedge_f);
  out.hedge_f_prime = names(search.hedge_f_prime);
  // The root set the two C-forests share: the nodes of F' with no child in F'.
  const NodeSet f_prime = search.set_of(search.hedge_f_prime);
  Vars roots;
  for (int v : search.hedge_f_prime)
    if (std::none_of(admg.children[at(v)].begin(), admg.children[at(v)].end(),
                     [&](int c) { return f_prime.has(c); }))
      roots.push_back(v);
  out.reason = fmt::format(
      "the graph has a hedge for it, F = {} and F' = {}: each is held together by bidirected "
      "(hidden-confounding) paths, both have the root set {}, and only F contains the treatment "
      "{}, "
      "so two models can agree on every observed distribution and still differ in the effect",
      braces(out.hedge_f), braces(out.hedge_f_prime), braces(names(roots)), treatment);
  return out;
}

}  // namespace causeway
