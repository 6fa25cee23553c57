// `causeway push` stopped midway and resumed: a child process pushes 600 rows to a slow mock CRM
// on 127.0.0.1 and gets SIGINT (the requests in flight finish and are journaled) or SIGKILL (they
// are lost to the journal) once the server has accepted 150; a --resume run then completes it.
// Every row ends delivered, no journaled row is ever sent again, and the only rows the server
// sees twice are those in flight at a SIGKILL (an idempotent PUT, sent again).
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "connect/push_fixture.h"

namespace causeway::testing {
namespace {

constexpr int kRows = 600, kConcurrency = 4;
constexpr std::size_t kStopAfter = 150;

std::size_t accepted_count(const MockHttpServer& server, const Crm& crm) {
  return server.locked([&] { return crm.accepted.size(); });
}

// Waits (at most 60 s) until the server has accepted `n` rows.
void wait_for_accepted(const MockHttpServer& server, const Crm& crm, std::size_t n) {
  for (int i = 0; i < 6000 && accepted_count(server, crm) < n; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
}

std::string target_of_id(const std::string& id) {
  for (int i = 1; i <= kRows; ++i)
    if (id_of(i) == id) return target_of(i);
  ADD_FAILURE() << "no such id: " << id;
  return "";
}

class PushInterrupted : public ::testing::TestWithParam<int> {};

TEST_P(PushInterrupted, ResumingDeliversEveryRowAndNeverResendsAJournaledOne) {
  const int signal = GetParam();
  Crm crm;
  crm.delay_seconds = 0.01;
  MockHttpServer server([&](const MockRequest& r) { return crm(r); });
  ::setenv(kTokenVar, kToken, 1);
  const std::string name = "interrupt" + std::to_string(signal);
  const std::string scores = write_scores(name + ".csv", kRows);
  const std::string journal = temp_path(name + ".journal");
  const std::string args = push_args(server, scores) + " --json --concurrency " +
                           std::to_string(kConcurrency) + " --journal " + journal;
  const Child child = start_cli(args);
  wait_for_accepted(server, crm, kStopAfter);
  ASSERT_EQ(::kill(child.pid, signal), 0);
  const CliResult first = wait_child(child);
  EXPECT_EQ(first.exit_code, 128 + signal) << first.err;
  const std::vector<std::string> journaled = lines_of(journal);
  const std::set<std::string> journaled_set(journaled.begin(), journaled.end());
  EXPECT_EQ(journaled_set.size(), journaled.size());  // no id twice
  const std::vector<std::string> first_accepted = server.locked([&] { return crm.accepted; });
  const std::size_t first_requests = server.requests().size();
  ASSERT_GE(journaled.size() + kConcurrency, kStopAfter);
  ASSERT_LT(first_accepted.size(), static_cast<std::size_t>(kRows)) << "not stopped midway";
  // What was accepted but not journaled was in flight when the process died.
  std::set<std::string> in_flight(first_accepted.begin(), first_accepted.end());
  for (const auto& id : journaled) EXPECT_EQ(in_flight.erase(target_of_id(id)), 1u) << id;
  if (signal == SIGINT) {
    EXPECT_TRUE(in_flight.empty());  // awaited and journaled
    const auto j = nlohmann::json::parse(first.out);
    EXPECT_TRUE(j["interrupted"].get<bool>());
    EXPECT_EQ(j["delivered"], journaled.size());
    EXPECT_EQ(j["not_attempted"], kRows - journaled.size());
  }
  EXPECT_LE(in_flight.size(), static_cast<std::size_t>(kConcurrency));

  const CliResult second = run_cli(push_args(server, scores) + " --json --resume " + journal);
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(nlohmann::json::parse(second.out)["already_delivered"], journaled.size());
  const std::vector<MockRequest> all = server.requests();
  std::multiset<std::string> sent_again;
  for (std::size_t n = first_requests; n < all.size(); ++n) sent_again.insert(all[n].target);
  for (const auto& id : journaled)  // never re-sent
    EXPECT_EQ(sent_again.count(target_of_id(id)), 0u) << id;
  const std::vector<std::string> accepted = server.locked([&] { return crm.accepted; });
  const std::multiset<std::string> accepted_set(accepted.begin(), accepted.end());
  std::size_t resent = 0;
  for (int i = 1; i <= kRows; ++i) {
    const std::size_t times = accepted_set.count(target_of(i));
    const bool was_in_flight = in_flight.count(target_of(i)) > 0;
    EXPECT_EQ(times, was_in_flight ? 2u : 1u) << i;
    resent += times - 1;
  }
  EXPECT_EQ(resent, in_flight.size());
  const std::vector<std::string> complete = lines_of(journal);
  ASSERT_EQ(complete.size(), static_cast<std::size_t>(kRows));
  for (int i = 1; i <= kRows; ++i) EXPECT_EQ(complete[i - 1], id_of(i));
  std::printf("signal %d: %zu rows journaled before it, %zu in flight sent again\n", signal,
              journaled.size(), resent);
}

INSTANTIATE_TEST_SUITE_P(Signals, PushInterrupted, ::testing::Values(SIGINT, SIGKILL));

}  // namespace
}  // namespace causeway::testing
