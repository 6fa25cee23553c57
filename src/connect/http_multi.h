// Several HttpTransfers in flight at once on one thread, through libcurl's multi interface
// (connections reused between them). Each transfer carries the caller's key, handed back with
// its response. Not thread-safe: one thread starts, waits and collects.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <unordered_map>
#include <utility>
#include <vector>

#include "connect/http_transfer.h"

namespace causeway {

class HttpMulti {
 public:
  HttpMulti();  // throws Error(kIo)
  ~HttpMulti();
  HttpMulti(const HttpMulti&) = delete;
  HttpMulti& operator=(const HttpMulti&) = delete;

  void start(std::size_t key, const HttpRequest& request);  // throws Error(kIo)
  std::size_t running() const { return transfers_.size(); }

  // Drives the transfers, waiting at most `timeout` for one to progress, and returns those that
  // finished (key, response), in the order libcurl reported them.
  std::vector<std::pair<std::size_t, HttpResponse>> wait(std::chrono::milliseconds timeout);

 private:
  std::vector<std::pair<std::size_t, HttpResponse>> collect();

  struct Running {
    std::size_t key;
    std::unique_ptr<HttpTransfer> transfer;
  };
  CURLM* multi_ = nullptr;
  std::unordered_map<CURL*, Running> transfers_;
};

}  // namespace causeway
