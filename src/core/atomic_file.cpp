#include "core/atomic_file.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "causeway/status.h"

namespace causeway {

AtomicFile::AtomicFile(std::string path)
    : path_(std::move(path)), temp_(fmt::format("{}.tmp-{}", path_, ::getpid())) {
  file_ = std::fopen(temp_.c_str(), "wb");
  if (!file_)
    throw Error(ErrorCode::kIo, fmt::format("{}: cannot create the file ({}); check the folder "
                                            "exists and is writable",
                                            path_, std::strerror(errno)));
}

AtomicFile::~AtomicFile() {
  if (!file_) return;
  std::fclose(file_);
  std::remove(temp_.c_str());
}

void AtomicFile::write(std::string_view bytes) {
  if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size())
    throw Error(ErrorCode::kIo,
                fmt::format("{}: writing failed ({})", path_, std::strerror(errno)));
}

void AtomicFile::commit() {
  const bool flushed = std::fflush(file_) == 0;
  std::fclose(file_);
  file_ = nullptr;
  if (!flushed || std::rename(temp_.c_str(), path_.c_str()) != 0) {
    std::remove(temp_.c_str());
    throw Error(ErrorCode::kIo,
                fmt::format("{}: cannot finish writing ({})", path_, std::strerror(errno)));
  }
}

}  // namespace causeway
