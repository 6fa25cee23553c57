// `causeway signals --url`: records fetched from a mock API on 127.0.0.1, with a rate limit, a
// server error and a malformed record on the way; the table is computed by hand.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "connect/mock_http_server.h"
#include "support/cli_runner.h"

namespace causeway::testing {
namespace {

constexpr const char* kTokenVar = "CAUSEWAY_TEST_API_TOKEN";
constexpr const char* kToken = "s3cr3t-T0ken-4f9a";

const char* kMapping = R"({
  "id": "customer.id",
  "timestamp": "startedAt",
  "columns": [
    {"name": "risk_max", "source": "risk", "aggregate": "max"},
    {"name": "risk_last", "source": "risk", "aggregate": "last"},
    {"name": "interactions", "aggregate": "count"},
    {"name": "minutes", "source": "minutes", "aggregate": "sum", "default": 0}
  ]
})";

std::string record(const std::string& id, int day, const std::string& risk, int minutes) {
  std::string r = R"({"customer": {"id": ")" + id + R"("}, "startedAt": "2024-01-0)" +
                  std::to_string(day) + R"(T08:00:00Z", "risk": )" + risk;
  if (minutes >= 0) r += R"(, "minutes": )" + std::to_string(minutes);
  return r + "}";
}

const std::string kMalformed = record("B", 4, "\"high\"", 1);  // risk is text

std::string page(const std::vector<std::string>& records, const std::string& next) {
  std::string text = R"({"data": [)";
  for (std::size_t i = 0; i < records.size(); ++i) text += (i ? ", " : "") + records[i];
  return text + R"(], "next_cursor": )" + next + "}";
}

// Three pages; the second is refused once with 429 (Retry-After: 1), the third once with 500.
//  A: risk 0.2 (1 Jan), 0.5 (3 Jan), 0.9 (2 Jan): max 0.9, last 0.5; 3 records; 5 minutes.
//  B: risk 0.6 (1 Jan), 0.4 (2 Jan), the malformed one rejected: max 0.6, last 0.4; 2; 3 + 2.
//  C: risk 0.1 (2 Jan): 0.1, 0.1; 1 record; 7 minutes.
const char* kExpected =
    "id,risk_max,risk_last,interactions,minutes\n"
    "A,0.9,0.5,3,5\n"
    "B,0.6,0.4,2,5\n"
    "C,0.1,0.1,1,7\n";

MockResponse paged_api(const MockRequest& r, int& refused_2, int& refused_3) {
  if (r.target == "/records")
    return {200, page({record("A", 1, "0.2", 5), record("B", 1, "0.6", 3)}, R"("c2")"), {}};
  if (r.target == "/records?cursor=c2") {
    if (refused_2++ == 0) return {429, R"({"error": "slow down"})", {"Retry-After: 1"}};
    return {200,
            page({record("A", 3, "0.5", -1), kMalformed, record("C", 2, "0.1", 7)}, R"("c3")"),
            {}};
  }
  if (r.target == "/records?cursor=c3") {
    if (refused_3++ == 0) return {500, "oops", {}};
    return {200, page({record("B", 2, "0.4", 2), record("A", 2, "0.9", -1)}, "null"), {}};
  }
  return {404, "no such page", {}};
}

