// `causeway signals`: faults a new user ran into, each pinned by the test named after it.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <nlohmann/json.hpp>
#include <string>

#include "connect/mock_http_server.h"
#include "connect/signals_run.h"
#include "support/cli_runner.h"

namespace causeway::testing {
namespace {

constexpr const char* kTokenVar = "CAUSEWAY_TEST_SIGNALS_TOKEN";
constexpr const char* kToken = "tok/3n-Zq81-faults";

const char* kMapping = R"({"id": "id", "columns": [
  {"name": "risk", "source": "analysis.signal.riskScore", "aggregate": "max", "default": 0},
  {"name": "n", "aggregate": "count"}]})";

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

SignalsRun signals(const std::string& input, const std::string& mapping, const std::string& extra,
                   const std::string& tag) {
  return run_signals(input, mapping, extra, tag);
}

// Fault: a rejected record holding the API token was written to --rejects as it was.
TEST(SignalsFaults, RejectsNeverHoldTheToken) {
  MockHttpServer server([](const MockRequest& r) -> MockResponse {
    const std::string auth = r.authorization;  // "Bearer <token>", echoed into the records
    return {200,
            R"({"data": [{"id": "A", "analysis": {"signal": {"riskScore": 0.5}}},
                         {"id": "B", "auth": ")" +
                auth + R"(", "analysis": {"signal": {"riskScore": "high"}}}]})",
            {}};
  });
  ::setenv(kTokenVar, kToken, 1);
  const std::string rejects = temp_path("faults_rejects.jsonl");
  const SignalsRun r =
      signals("--url " + server.url("/calls"), kMapping,
              std::string("--token-env ") + kTokenVar + " --max-rejects 1 --rejects " + rejects,
              "faults_rejects");
  ASSERT_EQ(r.result.exit_code, 0) << r.result.err;
  const std::string written = read_text_file(rejects);
  EXPECT_TRUE(has(written, "Bearer [redacted]")) << written;
  EXPECT_FALSE(has(written, kToken)) << written;
  EXPECT_FALSE(has(written, "tok\\/3n")) << written;  // nor JSON-escaped
  EXPECT_FALSE(has(r.result.out + r.result.err, kToken));
}

// Fault: a misspelt path silently gave a column of defaults.
TEST(SignalsFaults, APathFoundInNoRecordIsReported) {
  const std::string records = write_temp_file(
      "faults_paths.jsonl", "{\"id\": \"A\", \"analysis\": {\"signal\": {\"riskScore\": 1}}}\n");
  const std::string typo = R"({"id": "id", "columns": [
    {"name": "risk", "source": "analysis.signal.riskscore", "aggregate": "max", "default": 0},
    {"name": "ok", "source": "analysis.signal.riskScore", "aggregate": "max"}]})";
  SignalsRun r = signals(records, typo, "", "faults_paths");
  ASSERT_EQ(r.result.exit_code, 0) << r.result.err;
  EXPECT_TRUE(has(r.result.out,
                  "warning: path 'analysis.signal.riskscore' was found in no "
                  "record; check its spelling"))
      << r.result.out;
  EXPECT_FALSE(has(r.result.out, "path 'analysis.signal.riskScore'")) << r.result.out;
  r = signals(records, typo, "--json", "faults_paths_json");
  ASSERT_EQ(r.result.exit_code, 0) << r.result.err;
  EXPECT_EQ(nlohmann::json::parse(r.result.out)["paths_not_found"],
            nlohmann::json::array({"analysis.signal.riskscore"}));
}

TEST(SignalsFaults, AnArrayIndexInAPathIsRefused) {
  const std::string records = write_temp_file("faults_index.jsonl", "{\"id\": \"A\"}\n");
  const std::string mapping = R"({"id": "id", "columns": [{"name": "first", "aggregate": "any",
    "source": {"path": "intents[0]", "equals": "pricing"}}]})";
  const SignalsRun r = signals(records, mapping, "", "faults_index");
  EXPECT_EQ(r.result.exit_code, 2);
  EXPECT_TRUE(has(r.result.err, "'intents[0]' has an array index")) << r.result.err;
  EXPECT_TRUE(has(r.result.err, "not supported yet")) << r.result.err;
}

}  // namespace
}  // namespace causeway::testing
