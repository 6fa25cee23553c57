// Graphviz, libxgboost and libcurl are opened at first use: a command that does not need one
// never loads it (nor what it depends on). glibc's loader lists every file it loads under
// LD_DEBUG=files ("file=libcgraph.so.6 [0];  dynamically loaded by ...").
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/cli_runner.h"

namespace causeway::testing {
namespace {

const std::vector<std::string> kOptional = {"libxgboost", "libcurl",   "libgvc",    "libcgraph",
                                            "libssl",     "libcrypto", "libgnutls", "libkrb5"};

CliResult traced(const std::string& args) {
  return run_shell("LD_DEBUG=files " + std::string(CAUSEWAY_BIN) + " " + args);
}

// The optional libraries the trace shows loaded.
std::vector<std::string> loaded(const CliResult& r) {
  std::vector<std::string> found;
  for (const auto& name : kOptional)
    if (r.err.find("file=" + name) != std::string::npos) found.push_back(name);
  return found;
}

TEST(LazyLibraries, VersionLoadsNoneOfThem) {
  const CliResult r = traced("--version");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_NE(r.err.find("file=libc.so.6"), std::string::npos) << "no loader trace:\n" << r.err;
  EXPECT_EQ(loaded(r), std::vector<std::string>{});
}

TEST(LazyLibraries, ReadingADotGraphLoadsCgraphAlone) {
  const std::string dot = write_temp_file("lazy.dot", "digraph { w -> t; w -> y; t -> y; }");
  const CliResult r = traced("identify --treatment t --outcome y --graph " + dot + " --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(loaded(r), std::vector<std::string>{"libcgraph"});
}

}  // namespace
}  // namespace causeway::testing
