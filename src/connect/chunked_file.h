// A file read in chunks into one buffer that keeps the unconsumed tail and SIMDJSON_PADDING
// readable bytes past the data, so that a record inside it can be parsed in place.
#pragma once

#include <cstddef>
#include <cstdio>
#include <string>
#include <vector>

namespace causeway {

class ChunkedFile {
 public:
  explicit ChunkedFile(const std::string& path);  // throws Error(kIo)
  ~ChunkedFile();
  ChunkedFile(const ChunkedFile&) = delete;
  ChunkedFile& operator=(const ChunkedFile&) = delete;

  // Drops the bytes before `keep` (an offset in data()), then reads more. Offsets move down by
  // `keep`. False at the end of the file (nothing more was read).
  bool refill(std::size_t keep);
  const char* data() const { return buffer_.data(); }
  std::size_t size() const { return size_; }

 private:
  std::string path_;
  std::FILE* file_ = nullptr;
  std::vector<char> buffer_;
  std::size_t size_ = 0;
};

}  // namespace causeway
