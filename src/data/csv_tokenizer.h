// Splits CSV text into records of fields, without copying unquoted fields.
#pragma once

#include <cstddef>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace causeway {

class CsvTokenizer {
 public:
  // `file_start`: the text begins the file, so a UTF-8 byte-order mark there is skipped.
  CsvTokenizer(std::string_view text, char delimiter, std::string source, bool file_start = true);

  // Reads the next non-blank record into `fields`; false at the end of the text. A field's view
  // stays valid until the next call. Throws Error on an unterminated quote or stray characters.
  // For the `header`, a line of only spaces and tabs is blank even when tab is the delimiter (a
  // row of empty names names nothing); in the body such a line is a row of missing values.
  bool next(std::vector<std::string_view>& fields, bool header = false);
  std::size_t line() const { return record_line_; }  // line on which the last record began
  std::size_t offset() const { return pos_; }        // of the text read so far

 private:
  std::string_view quoted_field(std::size_t field_index);
  // Whether the character at i ends a line: a line feed, or a carriage return not followed by
  // one (a file with old Mac line ends counts its lines too).
  bool ends_line(std::size_t i) const {
    return text_[i] == '\n' ||
           (text_[i] == '\r' && (i + 1 >= text_.size() || text_[i + 1] != '\n'));
  }

  std::string_view text_;
  char delimiter_;
  std::string source_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  std::size_t record_line_ = 1;
  std::deque<std::string> scratch_;  // unescaped quoted fields; a deque keeps views valid
};

// The end of a line of only spaces and tabs (not the delimiter) starting at p: its carriage
// return or line feed, or `end`. p itself when the line holds anything else or nothing, so that
// such a line is skipped as blank lines are.
inline const char* blank_end(const char* p, const char* end, char delimiter) {
  const char* q = p;
  while (q < end && (*q == ' ' || *q == '\t') && *q != delimiter) ++q;
  return q != p && (q == end || *q == '\n' || *q == '\r') ? q : p;
}

// Detects the delimiter from the first line that holds more than spaces and tabs: the most
// frequent of ',', ';', '\t' and '|' outside quotes (the earlier in that list on a tie), comma
// when none occurs.
char detect_delimiter(std::string_view text);

}  // namespace causeway
