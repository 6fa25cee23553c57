// A small reader for GML (Graph Modelling Language): nested `key value` and `key [ ... ]` lists.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace causeway {

struct GmlList {
  struct Entry {
    std::string key;
    std::string value;              // numbers and strings as written, quotes removed
    std::unique_ptr<GmlList> list;  // for `key [ ... ]`
  };
  std::size_t line = 1;  // where the list opens
  std::vector<Entry> entries;

  // The first value under `key`, "" when there is none.
  std::string value(const std::string& key) const;
  const GmlList* list(const std::string& key) const;
  std::vector<const GmlList*> lists(const std::string& key) const;
};

// Throws Error(kBadInput) naming the source and line of a syntax error.
GmlList parse_gml_text(const std::string& text, const std::string& source);

}  // namespace causeway
