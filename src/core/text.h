// Small text helpers shared by messages.
#pragma once

#include <fmt/format.h>

#include <cstddef>
#include <string>
#include <string_view>

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

// `text` with control characters (other than newline and tab) shown as \xNN, so that data
// echoed in a message cannot drive the terminal.
// At most `limit` bytes of `text` are kept (0: all).
inline std::string printable(std::string_view text, std::size_t limit = 0) {
  std::string out;
  const std::size_t cut = limit && text.size() > limit ? text.size() - limit : 0;
  if (cut) text = text.substr(0, limit);
  out.reserve(text.size());
  for (unsigned char c : text) {
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
      out += fmt::format("\\x{:02x}", c);
    else
      out += static_cast<char>(c);
  }
  if (cut) out += fmt::format("... ({} more bytes)", cut);
  return out;
}

// `text` cut to at most `width` bytes, at a UTF-8 character boundary, ending in "..." when cut.
inline std::string clip(const std::string& text, std::size_t width) {
  if (text.size() <= width) return text;
  std::size_t end = width >= 3 ? width - 3 : 0;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end) + "...";
}

}  // namespace causeway
