// A whole file read into memory, for the small text files a command reads (graphs, mappings,
// outcome tables).
#pragma once

#include <string>

namespace causeway {

// The file's bytes. Throws Error(kIo) "PATH: cannot open the WHAT; check the path".
std::string read_whole_file(const std::string& path, const std::string& what);

}  // namespace causeway
