// Small text helpers shared by messages.
#pragma once

#include <fmt/format.h>

#include <cstddef>
#include <string>

namespace causeway {

// "a, b, c, and 4 more": the names of the first `limit` of `count` items, name_of(k) naming
// item k.
template <class NameOf>
std::string list_first(std::size_t count, std::size_t limit, NameOf name_of) {
  std::string out;
  for (std::size_t k = 0; k < count && k < limit; ++k) out += (k ? ", " : "") + name_of(k);
  if (count > limit) out += fmt::format(", and {} more", count - limit);
  return out;
}

}  // namespace causeway
