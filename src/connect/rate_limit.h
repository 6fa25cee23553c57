// The pace of `push`'s requests: at most `per_second` starts a second, evenly spaced (a request
// may start 1 / per_second after the previous one), and none before a time the server asked for
// (a 429's Retry-After holds every new start, not only the refused row's retry). Times are
// seconds on any monotonic clock, so tests can drive it with made-up times. Not thread-safe.
#pragma once

#include <algorithm>
#include <limits>

namespace causeway {

class RateLimiter {
 public:
  explicit RateLimiter(double per_second)  // 0: no limit
      : interval_(per_second > 0 ? 1 / per_second : 0) {}

  // Seconds from `now` until a request may start (0: now).
  double wait(double now) const { return std::max(0.0, std::max(next_, hold_) - now); }

  // A request starts at `now`.
  void take(double now) { next_ = std::max(now, next_) + interval_; }

  // No request starts before `until`.
  void hold(double until) { hold_ = std::max(hold_, until); }

 private:
  double interval_;
  double next_ = -std::numeric_limits<double>::infinity();
  double hold_ = -std::numeric_limits<double>::infinity();
};

}  // namespace causeway
