#include "core/binary_io.h"

#include <fmt/format.h>

#include <cstring>

#include "causeway/status.h"

namespace causeway {

std::uint64_t checksum(std::string_view bytes) {
  std::uint64_t h = 14695981039346656037ULL;
  for (unsigned char c : bytes) h = (h ^ c) * 1099511628211ULL;
  return h;
}

void ByteWriter::u32(std::uint32_t v) {
  for (int k = 0; k < 4; ++k) out_.push_back(static_cast<char>((v >> (8 * k)) & 0xff));
}

void ByteWriter::u64(std::uint64_t v) {
  for (int k = 0; k < 8; ++k) out_.push_back(static_cast<char>((v >> (8 * k)) & 0xff));
}

void ByteWriter::f64(double v) {
  std::uint64_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  u64(bits);
}

void ByteWriter::str(std::string_view s) {
  u64(s.size());
  out_.append(s);
}

std::string_view ByteReader::take(std::size_t n) {
  if (n > in_.size() - at_)
    throw Error(ErrorCode::kBadInput,
                fmt::format("{}: the model file ends early (truncated or not a causeway model); "
                            "save the model again",
                            source_));
  const std::string_view out = in_.substr(at_, n);
  at_ += n;
  return out;
}

std::uint32_t ByteReader::u32() {
  const std::string_view b = take(4);
  std::uint32_t v = 0;
  for (int k = 3; k >= 0; --k) v = (v << 8) | static_cast<unsigned char>(b[k]);
  return v;
}

std::uint64_t ByteReader::u64() {
  const std::string_view b = take(8);
  std::uint64_t v = 0;
  for (int k = 7; k >= 0; --k) v = (v << 8) | static_cast<unsigned char>(b[k]);
  return v;
}

double ByteReader::f64() {
  const std::uint64_t bits = u64();
  double v;
  std::memcpy(&v, &bits, sizeof v);
  return v;
}

std::string ByteReader::str() {
  return std::string(take(count(remaining())));
}

std::size_t ByteReader::count(std::size_t limit) {
  const std::uint64_t n = u64();
  if (n > limit)
    throw Error(ErrorCode::kBadInput,
                fmt::format("{}: the model file is damaged (a count of {} where at most {} fit); "
                            "save the model again",
                            source_, n, limit));
  return static_cast<std::size_t>(n);
}

}  // namespace causeway
