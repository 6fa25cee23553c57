// libcurl's functions causeway calls, loaded at first use (core/dynamic_library.h). The types
// and constants still come from the library's header.
#pragma once

#include <curl/curl.h>

namespace causeway {

struct CurlApi {
  decltype(&::curl_global_init) curl_global_init;
  decltype(&::curl_getdate) curl_getdate;
  decltype(&::curl_slist_append) curl_slist_append;
  decltype(&::curl_slist_free_all) curl_slist_free_all;
  decltype(&::curl_easy_init) curl_easy_init;
  decltype(&::curl_easy_cleanup) curl_easy_cleanup;
  decltype(&::curl_easy_setopt) curl_easy_setopt;    // variadic, as declared by curl.h
  decltype(&::curl_easy_getinfo) curl_easy_getinfo;  // variadic
  decltype(&::curl_easy_perform) curl_easy_perform;
  decltype(&::curl_easy_strerror) curl_easy_strerror;
  decltype(&::curl_multi_init) curl_multi_init;
  decltype(&::curl_multi_cleanup) curl_multi_cleanup;
  decltype(&::curl_multi_add_handle) curl_multi_add_handle;
  decltype(&::curl_multi_remove_handle) curl_multi_remove_handle;
  decltype(&::curl_multi_perform) curl_multi_perform;
  decltype(&::curl_multi_poll) curl_multi_poll;
  decltype(&::curl_multi_info_read) curl_multi_info_read;
  decltype(&::curl_multi_strerror) curl_multi_strerror;
};

// The functions, libcurl.so.4 being opened by the first call (thread-safe). Throws Error(kIo)
// naming the library and its Debian package when it cannot be loaded; a later call tries again.
// curl_global_init is the caller's to run (curl_init_once in connect/http_transfer.h).
const CurlApi& curl_api();

}  // namespace causeway