TEST(SignalsHttp, FetchesEveryPageThroughRetriesAndRejectsTheMalformedRecord) {
  int refused_2 = 0, refused_3 = 0;
  MockHttpServer server([&](const MockRequest& r) { return paged_api(r, refused_2, refused_3); });
  ::setenv(kTokenVar, kToken, 1);
  const std::string mapping = write_temp_file("http_map.json", kMapping);
  const std::string out = temp_path("http.csv"), rejects = temp_path("http_rejects.jsonl");
  const CliResult r = run_cli("signals --url " + server.url("/records") + " --token-env " +
                              kTokenVar + " --mapping " + mapping + " --out " + out +
                              " --rejects " + rejects + " --max-rejects 1 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_text_file(out), kExpected);
  // Nothing lost: seven records served, six used, the malformed one in the reject file.
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["records"], 7);
  EXPECT_EQ(j["accepted"], 6);
  EXPECT_EQ(j["rejected"], 1);
  EXPECT_EQ(j["pages"], 3);
  EXPECT_EQ(j["requests"], 5);
  EXPECT_EQ(j["retries"], 2);
  std::istringstream lines(read_text_file(rejects));
  std::vector<nlohmann::json> rejected;
  for (std::string line; std::getline(lines, line);)
    rejected.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(rejected.size(), 1u);
  EXPECT_EQ(rejected[0]["page"], 2);
  EXPECT_EQ(rejected[0]["index"], 1);
  EXPECT_EQ(rejected[0]["reason"], "wrong type");
  EXPECT_EQ(nlohmann::json::parse(rejected[0]["record"].get<std::string>()),
            nlohmann::json::parse(kMalformed));
  // The server saw each request with the token, in order.
  const std::vector<MockRequest> seen = server.requests();
  const std::vector<std::string> targets = {"/records", "/records?cursor=c2", "/records?cursor=c2",
                                            "/records?cursor=c3", "/records?cursor=c3"};
  ASSERT_EQ(seen.size(), targets.size());
  for (std::size_t i = 0; i < seen.size(); ++i) {
    EXPECT_EQ(seen[i].target, targets[i]);
    EXPECT_EQ(seen[i].authorization, std::string("Bearer ") + kToken);
  }
  EXPECT_EQ(r.out.find(kToken), std::string::npos);
  EXPECT_EQ(r.err.find(kToken), std::string::npos);
}

TEST(SignalsHttp, PagePaginationStopsAtTheFirstEmptyPage) {
  MockHttpServer server([](const MockRequest& r) -> MockResponse {
    if (r.target == "/v1/calls?page=1&limit=2")
      return {200,
              R"({"items": [)" + record("A", 1, "0.2", 5) + "," + record("C", 2, "0.1", 7) + "]}",
              {}};
    if (r.target == "/v1/calls?page=2&limit=2")
      return {200, R"({"items": [)" + record("A", 2, "0.9", -1) + "]}", {}};
    if (r.target == "/v1/calls?page=3&limit=2") return {200, R"({"items": []})", {}};
    return {404, "no such page", {}};
  });
  const std::string mapping = write_temp_file("http_page_map.json", kMapping);
  const std::string out = temp_path("http_page.csv");
  const CliResult r = run_cli("signals --url " + server.url("/v1/calls") +
                              " --pagination page --limit 2 --records-field items --mapping " +
                              mapping + " --out " + out);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_text_file(out),
            "id,risk_max,risk_last,interactions,minutes\nA,0.9,0.9,2,5\n"
            "C,0.1,0.1,1,7\n");
  EXPECT_EQ(server.requests().size(), 3u);
  EXPECT_EQ(server.requests()[0].authorization, "");  // no --token-env: no token sent
}

// A refused token fails at once (no retry on 401), and the token is in no output even when
// the server echoes it back.
TEST(SignalsHttp, AFailingRunNeverShowsTheToken) {
  MockHttpServer server([](const MockRequest& r) -> MockResponse {
    return {401, R"({"error": "invalid token )" + r.authorization.substr(7) + R"("})", {}};
  });
  ::setenv(kTokenVar, kToken, 1);
  const std::string mapping = write_temp_file("http_401_map.json", kMapping);
  const std::string out = temp_path("http_401.csv");
  for (const std::string json : {"", " --json"}) {
    const CliResult r = run_cli("signals --url " + server.url("/records") + " --token-env " +
                                kTokenVar + " --mapping " + mapping + " --out " + out + json);
    EXPECT_EQ(r.exit_code, 2) << json;
    EXPECT_NE(r.err.find("HTTP 401"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("[redacted]"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find(kToken), std::string::npos) << r.err;
    EXPECT_EQ(r.out.find(kToken), std::string::npos) << r.out;
    EXPECT_FALSE(file_exists(out));
  }
  EXPECT_EQ(server.requests().size(), 2u);  // one request per run
  EXPECT_EQ(server.requests()[0].authorization, std::string("Bearer ") + kToken);
}

}  // namespace
}  // namespace causeway::testing
