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
  if (!r.location.empty()) text += " (a redirect to " + r.location + ", not followed)";
  if (r.status == 401 || r.status == 403)
    text += token.empty() ? " (no token was sent; name its variable with --token-env)"
                          : " (check the token and its scopes)";
  return redact(text, token);
}

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The character written at text[at] however it is escaped: itself, %XX (URL), \/ or \u00XX
// (JSON), + for a space (forms); sets `length` to how many bytes spell it. -1: none.
int decoded_at(std::string_view text, std::size_t at, std::size_t& length) {
  const auto hex = [&](std::size_t from, std::size_t digits) {
    int v = 0;
    for (std::size_t k = 0; k < digits; ++k) {
      const int h = from + k < text.size() ? hex_value(text[from + k]) : -1;
      if (h < 0) return -1;
      v = v * 16 + h;
    }
    return v;
  };
  length = 1;
  if (text[at] == '%') {
    if (const int v = hex(at + 1, 2); v >= 0) return length = 3, v;
  } else if (text[at] == '\\' && at + 1 < text.size()) {
    if (text[at + 1] == '/') return length = 2, '/';
    if (text[at + 1] == 'u')
      if (const int v = hex(at + 2, 4); v >= 0 && v < 256) return length = 6, v;
  } else if (text[at] == '+') {
    return ' ';  // ambiguous: '+' itself is tried too (see below)
  }
  return static_cast<unsigned char>(text[at]);
}

// The length of the spelling of `secret` that starts at text[at], or 0.
std::size_t secret_at(std::string_view text, std::size_t at, const std::string& secret) {
  std::size_t i = at;
  for (const char want : secret) {
    if (i >= text.size()) return 0;
    std::size_t length = 0;
    const int got = decoded_at(text, i, length);
    const bool plus = text[i] == '+' && want == '+';
    if (got != static_cast<unsigned char>(want) && !plus) return 0;
    i += length;
  }
  return i - at;
}

}  // namespace

std::string redact(std::string text, const std::string& secret) {
  if (secret.empty()) return text;
  std::string out;
  out.reserve(text.size());
  for (std::size_t at = 0; at < text.size();) {
    if (const std::size_t n = secret_at(text, at, secret); n > 0) {
      out += "[redacted]";
      at += n;
    } else {
      out += text[at++];
    }
  }
  return out;
}

}  // namespace causeway
