#include "connect/http_get.h"

#include "connect/http_transfer.h"

namespace causeway {

std::string url_escape(const std::string& value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(value.size());
  for (const unsigned char c : value) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

HttpResponse http_send(const HttpRequest& request) {
  HttpTransfer transfer(request);
  return transfer.finish(curl_api().curl_easy_perform(transfer.handle()));
}

}  // namespace causeway
