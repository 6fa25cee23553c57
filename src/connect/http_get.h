// One HTTP GET through libcurl: TLS verification on, no redirects followed, http and https only,
// a whole-request timeout, the body held in memory up to a cap. Nothing is printed.
#pragma once

#include <optional>
#include <string>

namespace causeway {

struct HttpResponse {
  long status = 0;                    // 0 when no response arrived (see `failure`)
  std::string body;                   // the response body
  std::optional<double> retry_after;  // seconds, from a Retry-After header
  std::string failure;                // transport failure ("" when a response arrived)
  bool transient = false;             // the failure may pass: a timeout, a dropped connection
};

// GETs `url` with "Authorization: Bearer <token>" when `token` is not empty. Throws Error(kIo)
// only when libcurl cannot be set up.
HttpResponse http_get(const std::string& url, const std::string& token, double timeout_seconds);

}  // namespace causeway
