// Running causeway on a shared case file and reading its JSON.
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "support/cli_runner.h"

namespace causeway::testing {

inline std::string case_file(const std::string& id) {
  return shared_path("cases/" + id + "/input.csv");
}

// Runs `estimate` with --json and returns the parsed output; fails the test on a non-zero exit.
inline nlohmann::json estimate_json(const std::string& args) {
  const CliResult r = run_cli("estimate " + args + " --json");
  EXPECT_EQ(r.exit_code, 0) << args << "\n" << r.err;
  if (r.exit_code != 0) return nlohmann::json::object();
  return nlohmann::json::parse(r.out);
}

// The printout with its wrapped lines joined again, for looking up whole sentences.
inline std::string unwrapped(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && i + 1 < text.size() && text[i + 1] == ' ') {
      while (i + 1 < text.size() && text[i + 1] == ' ') ++i;
      out += ' ';
      continue;
    }
    out += text[i];
  }
  return out;
}

inline double first_estimate(const nlohmann::json& j) {
  return j.contains("estimates") ? j["estimates"][0]["estimate"].get<double>() : NAN;
}

// Expects exit code 2, every part in stderr, nothing on stdout and no file at `out`.
inline void expect_refusal(const std::string& args, const std::vector<std::string>& parts) {
  const std::string out = temp_path("refused.json");
  const CliResult r = run_cli(args + " --out " + out);
  EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.err;
  for (const auto& p : parts)
    EXPECT_NE(r.err.find(p), std::string::npos)
        << args << "\nstderr: " << r.err << "\nlacks: " << p;
  EXPECT_EQ(r.out, "") << args;
  EXPECT_FALSE(file_exists(out)) << args;
  EXPECT_EQ(r.err.find("nan"), std::string::npos);
}

}  // namespace causeway::testing
