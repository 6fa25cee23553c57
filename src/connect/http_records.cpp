#include "connect/http_records.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <unordered_set>
#include <vector>

#include "causeway/status.h"
#include "connect/http_get.h"
#include "connect/http_retry.h"
#include "core/text.h"

namespace causeway {

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

std::string with_params(const std::string& url,
                        const std::vector<std::pair<std::string, std::string>>& params) {
  std::string out = url;
  for (const auto& [name, value] : params)
    out += fmt::format("{}{}={}", out.find('?') == std::string::npos ? '?' : '&', url_escape(name),
                       url_escape(value));
  return out;
}

// The body of a 2xx response to `url`, after retries.
std::string fetch(const std::string& url, const HttpSource& source, std::size_t page,
                  HttpStats& stats) {
  RetriedResponse r = send_with_retries(
      {"GET", url, source.token, "", source.timeout_seconds, source.verify_tls}, source.retries);
  stats.requests += static_cast<std::size_t>(r.attempts);
  stats.retries += static_cast<std::size_t>(r.attempts - 1);
  if (succeeded(r.response)) return std::move(r.response.body);
  const std::string where = redact(fmt::format("{} (page {})", url, page), source.token);
  const std::string what = what_failed(r.response, source.token);
  if (!retryable(r.response)) throw Error(ErrorCode::kIo, fmt::format("{}: {}", where, what));
  throw Error(ErrorCode::kIo,
              fmt::format("{}: {} after {} attempts; try again later or raise --retries", where,
                          what, r.attempts));
}

std::optional<element> at_path(element root, const std::string& path) {
  std::size_t begin = 0;
  while (true) {
    const std::size_t dot = path.find('.', begin);
    const std::string key = path.substr(begin, dot == std::string::npos ? dot : dot - begin);
    if (root.type() != element_type::OBJECT) return std::nullopt;
    if (root.get_object().value_unsafe()[key].get(root)) return std::nullopt;
    if (dot == std::string::npos) return root;
    begin = dot + 1;
  }
}

struct Page {
  std::size_t records = 0;
  std::optional<std::string> cursor;  // cursor paging: the next page's cursor
};

// Hands each record of one page's body to the sink; the page's cursor, if any.
Page split_page(const std::string& body, const std::string& url, const HttpSource& source,
                std::size_t page_number, simdjson::dom::parser& parser, const RecordSink& sink) {
  const std::string where = fmt::format("{} (page {})", url, page_number);
  element root;
  if (const auto error = parser.parse(body).get(root))
    throw Error(ErrorCode::kBadInput, fmt::format("{}: the page is not JSON ({})", where,
                                                  simdjson::error_message(error)));
  const std::optional<element> records = at_path(root, source.records_field);
  if (!records || records->type() != element_type::ARRAY)
    throw Error(ErrorCode::kBadInput,
                fmt::format("{}: the page has no array '{}' of records; name the field holding "
                            "them with --records-field",
                            where, source.records_field));
  Page page;
  std::vector<char> text;
  const simdjson::dom::array array = records->get_array().value_unsafe();
  for (element record : array) {
    const std::string json = simdjson::to_string(record);
    text.assign(json.begin(), json.end());
    text.resize(json.size() + simdjson::SIMDJSON_PADDING, '\0');  // readable past the end
    RawRecord raw{std::string_view(text.data(), json.size()), {url, 0, true, page.records}, ""};
    raw.position.page = page_number;
    sink(raw);
    ++page.records;
  }
  if (source.paging != HttpPaging::kCursor) return page;
  const std::optional<element> cursor = at_path(root, source.cursor_field);
  if (!cursor || cursor->is_null()) return page;
  if (cursor->type() == element_type::STRING)
    page.cursor = std::string(cursor->get_string().value_unsafe());
  else if (cursor->is_int64() || cursor->is_uint64())
    page.cursor = simdjson::to_string(*cursor);
  else
    throw Error(ErrorCode::kBadInput,
                fmt::format("{}: the cursor '{}' is neither text nor a whole number", where,
                            source.cursor_field));
  if (page.cursor->empty()) page.cursor.reset();
  return page;
}

}  // namespace

void read_http_records(const HttpSource& source, const RecordSink& sink, HttpStats& stats) {
  simdjson::dom::parser parser;
  std::optional<std::string> cursor;
  std::unordered_set<std::string> seen;
  const std::string where = redact(source.url, source.token);
  for (std::size_t number = 1;; ++number) {
    std::string url = source.url;
    if (source.paging == HttpPaging::kPage)
      url = with_params(url, {{source.page_param, std::to_string(number)},
                              {source.limit_param, std::to_string(source.limit)}});
    else if (cursor)
      url = with_params(url, {{source.cursor_param, *cursor}});
    const std::string body = fetch(url, source, number, stats);
    ++stats.pages;
    const Page page = split_page(body, where, source, number, parser, sink);
    if (source.paging == HttpPaging::kPage) {
      if (page.records == 0) return;
      continue;
    }
    if (!page.cursor) return;
    if (!seen.insert(*page.cursor).second)
      throw Error(ErrorCode::kBadInput,
                  redact(fmt::format("{} (page {}): the cursor '{}' was given before; the API "
                                     "is going round in a loop",
                                     where, number, printable(*page.cursor, 100)),
                         source.token));
    cursor = page.cursor;
  }
}

}  // namespace causeway
