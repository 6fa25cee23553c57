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

// Runs the JSON Lines `records` allowing one reject; checks the table, returns the reject.
nlohmann::json the_one_reject(const std::string& tag, const std::string& records,
                              const std::string& expected_table) {
  const std::string input = write_temp_file(tag + ".jsonl", records);
  const std::string rejects = temp_path(tag + "_rejects.jsonl");
  const SignalsRun r = signals(input, kMapping, "--max-rejects 1 --rejects " + rejects, tag);
  EXPECT_EQ(r.result.exit_code, 0) << r.result.err;
  EXPECT_EQ(r.out, expected_table);
  return nlohmann::json::parse(read_text_file(rejects));
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

// Fault: a JSON Lines file whose first record is an array was read as an array file, and the
// error then said "(or use JSON Lines)" to a JSON Lines file.
TEST(SignalsFaults, JsonLinesStartingWithAnArrayIsReadAsJsonLines) {
  const auto reject = the_one_reject("faults_lines", "[1, 2]\n{\"id\": \"A\"}\n{\"id\": \"B\"}\n",
                                     "id,risk,n\nA,0,1\nB,0,1\n");
  EXPECT_EQ(reject["line"], 1);
  EXPECT_EQ(reject["reason"], "not an object");
  EXPECT_FALSE(reject.contains("index"));
}

TEST(SignalsFaults, TextAfterAnArrayFileSaysWhatEachFormatHolds) {
  const std::string records =
      write_temp_file("faults_after.json", "[\n{\"id\": \"A\"}\n]\n{\"id\": \"B\"}\n");
  const SignalsRun r = signals(records, kMapping, "", "faults_after");
  EXPECT_EQ(r.result.exit_code, 2);
  EXPECT_TRUE(has(r.result.err, "text after the array's closing ']' on line 4")) << r.result.err;
  EXPECT_FALSE(has(r.result.err, "or use JSON Lines")) << r.result.err;
}

// Fault: an id beyond 64 bits was rejected as "Problem while parsing a number".
TEST(SignalsFaults, AnIdBeyond64BitsAsksForText) {
  const auto reject = the_one_reject("faults_bigid",
                                     "{\"id\": \"A\", \"note\": \"99999999999999999999999\"}\n"
                                     "{\"id\": 18446744073709551616}\n"
                                     "{\"id\": -9223372036854775808}\n",
                                     "id,risk,n\n-9223372036854775808,0,1\nA,0,1\n");
  EXPECT_EQ(reject["line"], 2);
  EXPECT_EQ(reject["reason"], "number too large");
  EXPECT_TRUE(has(reject["detail"], "18446744073709551616 does not fit in 64 bits")) << reject;
  EXPECT_TRUE(has(reject["detail"], "exported as text")) << reject;
}

// Fault: --token-env, --insecure, --pagination ... were silently ignored with a file INPUT.
TEST(SignalsFaults, UrlOptionsWithAFileInputAreRefused) {
  const std::string records = write_temp_file("faults_urlopts.jsonl", "{\"id\": \"A\"}\n");
  for (const std::string option : {"--token-env X", "--insecure", "--pagination page",
                                   "--records-field items", "--max-pages 3", "--timeout 5"}) {
    const SignalsRun r = signals(records, kMapping, option, "faults_urlopts");
    EXPECT_EQ(r.result.exit_code, 2) << option;
    const std::string name = option.substr(0, option.find(' '));
    EXPECT_TRUE(has(r.result.err, name + " applies only to --url")) << r.result.err;
    EXPECT_TRUE(r.out.empty()) << option;
  }
}

// Fault: a time without a time zone, and a second 60, ordered records for `last` silently.
TEST(SignalsFaults, TimestampsWithoutAZoneOrWithSecond60AreRejected) {
  const std::string records =
      write_temp_file("faults_time.jsonl",
                      "{\"id\": \"A\", \"t\": \"2024-03-01T10:00:00Z\", \"v\": 1}\n"
                      "{\"id\": \"A\", \"t\": \"2024-03-01T11:00:00\", \"v\": 2}\n"
                      "{\"id\": \"A\", \"t\": \"2024-03-01T09:00:60+01:00\", \"v\": 3}\n"
                      "{\"id\": \"A\", \"t\": \"2024-02-29\", \"v\": 4}\n"
                      "{\"id\": \"A\", \"t\": \"2024-03-01T09:30:00-01:00\", \"v\": 5}\n");
  const std::string mapping = R"({"id": "id", "timestamp": "t",
    "columns": [{"name": "v", "source": "v", "aggregate": "last"}]})";
  const std::string rejects = temp_path("faults_time_rejects.jsonl");
  const SignalsRun r =
      signals(records, mapping, "--max-rejects 2 --rejects " + rejects, "faults_time");
  ASSERT_EQ(r.result.exit_code, 0) << r.result.err;
  EXPECT_EQ(r.out, "id,v\nA,5\n");  // 10:30Z is the latest of the three kept
  const std::string written = read_text_file(rejects);
  EXPECT_TRUE(has(written, R"("line":2,"reason":"bad timestamp")")) << written;
  EXPECT_TRUE(has(written, "(\\\"2024-03-01T11:00:00\\\") has no time zone")) << written;
  EXPECT_TRUE(has(written, R"("line":3,"reason":"bad timestamp")")) << written;
  EXPECT_TRUE(has(written, "has second 60")) << written;
  EXPECT_FALSE(has(written, R"("line":4)")) << written;  // a date alone is 00:00 UTC
}

}  // namespace
}  // namespace causeway::testing
