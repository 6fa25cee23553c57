// One libcurl transfer prepared from an HttpRequest, shared by the blocking http_send and the
// concurrent HttpMulti: the same options (TLS verification unless the request turns it off, no
// redirects, http and https only, a whole-request timeout, a capped body) either way.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "connect/curl_api.h"
#include "connect/http_get.h"

namespace causeway {

// Starts libcurl once per process. Throws Error(kIo) when it cannot.
void curl_init_once();

class HttpTransfer {
 public:
  // Keeps its own copy of `request` (libcurl reads the body from it). Throws Error(kIo).
  explicit HttpTransfer(HttpRequest request);
  ~HttpTransfer();
  HttpTransfer(const HttpTransfer&) = delete;
  HttpTransfer& operator=(const HttpTransfer&) = delete;

  CURL* handle() const { return curl_; }
  // The response once libcurl reports `code` for this transfer; call once.
  HttpResponse finish(CURLcode code);

 private:
  struct Received {
    std::string body;
    std::optional<double> retry_after;
    bool too_big = false;
  };
  void set_options();

  HttpRequest request_;
  CURL* curl_ = nullptr;
  curl_slist* headers_ = nullptr;
  Received received_;
  char error_[CURL_ERROR_SIZE] = "";
};

}  // namespace causeway
