#include "support/cli_runner.h"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace causeway::testing {
namespace {

std::string& temp_dir_name() {
  static std::string dir;
  return dir;
}

// The test process's folder, removed with everything in it when the process ends (children
// started by start_cli leave through exec or _exit, so never remove it).
std::string temp_dir() {
  static const std::string dir = [] {
    char tmpl[] = "/tmp/causeway-test-XXXXXX";
    temp_dir_name() = ::mkdtemp(tmpl);
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove_all(temp_dir_name(), ignored);
    });
    return temp_dir_name();
  }();
  return dir;
}

// A fresh path (without extension) for a command's captured output.
std::string output_base() {
  static int counter = 0;
  return temp_path("run" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
}

}  // namespace

std::string shared_path(const std::string& relative) {
  return std::string(CAUSEWAY_SHARED) + "/" + relative;
}

std::string temp_path(const std::string& name) {
  return temp_dir() + "/" + name;
}

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string write_temp_file(const std::string& name, const std::string& text) {
  const std::string path = temp_path(name);
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

bool file_exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

CliResult run_cli(const std::string& args) {
  return run_shell(std::string(CAUSEWAY_BIN) + " " + args);
}

CliResult run_shell(const std::string& command) {
  const std::string base = output_base();
  const std::string cmd = command + " >" + base + ".out 2>" + base + ".err";
  const int status = std::system(cmd.c_str());
  CliResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = read_text_file(base + ".out");
  r.err = read_text_file(base + ".err");
  return r;
}

Child start_shell(const std::string& command) {
  const std::string base = output_base();
  Child child{-1, base + ".out", base + ".err"};
  const std::string line = "exec " + command + " >" + child.out_path + " 2>" + child.err_path;
  child.pid = ::fork();
  if (child.pid == 0) {
    ::execl("/bin/sh", "sh", "-c", line.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  return child;
}

Child start_cli(const std::string& args) {
  return start_shell(std::string(CAUSEWAY_BIN) + " " + args);
}

CliResult wait_child(const Child& child) {
  int status = 0;
  CliResult r;
  if (child.pid <= 0 || ::waitpid(child.pid, &status, 0) != child.pid) return r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = read_text_file(child.out_path);
  r.err = read_text_file(child.err_path);
  return r;
}

}  // namespace causeway::testing
