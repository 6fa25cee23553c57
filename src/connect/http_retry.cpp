#include "connect/http_retry.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <random>
#include <thread>

#include "core/text.h"

namespace causeway {

namespace {

constexpr double kFirstBackoff = 0.5;   // seconds, doubled at each retry
constexpr double kMaxBackoff = 30;      // seconds
constexpr double kMaxRetryAfter = 600;  // seconds a server may ask us to wait
constexpr std::size_t kExcerpt = 300;   // bytes of a failing response's body in a message

}  // namespace

double retry_wait(const HttpResponse& r, int retry) {
  if (r.retry_after) return std::min(*r.retry_after, kMaxRetryAfter);
  thread_local std::mt19937 engine{std::random_device{}()};
  const double ceiling = std::min(kMaxBackoff, kFirstBackoff * std::pow(2.0, retry));
  return std::uniform_real_distribution<double>(0.5, 1.0)(engine) * ceiling;  // jitter
}

bool succeeded(const HttpResponse& r) {
  return r.status >= 200 && r.status < 300;
}

bool retryable(const HttpResponse& r) {
  if (r.status == 0) return r.transient;
  return r.status == 429 || r.status == 408 || r.status >= 500;
}

RetriedResponse send_with_retries(const HttpRequest& request, int retries) {
  RetriedResponse out;
  for (;;) {
    out.response = http_send(request);
    const int retry = out.attempts++;
    if (succeeded(out.response) || !retryable(out.response) || retry >= retries) return out;
    std::this_thread::sleep_for(std::chrono::duration<double>(retry_wait(out.response, retry)));
  }
}

std::string what_failed(const HttpResponse& r, const std::string& token) {
  if (r.status == 0) return redact(r.failure, token);
  std::string text = fmt::format("HTTP {}", r.status);
  // Redacted before it is cut, so that no prefix of the token survives at the cut.
  const std::string body = printable(redact(r.body, token), kExcerpt);
  if (!body.empty()) text += ": " + body;
  if (r.status == 401 || r.status == 403)
    text += token.empty() ? " (no token was sent; name its variable with --token-env)"
                          : " (check the token and its scopes)";
  return redact(text, token);
}

std::string redact(std::string text, const std::string& secret) {
  if (secret.empty()) return text;
  std::string slashes_escaped;  // as some JSON encoders write it: "a\/b"
  for (char c : secret) slashes_escaped += c == '/' ? std::string("\\/") : std::string(1, c);
  for (const std::string& form : {secret, slashes_escaped, url_escape(secret)})
    for (std::size_t at = text.find(form); at != std::string::npos; at = text.find(form, at + 10))
      text.replace(at, form.size(), "[redacted]");
  return text;
}

}  // namespace causeway
