// Runs the causeway program from a test and captures its exit code, stdout and stderr.
#pragma once

#include <string>

namespace causeway::testing {

struct CliResult {
  int exit_code = -1;
  std::string out, err;
};

// `args` is passed to /bin/sh after the program path; quote as in a shell.
CliResult run_cli(const std::string& args);

std::string shared_path(const std::string& relative);  // ../shared/<relative>
std::string temp_path(const std::string& name);        // a fresh path in a test temp folder
bool file_exists(const std::string& path);

}  // namespace causeway::testing
