// `causeway push` against a mock CRM on 127.0.0.1: injected 500s and 429s, permanent 400s, a
// run stopped by a refused token and resumed, a dry run; the token appears in no output.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>

#include "connect/push_fixture.h"

namespace causeway::testing {
namespace {

constexpr int kRows = 200;

TEST(PushHttp, EveryRowDeliveredOnceThroughServerErrorsAndRateLimits) {
  Crm crm;
  crm.refuse = [](int n, int, const MockRequest&) -> std::optional<MockResponse> {
    if (n % 50 == 0) return MockResponse{429, "slow down", {"Retry-After: 1"}};
    if (n == 20) return MockResponse{500, "oops", {}};  // backoff of its own
    if (n % 20 == 0) return MockResponse{500, "oops", {"Retry-After: 0"}};
    return std::nullopt;
  };
  MockHttpServer server([&](const MockRequest& r) { return crm(r); });
  ::setenv(kTokenVar, kToken, 1);
  const std::string scores = write_scores("push_scores.csv", kRows);
  const std::string journal = temp_path("push.journal");
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
  std::vector<std::string> expected;
  for (int i = 1; i <= kRows; ++i) expected.push_back(target_of(i));
  std::vector<std::string> accepted = crm.accepted;
  std::sort(accepted.begin(), accepted.end());
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(accepted, expected);  // each once
  const std::vector<std::string> delivered = lines_of(journal);
  ASSERT_EQ(delivered.size(), static_cast<std::size_t>(kRows));
  for (int i = 1; i <= kRows; ++i) EXPECT_EQ(delivered[i - 1], id_of(i));  // in row order
  for (const MockRequest& seen : server.requests()) {
    if (seen.target != "/customers/c0001") continue;
    EXPECT_EQ(
        nlohmann::json::parse(seen.body),
        nlohmann::json::parse(R"({"customAttributes": {"uplift_score": 0.001}, "segment": "s1"})"));
  }
  expect_no_token(r);
}

TEST(PushHttp, PermanentRefusalsGoToTheFailuresFileWithoutRetry) {
  Crm crm;
  crm.refuse = [](int, int, const MockRequest& r) -> std::optional<MockResponse> {
    if (r.target == "/customers/c0013" || r.target == "/customers/c0150")
      return MockResponse{400, "unknown field; you sent " + r.authorization, {}};
    return std::nullopt;
  };
  MockHttpServer server([&](const MockRequest& r) { return crm(r); });
  ::setenv(kTokenVar, kToken, 1);
  const std::string scores = write_scores("push_400.csv", kRows);
  const std::string failures = temp_path("push_400_f.csv");
  const CliResult r = run_cli(push_args(server, scores) + " --failures " + failures);
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_NE(r.out.find("200 rows: 198 delivered, 2 failed, 0 not attempted"), std::string::npos)
      << r.out;
  EXPECT_EQ(crm.n, kRows);  // no retry on a 400
  const std::vector<std::string> failed = lines_of(failures);
  ASSERT_EQ(failed.size(), 3u);
  EXPECT_EQ(failed[0], "customer_id,predicted_uplift,segment,push_status,push_error");
  EXPECT_EQ(
      failed[1].rfind("c0013,0.013,s1,400,HTTP 400: unknown field; you sent Bearer [redacted]", 0),
      0u)
      << failed[1];
  EXPECT_EQ(failed[2].rfind("c0150,0.15,s0,400,", 0), 0u) << failed[2];
  expect_no_token(r);
  // The failures file is a scores file: pushed again, its two rows go through.
  crm.refuse = nullptr;
  const CliResult again = run_cli(push_args(server, failures) + " --json");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(nlohmann::json::parse(again.out)["delivered"], 2);
  EXPECT_EQ(crm.accepted.size(), static_cast<std::size_t>(kRows));
}

// One request at a time, so that the refused token stops the run at a known row.
TEST(PushHttp, ResumeSendsOnlyWhatWasNotDelivered) {
  Crm crm;
  crm.refuse = [](int n, int, const MockRequest&) -> std::optional<MockResponse> {
    if (n == 31) return MockResponse{401, "token expired", {}};
    return std::nullopt;
  };
  MockHttpServer server([&](const MockRequest& r) { return crm(r); });
  ::setenv(kTokenVar, kToken, 1);
  const std::string scores = write_scores("push_resume.csv", kRows);
  const std::string journal = temp_path("push_r.journal");
  const std::string args = push_args(server, scores) + " --concurrency 1 --json";
  const CliResult first = run_cli(args + " --journal " + journal);
  EXPECT_EQ(first.exit_code, 4) << first.err;
  const auto j = nlohmann::json::parse(first.out);
  EXPECT_EQ(j["delivered"], 30);
  EXPECT_EQ(j["failed"], 1);
  EXPECT_EQ(j["not_attempted"], kRows - 31);
  EXPECT_EQ(lines_of(journal).size(), 30u);
  expect_no_token(first);
  const CliResult second = run_cli(args + " --resume " + journal);
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

// A run killed while writing the journal could leave its last line without a line break: that
// id does not count as delivered, and the next one is not glued to it.
TEST(PushHttp, AJournalLineCutShortIsNotAnIdAndDoesNotSwallowTheNext) {
  Crm crm;
  MockHttpServer server([&](const MockRequest& r) { return crm(r); });
  ::setenv(kTokenVar, kToken, 1);
  const std::string scores = write_scores("push_cut.csv", 5);
  const std::string journal = write_temp_file("push_cut.journal", "c0001\nc0002\nc000");
  const CliResult r = run_cli(push_args(server, scores) + " --concurrency 1 --resume " + journal);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(crm.accepted, (std::vector<std::string>{target_of(3), target_of(4), target_of(5)}));
  EXPECT_EQ(lines_of(journal),
            (std::vector<std::string>{"c000", id_of(1), id_of(2), id_of(3), id_of(4), id_of(5)}));
}

TEST(PushHttp, DryRunPrintsTheRequestsAndSendsNothing) {
  Crm crm;
  MockHttpServer server([&](const MockRequest& r) { return crm(r); });
  ::setenv(kTokenVar, kToken, 1);
  const std::string scores = write_scores("push_dry.csv", kRows);
  const std::string journal = temp_path("push_d.journal");
  const CliResult r = run_cli(push_args(server, scores) + " --journal " + journal + " --dry-run");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(server.requests().empty());
  EXPECT_FALSE(file_exists(journal));
  std::istringstream out(r.out);
  std::string line;
  std::getline(out, line);
  EXPECT_EQ(line, "PUT " + server.url("/customers/c0001") +
                      R"( {"customAttributes":{"uplift_score":0.001},"segment":"s1"})");
  for (int i = 2; i <= 7; ++i) std::getline(out, line);
  EXPECT_EQ(line.rfind("PUT " + server.url(target_of(7)) + " ", 0), 0u) << line;
  EXPECT_NE(r.out.find("dry run: 200 requests printed, nothing sent"), std::string::npos);
  expect_no_token(r);
}

}  // namespace
}  // namespace causeway::testing
