// send_all against the mock server on 127.0.0.1: the bound on requests in flight, retries, and
// stopping (by the result callback or an interruption) with every request taken answered.
#include "connect/http_scheduler.h"

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <set>

#include "connect/mock_http_server.h"

namespace causeway::testing {
namespace {

// Requests GET /r/0 .. /r/(n-1), keyed by their number.
NextRequest numbered(const MockHttpServer& server, std::size_t n, std::size_t& taken,
                     double timeout_seconds = 10) {
  return [&server, n, &taken,
          timeout_seconds]() -> std::optional<std::pair<std::size_t, HttpRequest>> {
    if (taken == n) return std::nullopt;
    HttpRequest r;
    r.url = server.url("/r/" + std::to_string(taken));
    r.timeout_seconds = timeout_seconds;
    return std::make_pair(taken++, r);
  };
}

TEST(HttpScheduler, NeverMoreRequestsInFlightThanTheConcurrency) {
  MockHttpServer server([](const MockRequest&) { return MockResponse{200, "{}", {}, 0.02}; });
  std::size_t taken = 0;
  std::multiset<std::size_t> answered;
  const OnResult on_result = [&](const RequestResult& r) {
    EXPECT_EQ(r.response.status, 200);
    EXPECT_EQ(r.attempts, 1);
    answered.insert(r.key);
    return true;
  };
  EXPECT_FALSE(send_all(numbered(server, 40, taken), {3, 0, 2, nullptr}, on_result));
  EXPECT_EQ(taken, 40u);
  ASSERT_EQ(answered.size(), 40u);
  for (std::size_t k = 0; k < 40; ++k) EXPECT_EQ(answered.count(k), 1u);
  EXPECT_LE(server.most_in_flight(), 3);
  EXPECT_GE(server.most_in_flight(), 2);  // they did overlap
}

TEST(HttpScheduler, RetriesWhatIsWorthRetryingAndNothingElse) {
  std::map<std::string, int> tries;
  MockHttpServer server([&](const MockRequest& r) {
    const int k = ++tries[r.target];
    if (r.target == "/r/5" && k <= 2) return MockResponse{500, "", {"Retry-After: 0"}};
    if (r.target == "/r/6" && k == 1) return MockResponse{0, "", {}, 0, true};  // reset
    if (r.target == "/r/9") return MockResponse{404, "no such customer", {}};
    if (r.target == "/r/11") return MockResponse{503, "", {"Retry-After: 0"}};
    return MockResponse{200, "{}", {}};
  });
  std::size_t taken = 0;
  std::map<std::size_t, RequestResult> results;
  const OnResult on_result = [&](const RequestResult& r) {
    EXPECT_TRUE(results.emplace(r.key, r).second) << "twice: " << r.key;
    return true;
  };
  send_all(numbered(server, 12, taken), {4, 0, 3, nullptr}, on_result);
  ASSERT_EQ(results.size(), 12u);
  EXPECT_EQ(results[5].attempts, 3);
  EXPECT_EQ(results[5].response.status, 200);
  EXPECT_EQ(results[6].attempts, 2);
  EXPECT_EQ(results[6].response.status, 200);
  EXPECT_EQ(results[9].attempts, 1);
  EXPECT_EQ(results[9].response.status, 404);
  EXPECT_EQ(results[11].attempts, 4);  // 1 + 3 retries
  EXPECT_EQ(results[11].response.status, 503);
  EXPECT_FALSE(results[11].retry_abandoned);
  EXPECT_EQ(results[0].attempts, 1);
}

TEST(HttpScheduler, ARequestThatTimesOutIsRetried) {
  std::map<std::string, int> tries;
  MockHttpServer server([&](const MockRequest& r) {
    const int k = ++tries[r.target];
    return MockResponse{200, "{}", {}, r.target == "/r/1" && k == 1 ? 1.0 : 0};
  });
  std::size_t taken = 0;
  std::map<std::size_t, RequestResult> results;
  send_all(numbered(server, 3, taken, 0.5), {2, 0, 3, nullptr}, [&](const RequestResult& r) {
    results.emplace(r.key, r);
    return true;
  });
  ASSERT_EQ(results.size(), 3u);
  EXPECT_GE(results[1].attempts, 2);  // timed out, then answered
  EXPECT_EQ(results[1].response.status, 200);
  EXPECT_GE(server.locked([&] { return tries["/r/1"]; }), 2);
}

TEST(HttpScheduler, StopsStartingWhenTheCallbackSaysSoAndAnswersEveryRequestTaken) {
  MockHttpServer server([](const MockRequest&) { return MockResponse{200, "{}", {}, 0.01}; });
  std::size_t taken = 0, answered = 0;
  const OnResult on_result = [&](const RequestResult&) { return ++answered < 5; };
  EXPECT_FALSE(send_all(numbered(server, 100, taken), {2, 0, 0, nullptr}, on_result));
  EXPECT_EQ(answered, taken);
  EXPECT_GE(taken, 5u);
  EXPECT_LE(taken, 6u);  // the 5th answer came with at most one other request in flight
}

TEST(HttpScheduler, AnInterruptionAwaitsTheRequestsInFlightAndAbandonsRetries) {
  MockHttpServer server([](const MockRequest& r) {
    if (r.target == "/r/0") return MockResponse{500, "", {"Retry-After: 30"}};
    return MockResponse{200, "{}", {}, 0.01};
  });
  std::size_t taken = 0;
  std::map<std::size_t, RequestResult> results;
  const OnResult on_result = [&](const RequestResult& r) {
    results.emplace(r.key, r);
    return true;
  };
  ScheduleOptions options{3, 0, 5, [&] { return server.requests().size() >= 10; }};
  EXPECT_TRUE(send_all(numbered(server, 200, taken), options, on_result));
  EXPECT_EQ(results.size(), taken);
  EXPECT_LT(taken, 200u);
  ASSERT_TRUE(results.count(0));
  EXPECT_TRUE(results[0].retry_abandoned);  // its retry was 30 s away
  EXPECT_EQ(results[0].response.status, 500);
  for (const auto& [key, r] : results) {
    if (key != 0) {
      EXPECT_EQ(r.response.status, 200) << key;
    }
  }
}

// A lower bound only: a slow machine makes the run longer, never shorter, so this cannot fail
// unless the pace is broken. 11 starts at 20 a second take at least 0.5 s.
}  // namespace
}  // namespace causeway::testing
