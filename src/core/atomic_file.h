// A file that appears under its final name only when complete: written to "<path>.tmp-<pid>"
// and renamed by commit(). Destroyed without commit(), it removes the temporary file. A path that
// is a symbolic link writes its target. The constructor runs check_output_path().
#pragma once

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace causeway {

// Checks that `path` can be an output: not empty, not a folder, device or pipe, and not the same
// file as any of `inputs` (through links too). Throws Error(kBadInput) naming the problem.
void check_output_path(const std::string& path, const std::vector<std::string>& inputs = {},
                       const std::string& option = "--out");

// Whether two output paths name one file, though spelt differently ("./a", "dir/../a", a link
// to it). Two outputs of one run must not: the second would replace the first.
bool same_output(const std::string& a, const std::string& b);

// Removes the temporary file of the AtomicFile being written, if any; safe to call from a signal
// handler (the command-line program calls it on SIGINT and SIGTERM before exiting).
void remove_unfinished_output();

class AtomicFile {
 public:
  explicit AtomicFile(std::string path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  void write(std::string_view bytes);  // throws Error(kIo) on failure
  void commit();                       // throws Error(kIo) on failure

 private:
  void release();  // no longer unfinished: signal handlers leave the temporary file alone

  std::string path_, temp_;
  std::FILE* file_ = nullptr;
  int slot_ = -1;  // this file's entry among the unfinished outputs
};

}  // namespace causeway
