// Interaction records fetched page by page from an HTTP API, for `causeway signals --url`.
//
// Each page is a JSON object whose records are the array at `records_field` (a dotted path).
// Cursor paging follows `cursor_field` until it is absent or null; page paging asks for pages
// 1, 2, ... until one is empty. 429, 5xx, timeouts and dropped connections are retried with
// exponential backoff and jitter (Retry-After honoured); any other status ends the run with the
// status and a body excerpt. The token is sent as a bearer token and never appears in a message.
#pragma once

#include <cstddef>
#include <string>

namespace causeway {

enum class HttpPaging { kCursor, kPage };

struct HttpSource {
  std::string url;
  std::string token;  // "" : no Authorization header
  HttpPaging paging = HttpPaging::kCursor;
  std::string cursor_field = "next_cursor", cursor_param = "cursor";
  std::string page_param = "page", limit_param = "limit";
  std::size_t limit = 100;
  std::string records_field = "data";
  double timeout_seconds = 30;
  int retries = 5;         // retries of one request after its first attempt
  bool verify_tls = true;  // false only for --insecure
};

}  // namespace causeway
