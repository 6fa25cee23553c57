// One HTTP request through libcurl: TLS verification on (unless the request turns it off), no
// redirects followed, http and https only, a whole-request timeout, the response body held in
// memory up to a cap. Nothing is printed.
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
  std::string location;               // where a 3xx answer points (redirects are not followed)
};

struct HttpRequest {
  std::string method = "GET";  // GET, PUT, PATCH, POST
  std::string url;
  std::string token;  // sent as "Authorization: Bearer <token>" when not empty
  std::string body;   // sent as application/json when not empty
  double timeout_seconds = 30;
  bool verify_tls = true;  // off only for --insecure
};

// Sends `request`. Throws Error(kIo) only when libcurl cannot be set up.
HttpResponse http_send(const HttpRequest& request);

// `value` percent-encoded for a URL's path segment or query value.
std::string url_escape(const std::string& value);

inline HttpResponse http_get(const std::string& url, const std::string& token,
                             double timeout_seconds) {
  return http_send({"GET", url, token, "", timeout_seconds});
}

}  // namespace causeway
