// Searching for backdoor adjustment sets.
#pragma once

#include <string>
#include <vector>

#include "causeway/graph/identify.h"

namespace causeway {

struct BackdoorSearch {
  std::vector<std::vector<int>> sets;  // the chosen set first; exhaustive: every minimal set
  std::string note;                    // how the set was chosen, or why none exists
  bool found = false;
  std::vector<int> ancestral;  // the observed non-descendants of t that are ancestors of t or y
};

BackdoorSearch search_backdoor(const CausalGraph& g, int t, int y, AdjustmentChoice choice,
                               std::size_t cap);

}  // namespace causeway
