// The README's worked example, "From a conversation export to scores in the CRM", run as written:
// every `$` command between its markers runs in a copy of examples/ with causeway on the PATH,
// the CRM being a mock on 127.0.0.1 in place of https://crm.example, and every output line the
// README shows ("..." skips lines) must come out, in order. Its JSON blocks must match the files.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "connect/mock_http_server.h"
#include "support/cli_runner.h"

namespace causeway::testing {
namespace {

const std::string kRepo = std::string(CAUSEWAY_TEST_DATA) + "/../..";
constexpr const char* kToken = "readme-example-t0ken";

struct Step {
  std::string command;             // as the shell reads it, continuation lines included
  std::vector<std::string> shown;  // the output lines the README shows
};

std::string example_section() {
  const std::string readme = read_text_file(kRepo + "/README.md");
  const std::size_t begin = readme.find("<!-- example: crm");
  const std::size_t end = readme.find("<!-- end example -->");
  EXPECT_NE(begin, std::string::npos);
  EXPECT_NE(end, std::string::npos);
  return begin < end && end != std::string::npos ? readme.substr(begin, end - begin) : "";
}

std::vector<Step> steps_of(const std::string& section) {
  std::vector<Step> steps;
  std::istringstream lines(section);
  bool in_step = false, continued = false;
  for (std::string line; std::getline(lines, line);) {
    if (continued) {
      steps.back().command += "\n" + line;
    } else if (line.rfind("    $ ", 0) == 0) {
      steps.push_back({line.substr(6), {}});
      in_step = true;
    } else if (in_step && line.rfind("    ", 0) == 0) {
      steps.back().shown.push_back(line.substr(4));
    } else {
      in_step = false;
    }
    continued = in_step && steps.back().shown.empty() && !line.empty() && line.back() == '\\';
  }
  return steps;
}

std::vector<std::string> json_blocks(const std::string& section) {
  std::vector<std::string> blocks;
  for (std::size_t at = section.find("```json\n"); at != std::string::npos;
       at = section.find("```json\n", at + 1)) {
    const std::size_t end = section.find("```", at + 8);
    blocks.push_back(section.substr(at + 8, end - at - 8));
  }
  return blocks;
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + 1))
    text.replace(at, from.size(), to);
  return text;
}

// Each shown line (but "...") is a line of `out`, in the order shown.
void expect_shown(const Step& step, const std::string& out) {
  std::istringstream lines(out);
  std::string line;
  for (const std::string& shown : step.shown) {
    if (shown == "...") continue;
    bool found = false;
    while (!found && std::getline(lines, line)) found = line == shown;
    EXPECT_TRUE(found) << "not in the output of\n"
                       << step.command << "\n: " << shown << "\n"
                       << out;
  }
}

TEST(ReadmeExample, FromAConversationExportToScoresInTheCrm) {
  std::vector<MockRequest> accepted;
  MockHttpServer crm([&](const MockRequest& r) {
    if (r.method != "PATCH" || r.authorization != std::string("Bearer ") + kToken ||
        r.target.rfind("/api/customers/C", 0) != 0)
      return MockResponse{401, "no", {}};
    accepted.push_back(r);
    return MockResponse{200, "{}", {}};
  });
  const std::string section = example_section();
  const std::vector<std::string> blocks = json_blocks(section);
  ASSERT_EQ(blocks.size(), 2u);
  const std::string records = read_text_file(kRepo + "/examples/crm/interactions.jsonl");
  EXPECT_EQ(nlohmann::json::parse(blocks[0]),
            nlohmann::json::parse(records.substr(0, records.find('\n'))));
  EXPECT_EQ(nlohmann::json::parse(blocks[1]),
            nlohmann::json::parse(read_text_file(kRepo + "/examples/crm/mapping.json")));

  const std::string dir = temp_path("readme_example");
  ASSERT_EQ(run_shell("mkdir -p " + dir + " && cp -r " + kRepo + "/examples " + dir).exit_code, 0);
  std::string bin = CAUSEWAY_BIN;
  bin = bin.substr(0, bin.rfind('/'));
  ::setenv("CRM_TOKEN", kToken, 1);
  const std::string root = crm.url("");
  const std::vector<Step> steps = steps_of(section);
  ASSERT_EQ(steps.size(), 7u);  // wc, head, signals, uplift, dry run, push, resume
  for (std::size_t i = 0; i < steps.size(); ++i) {
    Step step = steps[i];
    step.command = replaced(step.command, "https://crm.example", root);
    for (auto& line : step.shown) line = replaced(line, "https://crm.example", root);
    const std::string script =
        write_temp_file("readme_step" + std::to_string(i) + ".sh", "set -e\n" + step.command);
    const CliResult r = run_shell("cd " + dir + " && PATH=" + bin + ":$PATH sh " + script);
    ASSERT_EQ(r.exit_code, 0) << step.command << "\n" << r.out << r.err;
    expect_shown(step, r.out);
    EXPECT_EQ(r.out.find(kToken), std::string::npos);
    EXPECT_EQ(r.err.find(kToken), std::string::npos);
  }
  const std::size_t customers = 400;
  ASSERT_EQ(crm.locked([&] { return accepted.size(); }), customers);  // once each, then none
  const auto body = nlohmann::json::parse(crm.locked([&] { return accepted[0].body; }));
  EXPECT_TRUE(body["attributes"]["uplift"].is_number());
  EXPECT_TRUE(body["attributes"]["decile"].is_number_integer());
}

}  // namespace
}  // namespace causeway::testing
