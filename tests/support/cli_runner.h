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
// Runs any shell command the same way (for the tools a test checks causeway's output with).
CliResult run_shell(const std::string& command);

std::string shared_path(const std::string& relative);  // ../shared/<relative>
std::string temp_path(const std::string& name);        // a fresh path in a test temp folder
bool file_exists(const std::string& path);
std::string read_text_file(const std::string& path);  // whole, as bytes; "" when unreadable
// Writes `text` to a fresh path in the test temp folder and returns the path.
std::string write_temp_file(const std::string& name, const std::string& text);

}  // namespace causeway::testing
