#include "causeway/graph/graph_io.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "causeway/data/table.h"
#include "core/read_file.h"
#include "core/text.h"
#include "graph/gml.h"
#include "graph/graphviz_api.h"

namespace causeway {
namespace {

// Graphviz's DOT reader, loaded at the first graph read.
const CgraphApi& cgraph() {
  return cgraph_api("reading a DOT graph (--graph)");
}

// The observed= attribute: yes/true/1 (or absent) and no/false/0; anything else is an error.
bool observed_value(std::string value, const std::string& source, const std::string& node) {
  std::transform(value.begin(), value.end(), value.begin(), ::tolower);
  if (value.empty() || value == "yes" || value == "true" || value == "1") return true;
  if (value == "no" || value == "false" || value == "0") return false;
  throw Error(ErrorCode::kBadInput,
              fmt::format("{}: node '{}' has observed={}; write observed=no for an unobserved "
                          "variable (or leave the attribute out)",
                          source, printable(node), printable(value)));
}

// cgraph reports problems through a callback; the messages of one parse are kept.
std::string& dot_messages() {
  static thread_local std::string all;
  return all;
}

int keep_dot_message(char* message) {
  if (message) dot_messages() += message;  // one message may arrive in several pieces
  return 0;
}

// The collected messages on one line, without cgraph's "Error:" prefixes.
std::string dot_problem() {
  std::string out;
  for (char c : dot_messages()) {
    const char ch = c == '\n' || c == '\r' || c == '\t' ? ' ' : c;
    if (ch == ' ' && (out.empty() || out.back() == ' ')) continue;
    out += ch;
  }
  for (const std::string prefix : {"Error: ", "Warning: "})
    for (std::size_t at; (at = out.find(prefix)) != std::string::npos;)
      out.erase(at, prefix.size());
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (out.find("memory exhausted") != std::string::npos)
    out += " (Graphviz's parser cannot hold statements this long: write one edge per statement)";
  return out.empty() ? "empty or unreadable" : out;
}

std::string attribute(void* object, const char* name) {
  const char* value = cgraph().agget(object, const_cast<char*>(name));
  return value ? value : "";
}

[[noreturn]] void self_loop(const std::string& source, const std::string& node) {
  throw Error(ErrorCode::kBadInput,
              fmt::format("{}: graph is not acyclic: cycle {} -> {} (a self-loop); a variable "
                          "cannot cause itself, remove the edge",
                          source, node, node));
}

CausalGraph from_dot(const std::string& text, const std::string& source) {
  cgraph().agseterr(AGWARN);  // every warning and error goes to the callback, none to stderr
  cgraph().agseterrf(keep_dot_message);
  cgraph().agreseterrors();
  dot_messages().clear();
  Agraph_t* g = cgraph().agmemread(text.c_str());
  // A parse that hits an error may still return the part it read: never use it.
  const bool failed = !g || cgraph().agreseterrors() >= AGERR;
  struct Closer {
    Agraph_t* g;
    ~Closer() {
      if (g) cgraph().agclose(g);
    }
  } closer{g};
  if (failed)
    throw Error(ErrorCode::kBadInput,
                fmt::format("{}: not a DOT graph ({}); write it as digraph {{ a -> b; }}", source,
                            printable(dot_problem(), 300)));
  if (!cgraph().agisdirected(g))
    throw Error(ErrorCode::kBadInput,
                fmt::format("{}: the graph is undirected ('graph {{ a -- b }}'); a causal graph "
                            "is a digraph with edges a -> b",
                            source));
  CausalGraph out;
  out.source = source;
  for (Agnode_t* n = cgraph().agfstnode(g); n; n = cgraph().agnxtnode(g, n)) {
    const std::string name = cgraph().agnameof(n);
    if (name.empty())
      throw Error(ErrorCode::kBadInput,
                  fmt::format("{}: a node has an empty name; name every variable", source));
    out.add_node(name, observed_value(attribute(n, "observed"), source, name));
  }
  for (Agnode_t* n = cgraph().agfstnode(g); n; n = cgraph().agnxtnode(g, n))
    for (Agedge_t* e = cgraph().agfstout(g, n); e; e = cgraph().agnxtout(g, e)) {
      const int a = out.find(cgraph().agnameof(agtail(e))),
                b = out.find(cgraph().agnameof(aghead(e)));
      if (a == b) self_loop(source, out.names[static_cast<std::size_t>(a)]);
      const std::string dir = attribute(e, "dir");
      if (dir == "both")
        out.add_bidirected(a, b);
      else if (dir.empty() || dir == "forward")
        out.add_edge(a, b);
      else
        throw Error(ErrorCode::kBadInput,
                    fmt::format("{}: edge {} -> {} has dir={}; a causal edge is directed "
                                "(a -> b), or dir=both for hidden confounding",
                                source, printable(out.names[static_cast<std::size_t>(a)]),
                                printable(out.names[static_cast<std::size_t>(b)]), printable(dir)));
    }
  return out;
}

CausalGraph from_gml(const std::string& text, const std::string& source) {
  const GmlList root = parse_gml_text(text, source);
  if (root.lists("graph").size() > 1)
    throw Error(ErrorCode::kBadInput,
                fmt::format("{}: the file holds {} graphs; give one graph per file", source,
                            root.lists("graph").size()));
  const GmlList* graph = root.list("graph");
  if (!graph)
    throw Error(ErrorCode::kBadInput,
                fmt::format("{}: no 'graph [ ... ]' block; a GML causal graph is graph [ "
                            "directed 1 node [ id ... ] edge [ source ... target ... ] ]",
                            source));
  if (graph->value("directed") != "1" ||
      std::count_if(graph->entries.begin(), graph->entries.end(),
                    [](const GmlList::Entry& e) { return e.key == "directed" && !e.list; }) > 1)
    throw Error(ErrorCode::kBadInput,
                fmt::format("{}: the graph is not marked 'directed 1'; a causal graph is "
                            "directed",
                            source));
  CausalGraph out;
  out.source = source;
  std::unordered_map<std::string, int> by_id;
  for (const GmlList* node : graph->lists("node")) {
    const std::string id = node->value("id");
    if (id.empty())
      throw Error(ErrorCode::kBadInput,
                  fmt::format("{}: line {}: a node has no id", source, node->line));
    const std::string label = node->value("label");
    const std::string name = label.empty() ? id : label;
    if (by_id.count(id))
      throw Error(ErrorCode::kBadInput, fmt::format("{}: line {}: node id '{}' appears twice",
                                                    source, node->line, printable(id)));
    if (out.find(name) >= 0)
      throw Error(ErrorCode::kBadInput,
                  fmt::format("{}: line {}: two nodes are named '{}'; give each variable one "
                              "node",
                              source, node->line, printable(name)));
    by_id[id] = out.add_node(name, observed_value(node->value("observed"), source, name));
  }
  for (const GmlList* edge : graph->lists("edge")) {
    int ends[2];
    for (int k = 0; k < 2; ++k) {
      const char* key = k ? "target" : "source";
      const auto it = by_id.find(edge->value(key));
      if (it == by_id.end())
        throw Error(ErrorCode::kBadInput,
                    fmt::format("{}: line {}: the edge's {} '{}' is not a node id", source,
                                edge->line, key, edge->value(key)));
      ends[k] = it->second;
    }
    if (ends[0] == ends[1]) self_loop(source, out.names[static_cast<std::size_t>(ends[0])]);
    const std::string dir = edge->value("dir");
    if (dir == "both")
      out.add_bidirected(ends[0], ends[1]);
    else if (dir.empty() || dir == "forward")
      out.add_edge(ends[0], ends[1]);
    else
      throw Error(ErrorCode::kBadInput,
                  fmt::format("{}: line {}: edge has dir \"{}\"; a causal edge is directed, or "
                              "dir \"both\" for hidden confounding",
                              source, edge->line, printable(dir)));
  }
  return out;
}

// A directed cycle as "a -> b -> a", or "" when the graph is acyclic.
std::string find_cycle(const CausalGraph& g) {
  const int n = g.size();
  std::vector<int> state(static_cast<std::size_t>(n), 0), parent(static_cast<std::size_t>(n), -1);
  for (int root = 0; root < n; ++root) {
    if (state[static_cast<std::size_t>(root)]) continue;
    // Iterative depth-first search: (node, next child to visit).
    std::vector<std::pair<int, std::size_t>> stack{{root, 0}};
    state[static_cast<std::size_t>(root)] = 1;
    while (!stack.empty()) {
      auto& [v, next] = stack.back();
      const auto& ch = g.children[static_cast<std::size_t>(v)];
      if (next == ch.size()) {
        state[static_cast<std::size_t>(v)] = 2;
        stack.pop_back();
        continue;
      }
      const int c = ch[next++];
      if (state[static_cast<std::size_t>(c)] == 1) {  // back edge v -> c closes a cycle
        std::vector<std::string> cycle{g.names[static_cast<std::size_t>(c)]};
        for (int u = v; u != c; u = parent[static_cast<std::size_t>(u)])
          cycle.insert(cycle.begin() + 1, g.names[static_cast<std::size_t>(u)]);
        cycle.push_back(g.names[static_cast<std::size_t>(c)]);
        std::string out;
        for (const auto& name : cycle) out += (out.empty() ? "" : " -> ") + name;
        return out;
      }
      if (state[static_cast<std::size_t>(c)] == 0) {
        state[static_cast<std::size_t>(c)] = 1;
        parent[static_cast<std::size_t>(c)] = v;
        stack.emplace_back(c, 0);
      }
    }
  }
  return "";
}

// A directed path from a to b, written "a -> c -> b", or "" when there is none.
std::string directed_path(const CausalGraph& g, int a, int b) {
  std::vector<int> parent(static_cast<std::size_t>(g.size()), -2);
  std::vector<int> queue{a};
  parent[static_cast<std::size_t>(a)] = -1;
  for (std::size_t head = 0; head < queue.size(); ++head)
    for (int c : g.children[static_cast<std::size_t>(queue[head])])
      if (parent[static_cast<std::size_t>(c)] == -2) {
        parent[static_cast<std::size_t>(c)] = queue[head];
        queue.push_back(c);
      }
  if (parent[static_cast<std::size_t>(b)] == -2) return "";
  std::string path = g.names[static_cast<std::size_t>(b)];
  for (int v = parent[static_cast<std::size_t>(b)]; v >= 0; v = parent[static_cast<std::size_t>(v)])
    path = g.names[static_cast<std::size_t>(v)] + " -> " + path;
  return path;
}

}  // namespace

Result<CausalGraph> parse_dot(const std::string& text, const std::string& source) {
  return guarded([&] { return from_dot(text, source); });
}

Result<CausalGraph> parse_gml(const std::string& text, const std::string& source) {
  return guarded([&] { return from_gml(text, source); });
}

Result<CausalGraph> read_graph(const std::string& path) {
  return guarded([&] {
    const std::string text = read_whole_file(path, "graph file");
    std::string lower = path;
    std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
    // GML by extension or by its opening keyword; anything else is DOT.
    const std::size_t first = text.find_first_not_of(" \t\r\n");
    const bool gml = lower.ends_with(".gml") ||
                     (first != std::string::npos && text.compare(first, 5, "graph") == 0 &&
                      text.find('[', first) != std::string::npos &&
                      text.find_first_not_of(" \t\r\n", first + 5) == text.find('[', first));
    return gml ? from_gml(text, path) : from_dot(text, path);
  });
}

CausalGraph graph_from_roles(const std::string& treatment, const std::string& outcome,
                             const RoleLists& roles) {
  CausalGraph g;
  g.source = "the command line";
  const int t = g.add_node(treatment), y = g.add_node(outcome);
  for (const auto& w : roles.common_causes) {
    const int v = g.add_node(w);
    g.add_edge(v, t);
    g.add_edge(v, y);
  }
  for (const auto& z : roles.instruments) g.add_edge(g.add_node(z), t);
  for (const auto& x : roles.effect_modifiers) g.add_edge(g.add_node(x), y);
  g.add_edge(t, y);
  return g;
}

Result<GraphCheck> check_graph(CausalGraph& g, const std::string& treatment,
                               const std::string& outcome, const std::vector<std::string>& columns,
                               bool strict_names) {
  return guarded([&] {
    GraphCheck check;
    if (const std::string cycle = find_cycle(g); !cycle.empty())
      throw Error(ErrorCode::kBadInput,
                  fmt::format("{}: graph is not acyclic: cycle {}; a variable cannot cause itself "
                              "through others, remove one of these edges",
                              g.source, cycle));
    for (const auto* role : {&treatment, &outcome}) {
      const char* what = role == &treatment ? "treatment" : "outcome";
      if (role->empty())
        throw Error(ErrorCode::kBadInput, fmt::format("no {} given; pass --{}", what, what));
      if (g.find(*role) < 0) {
        const std::string near = closest_name(g.names, *role);
        throw Error(
            ErrorCode::kBadInput,
            fmt::format("{}: the {} '{}' is not a node of the graph{}; the nodes are: {}", g.source,
                        what, *role, near.empty() ? "" : fmt::format(" (did you mean '{}'?)", near),
                        list_first(g.names.size(), 20, [&](std::size_t k) { return g.names[k]; })));
      }
    }
    const int t = g.find(treatment), y = g.find(outcome);
    if (t == y)
      throw Error(ErrorCode::kBadInput,
                  fmt::format("'{}' is given as both treatment and outcome", treatment));
    if (std::binary_search(g.children[static_cast<std::size_t>(y)].begin(),
                           g.children[static_cast<std::size_t>(y)].end(), t))
      throw Error(ErrorCode::kBadInput,
                  fmt::format("{}: the graph has an edge from the outcome into the treatment ({} "
                              "-> {}): the effect of {} on {} is then not what is asked; reverse "
                              "or remove the edge",
                              g.source, outcome, treatment, treatment, outcome));
    if (const std::string path = directed_path(g, y, t); !path.empty())
      throw Error(ErrorCode::kBadInput,
                  fmt::format("{}: the outcome causes the treatment in the graph ({}): the "
                              "effect of {} on {} is then not what is asked; reverse or remove "
                              "an edge",
                              g.source, path, treatment, outcome));
    if (directed_path(g, t, y).empty())
      check.warnings.push_back(fmt::format(
          "the graph has no directed path from {} to {}: it says {} has no effect on {}, and "
          "identification shows how to check that",
          treatment, outcome, treatment, outcome));
    if (!columns.empty()) {
      for (int v = 0; v < g.size(); ++v) {
        const std::string& name = g.names[static_cast<std::size_t>(v)];
        if (!g.observed[static_cast<std::size_t>(v)]) continue;
        if (std::find(columns.begin(), columns.end(), name) != columns.end()) continue;
        const std::string near = closest_name(columns, name);
        const std::string message =
            fmt::format("graph node '{}' has no column in the data{}", name,
                        near.empty() ? "" : fmt::format(" (closest: '{}')", near));
        if (strict_names || v == t || v == y)
          throw Error(ErrorCode::kBadInput,
                      fmt::format("{}: {}; rename the node or mark it unobserved ({} "
                                  "[observed=no])",
                                  g.source, message, name));
        g.observed[static_cast<std::size_t>(v)] = false;
        check.warnings.push_back(message + "; treated as UNOBSERVED");
      }
      std::vector<std::string> outside;
      for (const auto& c : columns)
        if (g.find(c) < 0) outside.push_back(c);
      for (const auto& c : outside)
        check.warnings.push_back(fmt::format("data column '{}' is not in the graph (ignored)", c));
    }
    for (const int v : {t, y})
      if (!g.observed[static_cast<std::size_t>(v)])
        throw Error(
            ErrorCode::kBadInput,
            fmt::format("{}: the {} '{}' is marked unobserved; its effect needs data", g.source,
                        v == t ? "treatment" : "outcome", g.names[static_cast<std::size_t>(v)]));
    for (int v = 0; v < g.size(); ++v)
      if (!g.observed[static_cast<std::size_t>(v)])
        check.unobserved.push_back(g.names[static_cast<std::size_t>(v)]);
    return check;
  });
}

}  // namespace causeway
