#include "connect/http_get.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <cctype>
#include <cstdlib>
#include <ctime>
#include <memory>

#include "causeway/status.h"

namespace causeway {

namespace {

constexpr std::size_t kMaxBodyBytes = std::size_t{256} << 20;

struct Received {
  std::string body;
  std::optional<double> retry_after;
  bool too_big = false;
};

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
  auto* r = static_cast<Received*>(user);
  if (r->body.size() + size * n > kMaxBodyBytes) {
    r->too_big = true;
    return 0;  // aborts the transfer
  }
  r->body.append(data, size * n);
  return size * n;
}

// Retry-After: a number of seconds or an HTTP date.
std::optional<double> retry_after(std::string value) {
  while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back()))) value.pop_back();
  std::size_t first = 0;
  while (first < value.size() && value[first] == ' ') ++first;
  value = value.substr(first);
  if (value.empty()) return std::nullopt;
  char* end = nullptr;
  const double seconds = std::strtod(value.c_str(), &end);
  if (end && *end == '\0') return seconds >= 0 ? std::optional<double>(seconds) : std::nullopt;
  const std::time_t at = curl_getdate(value.c_str(), nullptr);
  if (at < 0) return std::nullopt;
  const double wait = std::difftime(at, std::time(nullptr));
  return wait > 0 ? wait : 0;
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
  const std::string line(data, size * n);
  constexpr std::string_view kName = "retry-after:";
  if (line.size() > kName.size()) {
    bool match = true;
    for (std::size_t i = 0; i < kName.size() && match; ++i)
      match = std::tolower(static_cast<unsigned char>(line[i])) == kName[i];
    if (match) static_cast<Received*>(user)->retry_after = retry_after(line.substr(kName.size()));
  }
  return size * n;
}

bool is_transient(CURLcode code) {
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_COULDNT_CONNECT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_COULDNT_RESOLVE_HOST:
      return true;
    default:
      return false;
  }
}

void init_once() {
  static const CURLcode code = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (code != CURLE_OK)
    throw Error(ErrorCode::kIo, fmt::format("cannot start libcurl ({})", curl_easy_strerror(code)));
}

}  // namespace

std::string url_escape(const std::string& value) {
  init_once();
  std::unique_ptr<char, decltype(&curl_free)> e(
      curl_easy_escape(nullptr, value.c_str(), static_cast<int>(value.size())), curl_free);
  if (!e) throw Error(ErrorCode::kIo, "libcurl cannot percent-encode a value (out of memory?)");
  return e.get();
}

HttpResponse http_send(const HttpRequest& request) {
  init_once();
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) throw Error(ErrorCode::kIo, "cannot start a libcurl transfer");
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(nullptr, curl_slist_free_all);
  curl_slist* list = curl_slist_append(nullptr, "Accept: application/json");
  if (!request.body.empty()) {
    list = curl_slist_append(list, "Content-Type: application/json");
    list = curl_slist_append(list, "Expect:");  // no 100-continue round trip
  }
  if (!request.token.empty())
    list = curl_slist_append(list, ("Authorization: Bearer " + request.token).c_str());
  headers.reset(list);
  Received received;
  char error[CURL_ERROR_SIZE] = "";
  const long timeout_ms = static_cast<long>(request.timeout_seconds * 1000);
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
  if (request.method != "GET") {
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  }
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(c, CURLOPT_USERAGENT, "causeway/" CAUSEWAY_VERSION);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &received);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &received);
  const CURLcode code = curl_easy_perform(c);
  HttpResponse r;
  if (code != CURLE_OK) {
    r.failure = received.too_big
                    ? fmt::format("the response is larger than {} MiB", kMaxBodyBytes >> 20)
                    : (*error ? std::string(error) : curl_easy_strerror(code));
    r.transient = !received.too_big && is_transient(code);
    return r;
  }
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
  r.body = std::move(received.body);
  r.retry_after = received.retry_after;
  return r;
}

}  // namespace causeway
