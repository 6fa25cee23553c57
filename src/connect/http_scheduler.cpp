#include "connect/http_scheduler.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <unordered_map>

#include "connect/http_multi.h"
#include "connect/http_retry.h"
#include "connect/rate_limit.h"

namespace causeway {

namespace {

constexpr double kMaxNap = 0.1;  // seconds between looks at `interrupted`

double seconds_now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

class Scheduler {
 public:
  Scheduler(const NextRequest& next, const ScheduleOptions& options, const OnResult& on_result)
      : next_(next), options_(options), on_result_(on_result), limiter_(options.rps) {}

  bool run() {
    for (;;) {
      if (!stopping_ && options_.interrupted && options_.interrupted())
        stopping_ = interrupted_ = true;
      if (stopping_) abandon_retries();
      const double now = seconds_now();
      start_ready(now);
      if (multi_.running() == 0 && waiting_.empty() && (exhausted_ || stopping_))
        return interrupted_;
      for (auto& [key, response] : multi_.wait(nap(now)))
        settle(key, std::move(response), seconds_now());
    }
  }

 private:
  struct Taken {
    HttpRequest request;
    int attempts = 0;
    HttpResponse last;
  };

  bool has_room() const {
    return multi_.running() < static_cast<std::size_t>(std::max(1, options_.concurrency));
  }

  // Starts what the room, the pace and the retries' due times allow, retries first.
  void start_ready(double now) {
    while (!stopping_ && has_room() && limiter_.wait(now) <= 0) {
      std::size_t key = 0;
      if (!waiting_.empty() && waiting_.begin()->first <= now) {
        key = waiting_.begin()->second;
        waiting_.erase(waiting_.begin());
      } else if (!exhausted_) {
        auto request = next_();
        if (!request) {
          exhausted_ = true;
          return;
        }
        key = request->first;
        taken_[key].request = std::move(request->second);
      } else {
        return;
      }
      Taken& t = taken_.at(key);
      multi_.start(key, t.request);
      ++t.attempts;
      limiter_.take(now);
    }
  }

  void settle(std::size_t key, HttpResponse response, double now) {
    Taken& t = taken_.at(key);
    const bool worth_retry = !succeeded(response) && retryable(response);
    if (!worth_retry || t.attempts > options_.retries || stopping_) {
      finish(key, std::move(response), worth_retry && t.attempts <= options_.retries);
      return;
    }
    const double wait = retry_wait(response, t.attempts - 1);
    if (response.status == 429) limiter_.hold(now + wait);
    t.last = std::move(response);
    waiting_.emplace(now + wait, key);
  }

  void finish(std::size_t key, HttpResponse response, bool abandoned) {
    RequestResult result{key, std::move(response), taken_.at(key).attempts, abandoned};
    taken_.erase(key);
    if (!on_result_(result)) stopping_ = true;
  }

  void abandon_retries() {
    std::multimap<double, std::size_t> waiting;
    waiting.swap(waiting_);
    for (const auto& [due, key] : waiting) finish(key, std::move(taken_.at(key).last), true);
  }

  // How long to wait for a transfer to progress before looking again.
  std::chrono::milliseconds nap(double now) const {
    double seconds = kMaxNap;
    if (!stopping_ && has_room()) {
      double due = exhausted_ ? kMaxNap : 0;
      if (!waiting_.empty()) due = std::min(due, waiting_.begin()->first - now);
      seconds = std::min(seconds, std::max(due, limiter_.wait(now)));
    }
    return std::chrono::milliseconds(std::max(1L, std::lround(std::ceil(seconds * 1000))));
  }

  const NextRequest& next_;
  const ScheduleOptions& options_;
  const OnResult& on_result_;
  HttpMulti multi_;
  RateLimiter limiter_;
  std::unordered_map<std::size_t, Taken> taken_;  // taken and not finished
  std::multimap<double, std::size_t> waiting_;    // retries by due time
  bool exhausted_ = false, stopping_ = false, interrupted_ = false;
};

}  // namespace

bool send_all(const NextRequest& next, const ScheduleOptions& options, const OnResult& on_result) {
  return Scheduler(next, options, on_result).run();
}

}  // namespace causeway
