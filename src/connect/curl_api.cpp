#include "connect/curl_api.h"

#include "core/dynamic_library.h"

namespace causeway {

namespace {

CurlApi load() {
  const DynamicLibrary lib("libcurl.so.4", "libcurl4",
                           "fetching and sending over HTTP (signals, push)");
  CurlApi api{};
  CAUSEWAY_BIND(curl_global_init);
  CAUSEWAY_BIND(curl_getdate);
  CAUSEWAY_BIND(curl_slist_append);
  CAUSEWAY_BIND(curl_slist_free_all);
  CAUSEWAY_BIND(curl_easy_init);
  CAUSEWAY_BIND(curl_easy_cleanup);
  CAUSEWAY_BIND(curl_easy_setopt);
  CAUSEWAY_BIND(curl_easy_getinfo);
  CAUSEWAY_BIND(curl_easy_perform);
  CAUSEWAY_BIND(curl_easy_strerror);
  CAUSEWAY_BIND(curl_multi_init);
  CAUSEWAY_BIND(curl_multi_cleanup);
  CAUSEWAY_BIND(curl_multi_add_handle);
  CAUSEWAY_BIND(curl_multi_remove_handle);
  CAUSEWAY_BIND(curl_multi_perform);
  CAUSEWAY_BIND(curl_multi_poll);
  CAUSEWAY_BIND(curl_multi_info_read);
  CAUSEWAY_BIND(curl_multi_strerror);
  return api;
}

}  // namespace

const CurlApi& curl_api() {
  static const CurlApi api = load();
  return api;
}

}  // namespace causeway
