#include "graph/gml.h"

#include <fmt/format.h>

#include <cctype>

#include "causeway/status.h"
#include "core/text.h"

namespace causeway {
namespace {

constexpr int kMaxDepth = 100;

class GmlReader {
 public:
  GmlReader(const std::string& text, const std::string& source) : text_(text), source_(source) {}

  // Entries until `]` (nested) or the end of the text (top level). A causal graph needs three
  // levels (graph, node or edge, attribute); far deeper nesting is refused, not recursed into.
  void read_list(GmlList& out, bool nested, int depth = 0) {
    if (depth > kMaxDepth)
      fail(
          fmt::format("lists nested more than {} deep; a GML graph needs three levels", kMaxDepth));
    while (true) {
      skip_space();
      if (pos_ >= text_.size()) {
        if (nested) fail("a '[' is never closed");
        return;
      }
      if (text_[pos_] == ']') {
        if (!nested) fail("a ']' closes nothing");
        ++pos_;
        return;
      }
      GmlList::Entry e;
      e.key = word();
      if (e.key.empty()) fail(fmt::format("expected a key, found '{}'", text_[pos_]));
      skip_space();
      if (pos_ < text_.size() && text_[pos_] == '[') {
        ++pos_;
        e.list = std::make_unique<GmlList>();
        e.list->line = line_;
        read_list(*e.list, true, depth + 1);
      } else if (pos_ < text_.size() && text_[pos_] == '"') {
        e.value = quoted();
      } else {
        e.value = word();
        if (e.value.empty()) fail(fmt::format("key '{}' has no value", e.key));
      }
      out.entries.push_back(std::move(e));
    }
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw Error(ErrorCode::kBadInput,
                fmt::format("{}: line {}: not valid GML: {}", source_, line_, printable(what)));
  }
  void skip_space() {
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '#') {  // comment to the end of the line
        while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
      } else if (std::isspace(static_cast<unsigned char>(c))) {
        line_ += c == '\n';
        ++pos_;
      } else {
        return;
      }
    }
  }
  std::string word() {
    const std::size_t begin = pos_;
    while (pos_ < text_.size() && !std::isspace(static_cast<unsigned char>(text_[pos_])) &&
           text_[pos_] != '[' && text_[pos_] != ']' && text_[pos_] != '"')
      ++pos_;
    return text_.substr(begin, pos_ - begin);
  }
  std::string quoted() {
    const std::size_t open_line = line_;
    const std::size_t end = text_.find('"', pos_ + 1);
    if (end == std::string::npos) {
      line_ = open_line;
      fail("a quoted string is never closed");
    }
    std::string out = text_.substr(pos_ + 1, end - pos_ - 1);
    for (char c : out) line_ += c == '\n';
    pos_ = end + 1;
    return out;
  }

  const std::string& text_;
  const std::string& source_;
  std::size_t pos_ = 0, line_ = 1;
};

}  // namespace

std::string GmlList::value(const std::string& key) const {
  for (const auto& e : entries)
    if (e.key == key && !e.list) return e.value;
  return "";
}

const GmlList* GmlList::list(const std::string& key) const {
  for (const auto& e : entries)
    if (e.key == key && e.list) return e.list.get();
  return nullptr;
}

std::vector<const GmlList*> GmlList::lists(const std::string& key) const {
  std::vector<const GmlList*> out;
  for (const auto& e : entries)
    if (e.key == key && e.list) out.push_back(e.list.get());
  return out;
}

GmlList parse_gml_text(const std::string& text, const std::string& source) {
  GmlList root;
  GmlReader(text, source).read_list(root, false);
  return root;
}

}  // namespace causeway
