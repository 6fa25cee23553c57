#include "connect/chunked_file.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <cerrno>
#include <cstring>

#include "causeway/status.h"

namespace causeway {

namespace {
constexpr std::size_t kChunk = std::size_t{1} << 20;
}

ChunkedFile::ChunkedFile(const std::string& path) : path_(path) {
  file_ = std::fopen(path.c_str(), "rb");
  if (!file_)
    throw Error(ErrorCode::kIo, fmt::format("{}: cannot open the file ({}); check the path", path,
                                            std::strerror(errno)));
  buffer_.resize(kChunk + simdjson::SIMDJSON_PADDING);
}

ChunkedFile::~ChunkedFile() {
  if (file_) std::fclose(file_);
}

bool ChunkedFile::refill(std::size_t keep) {
  std::memmove(buffer_.data(), buffer_.data() + keep, size_ - keep);
  size_ -= keep;
  // Grows only for a record longer than a chunk; the tail is always at least a chunk.
  if (buffer_.size() < size_ + kChunk + simdjson::SIMDJSON_PADDING)
    buffer_.resize(size_ + kChunk + simdjson::SIMDJSON_PADDING);
  const std::size_t n = std::fread(buffer_.data() + size_, 1, kChunk, file_);
  if (n == 0 && std::ferror(file_))
    throw Error(ErrorCode::kIo,
                fmt::format("{}: reading failed ({})", path_, std::strerror(errno)));
  size_ += n;
  std::memset(buffer_.data() + size_, 0, simdjson::SIMDJSON_PADDING);
  return n > 0;
}

}  // namespace causeway
