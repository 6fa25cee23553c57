#include "core/dynamic_library.h"

#include <dlfcn.h>
#include <fmt/format.h>

#include <utility>

#include "causeway/status.h"

namespace causeway {

namespace {

// The reason dlopen or dlsym just failed (glibc keeps it per thread).
std::string last_dl_error() {
  const char* e = dlerror();
  return e ? e : "no reason given";
}

}  // namespace

DynamicLibrary::DynamicLibrary(std::string soname, std::string package, std::string needed_by)
    : soname_(std::move(soname)), package_(std::move(package)), needed_by_(std::move(needed_by)) {
  dlerror();
  handle_ = dlopen(soname_.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle_)
    throw Error(ErrorCode::kIo,
                fmt::format("{} needs {} (Debian package {}): apt-get install -y {} ({})",
                            needed_by_, soname_, package_, package_, last_dl_error()));
}

void* DynamicLibrary::symbol(const char* name) const {
  dlerror();
  void* address = dlsym(handle_, name);
  if (!address)
    throw Error(ErrorCode::kIo,
                fmt::format("{} needs {} with the function {}, which the installed one lacks "
                            "(Debian package {}: apt-get install -y {}) ({})",
                            needed_by_, soname_, name, package_, package_, last_dl_error()));
  return address;
}

}  // namespace causeway
