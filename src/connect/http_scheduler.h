// Many HTTP requests sent concurrently from one thread: at most `concurrency` in flight, at most
// `rps` started a second, each retried as send_with_retries would (429, 408, 5xx, timeouts and
// dropped connections; after the server's Retry-After, else exponential backoff with jitter),
// a 429 also holding every new start for its wait. Retries go before new requests.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <utility>

#include "connect/http_get.h"

namespace causeway {

struct ScheduleOptions {
  int concurrency = 4;  // requests in flight, at least 1
  double rps = 0;       // starts a second; 0: no limit
  int retries = 5;      // per request
  // Polled at least 10 times a second; once true, nothing new starts, no retry is sent, and the
  // requests in flight are awaited.
  std::function<bool()> interrupted;
};

struct RequestResult {
  std::size_t key = 0;
  HttpResponse response;         // the last one
  int attempts = 0;              // requests sent for this key
  bool retry_abandoned = false;  // worth a retry, but the run was stopping
};

// The next request and its key (unique), or nullopt when there are no more.
using NextRequest = std::function<std::optional<std::pair<std::size_t, HttpRequest>>()>;
// Called once for each request taken from NextRequest, with its final result; returning false
// stops the run as `interrupted` does.
using OnResult = std::function<bool(const RequestResult&)>;

// Runs until every request taken has its result. Returns true when `interrupted` stopped it.
// Errors of libcurl's set-up (Error(kIo)) and of the callbacks propagate.
bool send_all(const NextRequest& next, const ScheduleOptions& options, const OnResult& on_result);

}  // namespace causeway
