// Retrying one HTTP request, shared by `signals --url` and `push`: 429, 408, 5xx, timeouts and
// dropped connections are retried with exponential backoff and jitter, a Retry-After header
// taking the place of the backoff; any other answer is final. Messages never hold the token.
#pragma once

#include <string>

#include "connect/http_get.h"

namespace causeway {

struct RetriedResponse {
  HttpResponse response;  // the last one
  int attempts = 0;       // requests sent, 1 + retries
};

// Sends `request` until a 2xx, an answer not worth retrying, or `retries` retries are spent.
RetriedResponse send_with_retries(const HttpRequest& request, int retries);

bool succeeded(const HttpResponse& r);  // 2xx
bool retryable(const HttpResponse& r);  // 429, 408, 5xx, a transient transport failure

// Seconds to wait before retry number `retry` (0 = the first) after `r`: the server's
// Retry-After (at most 10 minutes), else exponential backoff (0.5 s doubling, at most 30 s) with
// jitter (a random half to all of it). Thread-safe.
double retry_wait(const HttpResponse& r, int retry);

// What went wrong, for a message: the transport failure, or "HTTP <status>: <body excerpt>"
// with a hint on 401 and 403; `token` redacted.
std::string what_failed(const HttpResponse& r, const std::string& token);

// `text` with every spelling of `secret` replaced by "[redacted]": as it is, and with any of its
// characters URL-encoded (%XX, either case, + for a space) or JSON-escaped (\/, \u00XX), in any
// mix (a server's echo may encode some characters and not others).
std::string redact(std::string text, const std::string& secret);

}  // namespace causeway
