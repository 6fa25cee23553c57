// Little-endian binary records for model files, with a checksum.
//
// ByteWriter appends fixed-width integers, doubles and length-prefixed strings; ByteReader reads
// them back, checking every read against the end of the data, so a truncated or damaged file
// ends in an Error naming the file, never in a read past the end. checksum() is FNV-1a (64 bit).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace causeway {

std::uint64_t checksum(std::string_view bytes);

class ByteWriter {
 public:
  void u32(std::uint32_t v);
  void u64(std::uint64_t v);
  void i32(std::int32_t v) { u32(static_cast<std::uint32_t>(v)); }
  void f64(double v);
  void str(std::string_view s);
  const std::string& bytes() const { return out_; }

 private:
  std::string out_;
};

class ByteReader {
 public:
  // `source` names the data in messages (the file's path).
  ByteReader(std::string_view bytes, std::string source) : in_(bytes), source_(std::move(source)) {}
  std::uint32_t u32();
  std::uint64_t u64();
  std::int32_t i32() { return static_cast<std::int32_t>(u32()); }
  double f64();
  std::string str();
  // A count read from the file, refused above `limit` (a damaged count must not allocate GBs).
  std::size_t count(std::size_t limit);
  std::size_t remaining() const { return in_.size() - at_; }

 private:
  std::string_view take(std::size_t n);
  std::string_view in_;
  std::size_t at_ = 0;
  std::string source_;
};

}  // namespace causeway
