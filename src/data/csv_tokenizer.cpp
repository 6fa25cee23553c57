#include "data/csv_tokenizer.h"

#include <fmt/format.h>

#include <iterator>

#include "causeway/status.h"

namespace causeway {

CsvTokenizer::CsvTokenizer(std::string_view text, char delimiter, std::string source,
                           bool file_start)
    : text_(text), delimiter_(delimiter), source_(std::move(source)) {
  if (file_start && text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
}

std::string_view CsvTokenizer::quoted_field(std::size_t field_index) {
  const std::size_t start_line = line_;
  ++pos_;  // opening quote
  std::size_t begin = pos_;
  bool escaped = false;
  while (true) {
    const std::size_t q = text_.find('"', pos_);
    if (q == std::string_view::npos)
      throw Error(ErrorCode::kBadInput,
                  fmt::format("{}: line {}: a quoted field is never closed; check for a stray "
                              "double quote",
                              source_, start_line));
    for (std::size_t i = pos_; i < q; ++i) line_ += ends_line(i);
    if (q + 1 < text_.size() && text_[q + 1] == '"') {
      escaped = true;
      pos_ = q + 2;
      continue;
    }
    pos_ = q + 1;
    break;
  }
  std::string_view raw = text_.substr(begin, pos_ - 1 - begin);
  if (!escaped) return raw;
  if (scratch_.size() <= field_index) scratch_.resize(field_index + 1);
  std::string& out = scratch_[field_index];
  out.clear();
  for (std::size_t i = 0; i < raw.size(); ++i) {
    out.push_back(raw[i]);
    if (raw[i] == '"') ++i;
  }
  return out;
}

bool CsvTokenizer::next(std::vector<std::string_view>& fields, bool header) {
  fields.clear();
  // Skip blank lines, and lines of only spaces or tabs (a tab that delimits fields aside).
  while (pos_ < text_.size()) {
    if (text_[pos_] == '\n' || text_[pos_] == '\r') {
      line_ += ends_line(pos_);
      ++pos_;
      continue;
    }
    const auto end = static_cast<std::size_t>(
        blank_end(text_.data() + pos_, text_.data() + text_.size(), header ? '\0' : delimiter_) -
        text_.data());
    if (end == pos_) break;
    pos_ = end;
  }
  if (pos_ >= text_.size()) return false;
  record_line_ = line_;
  while (true) {
    std::string_view field;
    if (pos_ < text_.size() && text_[pos_] == '"') {
      field = quoted_field(fields.size());
      if (pos_ < text_.size() && text_[pos_] != delimiter_ && text_[pos_] != '\n' &&
          text_[pos_] != '\r')
        throw Error(ErrorCode::kBadInput,
                    fmt::format("{}: line {}: unexpected text after a closing quote in field {}; "
                                "double any quote inside a quoted value",
                                source_, line_, fields.size() + 1));
    } else {
      std::size_t end = pos_;
      while (end < text_.size() && text_[end] != delimiter_ && text_[end] != '\n' &&
             text_[end] != '\r')
        ++end;
      field = text_.substr(pos_, end - pos_);
      pos_ = end;
    }
    fields.push_back(field);
    if (pos_ < text_.size() && text_[pos_] == delimiter_) {
      ++pos_;
      continue;
    }
    if (pos_ < text_.size() && text_[pos_] == '\r') line_ += ends_line(pos_), ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '\n') ++line_, ++pos_;
    return true;
  }
}

char detect_delimiter(std::string_view text) {
  // From the first line that holds more than spaces and tabs: the reader skips the others.
  std::size_t start = text.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  while (start < text.size()) {
    const char* const p = text.data() + start;
    const char* const blank = *p == '\n' || *p == '\r'
                                  ? p + 1
                                  : blank_end(p, text.data() + text.size(), '\0');  // tab too
    if (blank == p) break;
    start += static_cast<std::size_t>(blank - p);
  }
  text.remove_prefix(start);
  constexpr char candidates[] = {',', ';', '\t', '|'};
  constexpr std::size_t kinds = std::size(candidates);
  std::size_t counts[kinds] = {};
  bool quoted = false;
  for (char c : text) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\n') break;
    for (std::size_t k = 0; k < kinds; ++k) counts[k] += c == candidates[k];
  }
  std::size_t best = 0;
  for (std::size_t k = 1; k < kinds; ++k)
    if (counts[k] > counts[best]) best = k;
  return candidates[best];
}

}  // namespace causeway
