// `causeway push` of 1,000 rows through a flaky CRM on 127.0.0.1: 5 % of rows first meet a 500,
// 2 % a 429, three a connection reset; two are refused for good (422) and one always meets a
// 503. Every row ends delivered exactly once or listed as failed, the journal is the server's
// log of acceptances, a --resume run sends only the failed rows, and the journal and failures
// file do not depend on the concurrency.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>

#include "connect/push_fixture.h"

namespace causeway::testing {
namespace {

constexpr int kRows = 1000;

// The customer number of a target.
int row_of(const std::string& target) {
  static const std::unordered_map<std::string, int> rows = [] {
    std::unordered_map<std::string, int> m;
    for (int i = 1; i <= kRows; ++i) m[target_of(i)] = i;
    return m;
  }();
  return rows.at(target);
}

// The answer to the k-th request for customer i; the same whatever the order of requests.
std::optional<MockResponse> flaky(int i, int k) {
  if (i == 123 || i == 777) return MockResponse{422, "uplift_score: not a field", {}};
  if (i == 555) return MockResponse{503, "maintenance", {"Retry-After: 0"}};
  if (k > 1) return std::nullopt;
  if (i % 20 == 0)  // half with Retry-After: 0, half left to the client's backoff
    return MockResponse{
        500, "oops",
        i % 40 == 0 ? std::vector<std::string>{"Retry-After: 0"} : std::vector<std::string>{}};
  if (i % 50 == 1)
    return MockResponse{
        429, "slow down", {i == 1 || i == 501 ? "Retry-After: 1" : "Retry-After: 0"}};
  if (i % 331 == 17) return MockResponse{0, "", {}, 0, true};  // 17, 348, 679: reset
  return std::nullopt;
}

Crm flaky_crm() {
  Crm crm;
  crm.refuse = [](int, int k, const MockRequest& r) { return flaky(row_of(r.target), k); };
  return crm;
}

std::multiset<std::string> as_set(const std::vector<std::string>& v) {
  return {v.begin(), v.end()};
}

TEST(PushFaults, ThousandRowsEachDeliveredOnceOrListedAsFailedThenResumed) {
  Crm crm = flaky_crm();
  MockHttpServer server([&](const MockRequest& r) { return crm(r); });
  ::setenv(kTokenVar, kToken, 1);
  const std::string scores = write_scores("faults.csv", kRows);
  const std::string journal = temp_path("faults.journal"), failures = temp_path("faults_f.csv");
  const std::string args = push_args(server, scores) + " --json --failures " + failures;
  const CliResult r = run_cli(args + " --journal " + journal);
  EXPECT_EQ(r.exit_code, 4) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["delivered"], kRows - 3);
  EXPECT_EQ(j["failed"], 3);
  EXPECT_EQ(j["not_attempted"], 0);
  // 1,000 first tries, a retry for each 500, 429 and reset, and 5 retries of the 503.
  EXPECT_EQ(j["requests"], kRows + 50 + 20 + 3 + 5);
  const std::size_t seen = server.requests().size();
  EXPECT_EQ(j["requests"], seen);
  const auto [accepted, tries] =
      server.locked([&] { return std::make_pair(crm.accepted, crm.tries); });
  EXPECT_EQ(tries.at(target_of(348)), 2);  // reset, then delivered
  // The server accepted each row at most once, and exactly the journal's rows.
  const std::multiset<std::string> accepted_set = as_set(accepted);
  std::set<std::string> journaled_targets;
  const std::vector<std::string> journaled = lines_of(journal);
  ASSERT_EQ(journaled.size(), static_cast<std::size_t>(kRows - 3));
  for (int i = 1, at = 0; i <= kRows; ++i) {
    const bool failed = i == 123 || i == 555 || i == 777;
    EXPECT_EQ(accepted_set.count(target_of(i)), failed ? 0u : 1u) << i;
    if (!failed) {
      EXPECT_EQ(journaled[at++], id_of(i));  // in row order
    }
  }
  const std::vector<std::string> failed = lines_of(failures);
  ASSERT_EQ(failed.size(), 4u);
  EXPECT_EQ(failed[1].rfind("c0123,0.123,s0,422,HTTP 422: uplift_score: not a field", 0), 0u);
  EXPECT_EQ(failed[2].rfind("c0555,0.555,s0,503,HTTP 503: maintenance (after 6 attempts)", 0), 0u)
      << failed[2];
  EXPECT_EQ(failed[3].rfind("c0777,0.777,s0,422,", 0), 0u);
  expect_no_token(r);

  // The CRM mended, --resume sends the three failed rows and nothing else.
  server.locked([&] {
    crm.refuse = nullptr;
    return 0;
  });
  const CliResult again = run_cli(args + " --resume " + journal);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  const auto k = nlohmann::json::parse(again.out);
  EXPECT_EQ(k["already_delivered"], kRows - 3);
  EXPECT_EQ(k["delivered"], 3);
  const std::vector<MockRequest> all = server.requests();
  std::multiset<std::string> resent;
  for (std::size_t n = seen; n < all.size(); ++n) resent.insert(all[n].target);
  EXPECT_EQ(resent, (std::multiset<std::string>{target_of(123), target_of(555), target_of(777)}));
  const std::vector<std::string> complete = lines_of(journal);
  ASSERT_EQ(complete.size(), static_cast<std::size_t>(kRows));
  for (int i = 1; i <= kRows; ++i) EXPECT_EQ(complete[i - 1], id_of(i));
}

struct PushRun {
  nlohmann::json summary;
  std::string journal, failures;
};

PushRun run_with(int concurrency, int rows) {
  Crm crm = flaky_crm();
  MockHttpServer server([&](const MockRequest& r) { return crm(r); });
  const std::string name = "same" + std::to_string(concurrency);
  const std::string scores = write_scores(name + ".csv", rows);
  const std::string journal = temp_path(name + ".journal"), failures = temp_path(name + "_f.csv");
  const CliResult r =
      run_cli(push_args(server, scores) + " --json --failures " + failures + " --journal " +
              journal + " --concurrency " + std::to_string(concurrency));
  EXPECT_EQ(r.exit_code, 4) << r.err;
  return {nlohmann::json::parse(r.out), read_text_file(journal), read_text_file(failures)};
}

TEST(PushFaults, TheOutcomeDoesNotDependOnTheConcurrency) {
  ::setenv(kTokenVar, kToken, 1);
  PushRun one = run_with(1, 240), eight = run_with(8, 240);
  one.summary.erase("failures_file");  // their paths differ
  eight.summary.erase("failures_file");
  EXPECT_EQ(one.summary, eight.summary);  // counts of rows, requests and retries, failures
  EXPECT_EQ(one.summary["failed"], 1);    // row 123
  EXPECT_EQ(one.journal, eight.journal);
  EXPECT_EQ(one.failures, eight.failures);
  EXPECT_FALSE(one.journal.empty());
}

}  // namespace
}  // namespace causeway::testing
