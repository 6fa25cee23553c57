#include "core/atomic_file.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "causeway/status.h"

namespace causeway {

void check_output_path(const std::string& path, const std::vector<std::string>& inputs,
                       const std::string& option) {
  if (path.empty()) throw Error(ErrorCode::kBadInput, option + " needs a file name");
  if (path == "-")
    throw Error(ErrorCode::kBadInput,
                option + " - would create a file named '-'; give a file name");
  struct stat out;
  if (::stat(path.c_str(), &out) != 0) {  // a new file: its folder must exist, checked now
    const std::size_t slash = path.find_last_of('/');
    const std::string folder = slash == std::string::npos ? "." : path.substr(0, slash + 1);
    struct stat dir;
    if (::stat(folder.c_str(), &dir) != 0 || !S_ISDIR(dir.st_mode))
      throw Error(ErrorCode::kIo,
                  fmt::format("{} {}: the folder {} does not exist; create it or choose "
                              "another path",
                              option, path, folder));
    if (::access(folder.c_str(), W_OK) != 0)  // found now, not after a long computation
      throw Error(ErrorCode::kIo,
                  fmt::format("{} {}: the folder {} is not writable; choose another path", option,
                              path, folder));
    return;
  }
  if (!S_ISREG(out.st_mode))
    throw Error(ErrorCode::kBadInput,
                fmt::format("{}: not a regular file (a folder, device or pipe); {} writes a "
                            "new file or replaces a regular one",
                            path, option));
  for (const auto& input : inputs) {
    // "-" reads standard input, which may be a file redirected in (< data.csv): that file.
    const std::string read = input == "-" ? "/dev/stdin" : input;
    struct stat in;
    if (::stat(read.c_str(), &in) == 0 && in.st_dev == out.st_dev && in.st_ino == out.st_ino)
      throw Error(ErrorCode::kBadInput,
                  fmt::format("{} {} is the input file {}; choose another name", option, path,
                              input == "-" ? "(standard input reads it)" : input));
  }
}

namespace {

// The temporary paths being written, for remove_unfinished_output(): a run writes at most a few
// outputs at once (uplift: scores, model and report). Plain arrays, so a signal handler can read
// them.
constexpr int kSlots = 8;
char g_unfinished[kSlots][PATH_MAX + 32] = {};

// The file a path names, through symbolic links, so that rename() replaces the target.
std::string resolved(const std::string& path) {
  char buffer[PATH_MAX];
  if (::realpath(path.c_str(), buffer)) return buffer;
  struct stat link;
  if (::lstat(path.c_str(), &link) != 0 || !S_ISLNK(link.st_mode)) return path;
  // A link to a file not yet there: write the file it names.
  const ssize_t n = ::readlink(path.c_str(), buffer, sizeof buffer - 1);
  if (n <= 0) return path;
  const std::string target(buffer, static_cast<std::size_t>(n));
  const std::size_t slash = path.rfind('/');
  if (target.front() == '/' || slash == std::string::npos) return target;
  return path.substr(0, slash + 1) + target;
}

}  // namespace

void remove_unfinished_output() {
  for (auto& slot : g_unfinished)
    if (slot[0]) ::unlink(slot);
}

AtomicFile::AtomicFile(std::string path)
    : path_(resolved(path)), temp_(fmt::format("{}.tmp-{}", path_, ::getpid())) {
  check_output_path(path_);
  file_ = std::fopen(temp_.c_str(), "wb");
  for (int k = 0; file_ && k < kSlots && temp_.size() < sizeof g_unfinished[k]; ++k)
    if (!g_unfinished[k][0]) {
      std::memcpy(g_unfinished[k], temp_.c_str(), temp_.size() + 1);
      slot_ = k;
      break;
    }
  if (!file_)
    throw Error(ErrorCode::kIo, fmt::format("{}: cannot create the file ({}); check the folder "
                                            "exists and is writable",
                                            path_, std::strerror(errno)));
}

AtomicFile::~AtomicFile() {
  release();
  if (!file_) return;
  std::fclose(file_);
  std::remove(temp_.c_str());
}

void AtomicFile::write(std::string_view bytes) {
  if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size())
    throw Error(ErrorCode::kIo,
                fmt::format("{}: writing failed ({})", path_, std::strerror(errno)));
}

void AtomicFile::release() {
  if (slot_ >= 0) g_unfinished[slot_][0] = 0;
  slot_ = -1;
}

void AtomicFile::commit() {
  const bool flushed = std::fflush(file_) == 0;
  std::fclose(file_);
  file_ = nullptr;
  const bool renamed = flushed && std::rename(temp_.c_str(), path_.c_str()) == 0;
  release();
  if (!renamed) {
    std::remove(temp_.c_str());
    throw Error(ErrorCode::kIo,
                fmt::format("{}: cannot finish writing ({})", path_, std::strerror(errno)));
  }
}

bool same_output(const std::string& a, const std::string& b) {
  if (a.empty() || b.empty()) return false;
  // Absolute, links followed (also to files not there yet), "." and ".." resolved.
  const auto where = [](const std::string& path) {
    std::error_code error;
    const auto absolute = std::filesystem::absolute(resolved(path), error);
    const auto canonical = std::filesystem::weakly_canonical(absolute, error);
    return error ? absolute.lexically_normal() : canonical;
  };
  return where(a) == where(b);
}

}  // namespace causeway
