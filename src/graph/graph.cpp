#include "causeway/graph/graph.h"

#include <algorithm>

namespace causeway {

int CausalGraph::find(const std::string& name) const {
  const auto it = index.find(name);
  return it == index.end() ? -1 : it->second;
}

int CausalGraph::add_node(const std::string& name, bool is_observed) {
  if (const int i = find(name); i >= 0) return i;
  index.emplace(name, size());
  names.push_back(name);
  observed.push_back(is_observed);
  parents.emplace_back();
  children.emplace_back();
  return size() - 1;
}

void CausalGraph::add_edge(int a, int b) {
  auto& ch = children[static_cast<std::size_t>(a)];
  const auto it = std::lower_bound(ch.begin(), ch.end(), b);
  if (it != ch.end() && *it == b) return;
  ch.insert(it, b);
  auto& pa = parents[static_cast<std::size_t>(b)];
  pa.insert(std::lower_bound(pa.begin(), pa.end(), a), a);
}

void CausalGraph::add_bidirected(int a, int b) {
  const std::pair<int, int> e = std::minmax(a, b);
  const auto key =
      (static_cast<std::uint64_t>(e.first) << 32) | static_cast<std::uint32_t>(e.second);
  if (bidirected_index.insert(key).second) bidirected.push_back(e);
}

std::vector<int> CausalGraph::spouses(int v) const {
  std::vector<int> out;
  for (const auto& [a, b] : bidirected) {
    if (a == v) out.push_back(b);
    if (b == v) out.push_back(a);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace causeway
