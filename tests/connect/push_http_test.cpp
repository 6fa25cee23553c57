// `causeway push` against a mock CRM on 127.0.0.1: injected 500s and 429s, permanent 400s, a
// run stopped by a refused token and resumed, a dry run; the token appears in no output.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "connect/mock_http_server.h"
#include "support/cli_runner.h"

namespace causeway::testing {
namespace {

constexpr const char* kTokenVar = "CAUSEWAY_TEST_PUSH_TOKEN";
constexpr const char* kToken = "pUsh-s3cr3t-77c1";
constexpr int kRows = 200;

std::string id_of(int i) {
  return i == 7 ? "007 a/b" : fmt::format("c{:03}", i);
}
std::string target_of(int i) {
  return i == 7 ? "/customers/007%20a%2Fb" : "/customers/" + id_of(i);
}

// customer_id,predicted_uplift,segment: uplift i/1000, segment "s<i % 3>".
std::string write_scores(const std::string& name) {
  const std::string path = temp_path(name);
  std::ofstream out(path, std::ios::binary);
  out << "customer_id,predicted_uplift,segment\n";
  for (int i = 1; i <= kRows; ++i)
    out << '"' << id_of(i) << "\"," << i / 1000.0 << ",s" << i % 3 << "\n";
  return path;
}

std::vector<std::string> lines_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// A CRM: answers 2xx to PUT /customers/<id> unless `refuse` says otherwise; keeps the targets
// it accepted, in order.
struct Crm {
  std::function<MockResponse(int, const MockRequest&)> refuse;  // n: 1-based request number
  std::vector<std::string> accepted;
  int n = 0;
  MockResponse operator()(const MockRequest& r) {
    ++n;
    if (refuse) {
      MockResponse no = refuse(n, r);
      if (no.status != 200) return no;
    }
    if (r.method != "PUT" || r.authorization != std::string("Bearer ") + kToken)
      return {405, "bad request line", {}};
    accepted.push_back(r.target);
    return {200, "{}", {}};
  }
};

std::string push_args(const MockHttpServer& server, const std::string& scores) {
  return "push " + scores + " --url-template '" + server.url("/customers/{id}") +
         "' --body 'customAttributes.uplift_score=predicted_uplift,segment=segment'" +
         " --token-env " + kTokenVar;
}

void expect_no_token(const CliResult& r) {
  EXPECT_EQ(r.out.find(kToken), std::string::npos) << r.out;
  EXPECT_EQ(r.err.find(kToken), std::string::npos) << r.err;
}

TEST(PushHttp, EveryRowDeliveredOnceThroughServerErrorsAndRateLimits) {
  Crm crm;
  crm.refuse = [](int n, const MockRequest&) -> MockResponse {
    if (n % 50 == 0) return {429, "slow down", {"Retry-After: 1"}};
    if (n == 20) return {500, "oops", {}};  // backoff of its own
    if (n % 20 == 0) return {500, "oops", {"Retry-After: 0"}};
    return {200, "", {}};
  };
  MockHttpServer server([&](const MockRequest& r) { return crm(r); });
  ::setenv(kTokenVar, kToken, 1);
  const std::string scores = write_scores("push_scores.csv"), journal = temp_path("push.journal");
  const CliResult r = run_cli(push_args(server, scores) + " --journal " + journal + " --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["delivered"], kRows);
  EXPECT_EQ(j["failed"], 0);
  EXPECT_EQ(j["not_attempted"], 0);
  EXPECT_EQ(j["requests"], crm.n);
  EXPECT_EQ(j["retries"], crm.n - kRows);
  EXPECT_GT(crm.n, kRows + 10);
  ASSERT_EQ(crm.accepted.size(), static_cast<std::size_t>(kRows));
  const std::vector<std::string> delivered = lines_of(journal);
  ASSERT_EQ(delivered.size(), static_cast<std::size_t>(kRows));
  for (int i = 1; i <= kRows; ++i) {
    EXPECT_EQ(crm.accepted[i - 1], target_of(i));  // each once, in order
    EXPECT_EQ(delivered[i - 1], id_of(i));
  }
  const std::vector<MockRequest> seen = server.requests();
  EXPECT_EQ(
      nlohmann::json::parse(seen[0].body),
      nlohmann::json::parse(R"({"customAttributes": {"uplift_score": 0.001}, "segment": "s1"})"));
  expect_no_token(r);
}

TEST(PushHttp, PermanentRefusalsGoToTheFailuresFileWithoutRetry) {
  Crm crm;
  crm.refuse = [](int, const MockRequest& r) -> MockResponse {
    if (r.target == "/customers/c013" || r.target == "/customers/c150")
      return {400, "unknown field; you sent " + r.authorization, {}};
    return {200, "", {}};
  };
  MockHttpServer server([&](const MockRequest& r) { return crm(r); });
  ::setenv(kTokenVar, kToken, 1);
  const std::string scores = write_scores("push_400.csv"), failures = temp_path("push_400_f.csv");
  const CliResult r = run_cli(push_args(server, scores) + " --failures " + failures);
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_NE(r.out.find("200 rows: 198 delivered, 2 failed, 0 not attempted"), std::string::npos)
      << r.out;
  EXPECT_EQ(crm.n, kRows);  // no retry on a 400
  const std::vector<std::string> failed = lines_of(failures);
  ASSERT_EQ(failed.size(), 3u);
  EXPECT_EQ(failed[0], "customer_id,predicted_uplift,segment,push_status,push_error");
  EXPECT_EQ(
      failed[1].rfind("c013,0.013,s1,400,HTTP 400: unknown field; you sent Bearer [redacted]", 0),
      0u)
      << failed[1];
  EXPECT_EQ(failed[2].rfind("c150,0.15,s0,400,", 0), 0u) << failed[2];
  expect_no_token(r);
  // The failures file is a scores file: pushed again, its two rows go through.
  crm.refuse = nullptr;
  const CliResult again = run_cli(push_args(server, failures) + " --json");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(nlohmann::json::parse(again.out)["delivered"], 2);
  EXPECT_EQ(crm.accepted.back(), "/customers/c150");
}

TEST(PushHttp, ResumeSendsOnlyWhatWasNotDelivered) {
  Crm crm;
  crm.refuse = [](int n, const MockRequest&) -> MockResponse {
    if (n == 31) return {401, "token expired", {}};
    return {200, "", {}};
  };
  MockHttpServer server([&](const MockRequest& r) { return crm(r); });
  ::setenv(kTokenVar, kToken, 1);
  const std::string scores = write_scores("push_resume.csv"), journal = temp_path("push_r.journal");
  const CliResult first = run_cli(push_args(server, scores) + " --journal " + journal + " --json");
  EXPECT_EQ(first.exit_code, 4) << first.err;
  const auto j = nlohmann::json::parse(first.out);
  EXPECT_EQ(j["delivered"], 30);
  EXPECT_EQ(j["failed"], 1);
  EXPECT_EQ(j["not_attempted"], kRows - 31);
  EXPECT_EQ(lines_of(journal).size(), 30u);
  expect_no_token(first);
  const CliResult second = run_cli(push_args(server, scores) + " --resume " + journal + " --json");
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(nlohmann::json::parse(second.out)["already_delivered"], 30);
  EXPECT_EQ(nlohmann::json::parse(second.out)["delivered"], kRows - 30);
  EXPECT_EQ(crm.n, kRows + 1);  // the refused request, and each row once
  ASSERT_EQ(crm.accepted.size(), static_cast<std::size_t>(kRows));
  const std::vector<std::string> delivered = lines_of(journal);
  ASSERT_EQ(delivered.size(), static_cast<std::size_t>(kRows));
  for (int i = 1; i <= kRows; ++i) {
    EXPECT_EQ(crm.accepted[i - 1], target_of(i));
    EXPECT_EQ(delivered[i - 1], id_of(i));
  }
}

TEST(PushHttp, DryRunPrintsTheRequestsAndSendsNothing) {
  Crm crm;
  MockHttpServer server([&](const MockRequest& r) { return crm(r); });
  ::setenv(kTokenVar, kToken, 1);
  const std::string scores = write_scores("push_dry.csv"), journal = temp_path("push_d.journal");
  const CliResult r = run_cli(push_args(server, scores) + " --journal " + journal + " --dry-run");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(server.requests().empty());
  EXPECT_FALSE(file_exists(journal));
  std::istringstream out(r.out);
  std::string line;
  std::getline(out, line);
  EXPECT_EQ(line, "PUT " + server.url("/customers/c001") +
                      R"( {"customAttributes":{"uplift_score":0.001},"segment":"s1"})");
  for (int i = 2; i <= 7; ++i) std::getline(out, line);
  EXPECT_EQ(line.rfind("PUT " + server.url(target_of(7)) + " ", 0), 0u) << line;
  EXPECT_NE(r.out.find("dry run: 200 requests printed, nothing sent"), std::string::npos);
  expect_no_token(r);
}

}  // namespace
}  // namespace causeway::testing
