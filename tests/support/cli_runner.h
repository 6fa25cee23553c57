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

// A command started in the background, its stdout and stderr going to files.
struct Child {
  int pid = -1;  // the command's own process (the shell execs it)
  std::string out_path, err_path;
};
// Starts `command` (a shell command line) without waiting for it.
Child start_shell(const std::string& command);
Child start_cli(const std::string& args);
// Waits for the child to end; exit_code is 128 + the signal when a signal ended it.
CliResult wait_child(const Child& child);

std::string shared_path(const std::string& relative);  // ../shared/<relative>
std::string temp_path(const std::string& name);        // a fresh path in a test temp folder
bool file_exists(const std::string& path);
std::string read_text_file(const std::string& path);  // whole, as bytes; "" when unreadable
// Writes `text` to a fresh path in the test temp folder and returns the path.
std::string write_temp_file(const std::string& name, const std::string& text);

}  // namespace causeway::testing
