#include "core/read_file.h"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "causeway/status.h"

namespace causeway {

std::string read_whole_file(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw Error(ErrorCode::kIo, fmt::format("{}: cannot open the {}; check the path", path, what));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace causeway
