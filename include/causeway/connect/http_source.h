// Interaction records fetched page by page from an HTTP API, for `causeway signals --url`.
//
// Each page is a JSON object whose records are the array at `records_field` (a dotted path).
// Cursor paging follows `cursor_field` until it is absent or null; page paging asks for pages
// 1, 2, ... until one is empty. A URL's own page or cursor parameter is replaced, not repeated.
// The run ends with an error, instead of fetching forever, on a page holding the same records
// as the one before, on 10 empty pages in a row that each name a new cursor, on a cursor seen
// before, and after `max_pages` pages. 429, 5xx, timeouts and dropped connections are retried
// with exponential backoff and jitter (Retry-After honoured); a redirect is not followed; any
// other status ends the run with the status and a body excerpt. The token is sent as a bearer
// token and never appears in a message.
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
  std::size_t max_pages = 1000000;  // more pages than this fail the run (a runaway API)
  double timeout_seconds = 30;
  int retries = 5;         // retries of one request after its first attempt
  bool verify_tls = true;  // false only for --insecure
};

}  // namespace causeway
