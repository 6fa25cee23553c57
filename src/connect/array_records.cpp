// Splits a JSON array file into its elements without parsing them: only strings (which may hold
// brackets and commas) and nesting depth are tracked. simdjson then parses each element alone,
// so a bad element is one rejected record, and memory holds one element at a time.
#include <fmt/format.h>

#include "causeway/status.h"
#include "connect/chunked_file.h"
#include "connect/json_strings.h"
#include "connect/record_reader.h"

namespace causeway {

namespace {

class ArraySplitter {
 public:
  ArraySplitter(const std::string& path, const RecordSink& sink) : path_(path), sink_(sink) {}

  // Consumes data()[pos, size()); returns the offset from which bytes must be kept.
  std::size_t consume(const char* data, std::size_t pos, std::size_t size) {
    for (; pos < size; ++pos) step(data, pos);
    return phase_ == kElement ? start_ : size;
  }
  void moved(std::size_t by) {
    if (phase_ == kElement) start_ -= by;
  }
  void finish() const {
    if (phase_ == kClosed) return;
    if (phase_ == kElement || phase_ == kBetween)
      fail(
          fmt::format("the file ends before the array's closing ']' (inside or after index {}, "
                      "line {}); it looks truncated: export it again",
                      index_, line_));
    fail("the file ends before the array's opening '['");
  }
  std::size_t element_bytes(std::size_t pos) const { return phase_ == kElement ? pos - start_ : 0; }

 private:
  enum Phase { kOpen, kBetween, kElement, kClosed };

  [[noreturn]] void fail(const std::string& what) const {
    throw Error(ErrorCode::kBadInput, fmt::format("{}: {}", path_, what));
  }

  static bool space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

  void step(const char* data, std::size_t pos) {
    const char c = data[pos];
    if (c == '\n') ++line_;
    switch (phase_) {
      case kOpen:
        if (c == '[')
          phase_ = kBetween;
        else if (!space(c))
          fail("a JSON array file must start with '['");
        return;
      case kBetween:
        return between(data, pos, c);
      case kElement:
        return element(data, pos, c);
      case kClosed:
        if (!space(c))
          fail(
              fmt::format("text after the array's closing ']' on line {}; a JSON array file "
                          "holds one array (a JSON Lines file holds one record per line, and "
                          "a record spread over several lines makes it neither)",
                          line_));
        return;
    }
  }

  void between(const char* data, std::size_t pos, char c) {
    if (space(c)) return;
    if (c == ',' || c == ']') {
      if (c == ',' ? !after_element_ : (after_comma_))
        fail(fmt::format("a stray ',' near line {}: the array has an empty element", line_));
      after_comma_ = c == ',';
      after_element_ = false;
      if (c == ']') phase_ = kClosed;
      return;
    }
    phase_ = kElement;
    start_ = pos;
    start_line_ = line_;
    depth_ = 0;
    strings_ = JsonStrings();
    element(data, pos, c);
  }

  void element(const char* data, std::size_t pos, char c) {
    if (strings_.inside(c)) return;
    if (c == '{' || c == '[')
      ++depth_;
    else if ((c == '}' || c == ']') && depth_ > 0)
      --depth_;
    else if (depth_ == 0 && (c == ',' || c == ']'))
      emit(data, pos, c);
  }

  void emit(const char* data, std::size_t pos, char c) {
    std::size_t end = pos;
    while (end > start_ && space(data[end - 1])) --end;
    RawRecord r{std::string_view(data + start_, end - start_), {path_, start_line_}, ""};
    r.position.in_array = true;
    r.position.index = index_++;
    sink_(r);
    phase_ = kBetween;
    after_element_ = true;
    after_comma_ = false;
    between(data, pos, c);
  }

  const std::string& path_;
  const RecordSink& sink_;
  Phase phase_ = kOpen;
  std::size_t start_ = 0, start_line_ = 1, line_ = 1, index_ = 0;
  int depth_ = 0;
  JsonStrings strings_;
  bool after_element_ = false, after_comma_ = false;
};

}  // namespace

void read_array_records(ChunkedFile& file, std::size_t start, const std::string& path,
                        const RecordSink& sink) {
  ArraySplitter splitter(path, sink);
  std::size_t pos = start;
  while (true) {
    const std::size_t keep = splitter.consume(file.data(), pos, file.size());
    if (splitter.element_bytes(file.size()) > kMaxRecordBytes)
      throw Error(ErrorCode::kBadInput,
                  fmt::format("{}: an array element is longer than {} MiB; split the export", path,
                              kMaxRecordBytes >> 20));
    pos = file.size() - keep;
    splitter.moved(keep);
    if (!file.refill(keep)) break;
  }
  splitter.finish();
}

}  // namespace causeway
