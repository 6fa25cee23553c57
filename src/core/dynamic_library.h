// Optional shared libraries opened at first use (dlopen) instead of linked: a process that never
// boosts, fetches over HTTP or reads and draws a graph never loads libxgboost, libcurl or
// Graphviz, nor the many libraries they depend on.
#pragma once

#include <string>

namespace causeway {

class DynamicLibrary {
 public:
  // Opens `soname` (RTLD_NOW | RTLD_LOCAL). `needed_by` says what needs it ("--nuisance
  // boosting"), `package` is the Debian package that installs it. Throws Error(kIo):
  // "NEEDED_BY needs SONAME (Debian package PACKAGE): apt-get install -y PACKAGE (REASON)".
  // The library is never closed: the functions taken from it stay valid for the whole process.
  DynamicLibrary(std::string soname, std::string package, std::string needed_by);

  // The address of the function `name`; throws Error(kIo) naming it when the library lacks it.
  void* symbol(const char* name) const;
  // Sets `slot`, a pointer to a function of the library, to the function `name`.
  template <class F>
  void bind(F& slot, const char* name) const {
    slot = reinterpret_cast<F>(symbol(name));
  }

 private:
  void* handle_ = nullptr;
  std::string soname_, package_, needed_by_;
};

}  // namespace causeway

// Inside a function building a table `api` from a DynamicLibrary `lib`: binds the member `name`
// to the library's function of that name.
#define CAUSEWAY_BIND(name) lib.bind(api.name, #name)
