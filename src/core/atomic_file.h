// A file that appears under its final name only when complete: written to "<path>.tmp-<pid>"
// and renamed by commit(). Destroyed without commit(), it removes the temporary file.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace causeway {

class AtomicFile {
 public:
  explicit AtomicFile(std::string path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  void write(std::string_view bytes);  // throws Error(kIo) on failure
  void commit();                       // throws Error(kIo) on failure

 private:
  std::string path_, temp_;
  std::FILE* file_ = nullptr;
};

}  // namespace causeway
