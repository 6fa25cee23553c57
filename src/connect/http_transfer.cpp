#include "connect/http_transfer.h"

#include <fmt/format.h>

#include <cctype>
#include <cstdlib>
#include <ctime>

#include "causeway/status.h"

namespace causeway {

namespace {

constexpr std::size_t kMaxBodyBytes = std::size_t{256} << 20;

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
  const std::time_t at = curl_api().curl_getdate(value.c_str(), nullptr);
  if (at < 0) return std::nullopt;
  const double wait = std::difftime(at, std::time(nullptr));
  return wait > 0 ? wait : 0;
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

}  // namespace

void curl_init_once() {
  static const CURLcode code = curl_api().curl_global_init(CURL_GLOBAL_DEFAULT);
  if (code != CURLE_OK)
    throw Error(ErrorCode::kIo,
                fmt::format("cannot start libcurl ({})", curl_api().curl_easy_strerror(code)));
}

HttpTransfer::HttpTransfer(HttpRequest request) : request_(std::move(request)) {
  curl_init_once();
  curl_ = curl_api().curl_easy_init();
  if (!curl_) throw Error(ErrorCode::kIo, "cannot start a libcurl transfer");
  headers_ = curl_api().curl_slist_append(nullptr, "Accept: application/json");
  if (!request_.body.empty()) {
    headers_ = curl_api().curl_slist_append(headers_, "Content-Type: application/json");
    headers_ = curl_api().curl_slist_append(headers_, "Expect:");  // no 100-continue round trip
  }
  if (!request_.token.empty())
    headers_ =
        curl_api().curl_slist_append(headers_, ("Authorization: Bearer " + request_.token).c_str());
  set_options();
}

HttpTransfer::~HttpTransfer() {
  curl_api().curl_easy_cleanup(curl_);
  curl_api().curl_slist_free_all(headers_);
}

void HttpTransfer::set_options() {
  const auto on_body = +[](char* data, std::size_t size, std::size_t n, void* user) {
    auto* r = static_cast<Received*>(user);
    if (r->body.size() + size * n > kMaxBodyBytes) {
      r->too_big = true;
      return std::size_t{0};  // aborts the transfer
    }
    r->body.append(data, size * n);
    return size * n;
  };
  const auto on_header = +[](char* data, std::size_t size, std::size_t n, void* user) {
    const std::string line(data, size * n);
    constexpr std::string_view kName = "retry-after:";
    bool match = line.size() > kName.size();
    for (std::size_t i = 0; i < kName.size() && match; ++i)
      match = std::tolower(static_cast<unsigned char>(line[i])) == kName[i];
    if (match) static_cast<Received*>(user)->retry_after = retry_after(line.substr(kName.size()));
    return size * n;
  };
  const long timeout_ms = static_cast<long>(request_.timeout_seconds * 1000);
  CURL* c = curl_;
  const auto setopt = curl_api().curl_easy_setopt;
  setopt(c, CURLOPT_URL, request_.url.c_str());
  if (request_.method != "GET") {
    setopt(c, CURLOPT_CUSTOMREQUEST, request_.method.c_str());
    setopt(c, CURLOPT_POSTFIELDS, request_.body.c_str());
    setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request_.body.size()));
  }
  setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  setopt(c, CURLOPT_SSL_VERIFYPEER, request_.verify_tls ? 1L : 0L);
  setopt(c, CURLOPT_SSL_VERIFYHOST, request_.verify_tls ? 2L : 0L);
  setopt(c, CURLOPT_NOSIGNAL, 1L);
  setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
  setopt(c, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
  setopt(c, CURLOPT_HTTPHEADER, headers_);
  setopt(c, CURLOPT_ACCEPT_ENCODING, "");
  setopt(c, CURLOPT_USERAGENT, "causeway/" CAUSEWAY_VERSION);
  setopt(c, CURLOPT_ERRORBUFFER, error_);
  setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  setopt(c, CURLOPT_WRITEDATA, &received_);
  setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  setopt(c, CURLOPT_HEADERDATA, &received_);
}

HttpResponse HttpTransfer::finish(CURLcode code) {
  HttpResponse r;
  if (code != CURLE_OK) {
    r.failure = received_.too_big
                    ? fmt::format("the response is larger than {} MiB", kMaxBodyBytes >> 20)
                    : (*error_ ? std::string(error_) : curl_api().curl_easy_strerror(code));
    r.transient = !received_.too_big && is_transient(code);
    return r;
  }
  curl_api().curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &r.status);
  r.body = std::move(received_.body);
  r.retry_after = received_.retry_after;
  const char* location = nullptr;
  if (curl_api().curl_easy_getinfo(curl_, CURLINFO_REDIRECT_URL, &location) == CURLE_OK && location)
    r.location = location;
  return r;
}

}  // namespace causeway
