#include "connect/http_get.h"

#include <memory>

#include "causeway/status.h"
#include "connect/http_transfer.h"

namespace causeway {

std::string url_escape(const std::string& value) {
  curl_init_once();
  std::unique_ptr<char, decltype(&curl_free)> e(
      curl_api().curl_easy_escape(nullptr, value.c_str(), static_cast<int>(value.size())),
      curl_api().curl_free);
  if (!e) throw Error(ErrorCode::kIo, "libcurl cannot percent-encode a value (out of memory?)");
  return e.get();
}

HttpResponse http_send(const HttpRequest& request) {
  HttpTransfer transfer(request);
  return transfer.finish(curl_api().curl_easy_perform(transfer.handle()));
}

}  // namespace causeway
