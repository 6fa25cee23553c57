#include "connect/http_multi.h"

#include <fmt/format.h>

#include "causeway/status.h"

namespace causeway {

namespace {

void check(CURLMcode code, const char* what) {
  if (code != CURLM_OK)
    throw Error(ErrorCode::kIo,
                fmt::format("libcurl cannot {} ({})", what, curl_api().curl_multi_strerror(code)));
}

}  // namespace

HttpMulti::HttpMulti() {
  curl_init_once();
  multi_ = curl_api().curl_multi_init();
  if (!multi_) throw Error(ErrorCode::kIo, "cannot start libcurl's multi interface");
}

HttpMulti::~HttpMulti() {
  for (auto& [handle, running] : transfers_) curl_api().curl_multi_remove_handle(multi_, handle);
  transfers_.clear();
  curl_api().curl_multi_cleanup(multi_);
}

void HttpMulti::start(std::size_t key, const HttpRequest& request) {
  auto transfer = std::make_unique<HttpTransfer>(request);
  CURL* handle = transfer->handle();
  check(curl_api().curl_multi_add_handle(multi_, handle), "start a request");
  transfers_.emplace(handle, Running{key, std::move(transfer)});
}

std::vector<std::pair<std::size_t, HttpResponse>> HttpMulti::wait(
    std::chrono::milliseconds timeout) {
  std::vector<std::pair<std::size_t, HttpResponse>> done = collect();
  if (!done.empty()) return done;
  // Sleeps the whole timeout when nothing runs: the caller is waiting for a retry or its pace.
  check(curl_api().curl_multi_poll(multi_, nullptr, 0, static_cast<int>(timeout.count()), nullptr),
        "wait for the requests");
  return collect();
}

std::vector<std::pair<std::size_t, HttpResponse>> HttpMulti::collect() {
  int active = 0;
  check(curl_api().curl_multi_perform(multi_, &active), "drive the requests");
  std::vector<std::pair<std::size_t, HttpResponse>> done;
  int left = 0;
  while (CURLMsg* message = curl_api().curl_multi_info_read(multi_, &left)) {
    if (message->msg != CURLMSG_DONE) continue;
    const auto it = transfers_.find(message->easy_handle);
    if (it == transfers_.end()) continue;
    done.emplace_back(it->second.key, it->second.transfer->finish(message->data.result));
    curl_api().curl_multi_remove_handle(multi_, message->easy_handle);
    transfers_.erase(it);
  }
  return done;
}

}  // namespace causeway
