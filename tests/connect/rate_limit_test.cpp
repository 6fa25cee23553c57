// The pace of push's requests, driven with made-up times.
#include "connect/rate_limit.h"

#include <gtest/gtest.h>

namespace causeway {
namespace {

TEST(RateLimiter, WithoutALimitNothingWaits) {
  RateLimiter limiter(0);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(limiter.wait(1.0), 0.0);
    limiter.take(1.0);
  }
}

TEST(RateLimiter, StartsAreSpacedByOneOverTheRate) {
  RateLimiter limiter(4);
  EXPECT_EQ(limiter.wait(0), 0.0);
  limiter.take(0);
  EXPECT_DOUBLE_EQ(limiter.wait(0), 0.25);
  EXPECT_DOUBLE_EQ(limiter.wait(0.1), 0.15);
  EXPECT_EQ(limiter.wait(0.25), 0.0);
  limiter.take(0.25);
  EXPECT_DOUBLE_EQ(limiter.wait(0.3), 0.2);
  // An idle spell saves nothing up: after it, the next start still waits a whole interval.
  limiter.take(10);
  EXPECT_DOUBLE_EQ(limiter.wait(10), 0.25);
}

TEST(RateLimiter, AHoldStopsEveryStartUntilItEnds) {
  RateLimiter limiter(0);
  limiter.hold(5);
  EXPECT_DOUBLE_EQ(limiter.wait(1), 4.0);
  limiter.hold(3);  // an earlier end changes nothing
  EXPECT_DOUBLE_EQ(limiter.wait(4), 1.0);
  EXPECT_EQ(limiter.wait(5), 0.0);
}

}  // namespace
}  // namespace causeway
