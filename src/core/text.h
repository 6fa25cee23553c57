// Small text helpers shared by messages.
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace causeway {

// "1 row", "2 rows": a count and its noun, made plural with an s unless the count is 1.
inline std::string counted(std::size_t count, std::string_view noun) {
  return fmt::format("{} {}{}", count, noun, count == 1 ? "" : "s");
}

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
// echoed in a message cannot drive the terminal; without `line_breaks`, newlines and carriage
// returns are shown as \n and \r too (a message that must stay on one line).
// At most `limit` bytes of `text` are kept (0: all).
inline std::string printable(std::string_view text, std::size_t limit = 0,
                             bool line_breaks = true) {
  std::string out;
  const std::size_t cut = limit && text.size() > limit ? text.size() - limit : 0;
  if (cut) text = text.substr(0, limit);
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (!line_breaks && (c == '\n' || c == '\r'))
      out += c == '\n' ? "\\n" : "\\r";
    else if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
      out += fmt::format("\\x{:02x}", c);
    else
      out += static_cast<char>(c);
  }
  if (cut) out += fmt::format("... ({} more bytes)", cut);
  return out;
}

// A value from the data for a one-line message: like printable(), but line breaks and tabs are
// shown too (as \n, \r, \t), so the message stays on one line, and a value longer than 60 bytes
// is cut there, so the message's explanation is not lost behind it.
inline std::string one_line(std::string_view text) {
  constexpr std::size_t kLongest = 60;
  std::string out;
  out.reserve(std::min(text.size(), kLongest));
  for (char c : text.substr(0, kLongest)) {
    if (c == '\t')
      out += "\\t";
    else
      out += c;
  }
  out = printable(out, 0, false);  // and line breaks as \n, \r
  if (text.size() > kLongest) out += fmt::format("... ({} bytes in all)", text.size());
  return out;
}

// `given` cut to at most `width` bytes, at a UTF-8 character boundary, ending in "..." when cut;
// line breaks and other control characters shown as escapes (see printable).
inline std::string clip(const std::string& given, std::size_t width) {
  const std::string text = printable(given, 0, false);  // a cell keeps to its line
  if (text.size() <= width) return text;
  std::size_t end = width >= 3 ? width - 3 : 0;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end) + "...";
}

// `text` broken at spaces into lines of at most `width` bytes (a longer word stands alone),
// its leading spaces kept, every later line starting with `indent`; ends in a newline. A path
// such as "a <- b -> c" is never broken at its arrows. Leading line feeds are kept (a blank line
// before a paragraph); a line break inside comes from the data (a level's name in a warning) and
// is shown as \n, so the paragraph keeps its lines.
inline std::string wrap(const std::string& given, std::size_t width, const std::string& indent) {
  const std::size_t feeds = std::min(given.find_first_not_of('\n'), given.size());
  const std::string text = printable(std::string_view(given).substr(feeds), 0, false);
  const std::size_t lead = text.find_first_not_of(' ');
  std::string out(feeds, '\n'), line = text.substr(0, lead == std::string::npos ? 0 : lead);
  // Words, with a path's nodes and arrows joined into one.
  std::vector<std::string> words;
  bool join_next = false;
  for (std::size_t start = line.size(); start < text.size();) {
    std::size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    const std::string word = text.substr(start, end - start);
    const bool arrow = word == "->" || word == "<-" || word == "<->";
    if ((arrow || join_next) && !words.empty())
      words.back() += " " + word;
    else
      words.push_back(word);
    join_next = arrow;
    start = end + 1;
  }
  bool line_has_word = false;
  for (const auto& word : words) {
    if (line_has_word && line.size() + 1 + word.size() > width) {
      out += line + "\n";
      line = indent;
      line_has_word = false;
    }
    line += (line_has_word ? " " : "") + word;
    line_has_word = true;
  }
  return out + line + "\n";
}

}  // namespace causeway
