// The records of an HttpSource, page by page, handed to a RecordSink as an array file's would be
// (position: the URL, the page number from 1 and the index in the page from 0).
#pragma once

#include "causeway/connect/http_source.h"
#include "connect/record_reader.h"

namespace causeway {

struct HttpStats {
  std::size_t pages = 0, requests = 0, retries = 0;
};

// Throws Error(kIo) when a page cannot be fetched, Error(kBadInput) when it is not a page.
void read_http_records(const HttpSource& source, const RecordSink& sink, HttpStats& stats);

}  // namespace causeway
