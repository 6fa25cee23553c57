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

// `url` with each of `params` set: a parameter already in the query has its value replaced
// (`?cursor=10` becomes `?cursor=20`, not `?cursor=10&cursor=20`), any other is appended.
std::string with_params(const std::string& url,
                        const std::vector<std::pair<std::string, std::string>>& params) {
  const std::size_t hash = url.find('#');
  std::string out = url.substr(0, hash);
  for (const auto& [name, value] : params) {
    const std::string key = url_escape(name) + "=", pair = key + url_escape(value);
    const std::size_t query = out.find('?');
    std::size_t at = query;
    while (at != std::string::npos && out.compare(at + 1, key.size(), key) != 0)
      at = out.find('&', at + 1);
    if (at == std::string::npos) {
      out += (query == std::string::npos ? "?" : "&") + pair;
      continue;
    }
    const std::size_t end = out.find('&', at + 1);
    out.replace(at + 1, (end == std::string::npos ? out.size() : end) - at - 1, pair);
  }
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
  if (r.response.status >= 300 && r.response.status < 400)
    throw Error(ErrorCode::kIo,
                fmt::format("{}: HTTP {}: the server redirects elsewhere{}, and redirects are not "
                            "followed (the token must not travel to another address); give "
                            "--url the address the API answers at",
                            where, r.response.status,
                            r.response.location.empty()
                                ? ""
                                : " (to " + redact(r.response.location, source.token) + ")"));
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

// Consecutive empty pages, each with a new cursor, taken as an API that does not move on.
constexpr std::size_t kMaxEmptyPages = 10;

struct Page {
  simdjson::dom::array records;
  std::string text;                   // the records as JSON, to recognise a page served again
  std::optional<std::string> cursor;  // cursor paging: the next page's cursor
};

std::optional<std::string> next_cursor(element root, const std::string& where,
                                       const HttpSource& source) {
  const std::optional<element> cursor = at_path(root, source.cursor_field);
  if (!cursor || cursor->is_null()) return std::nullopt;
  std::string text;
  if (cursor->type() == element_type::STRING)
    text = std::string(cursor->get_string().value_unsafe());
  else if (cursor->is_int64() || cursor->is_uint64())
    text = simdjson::to_string(*cursor);
  else
    throw Error(ErrorCode::kBadInput,
                fmt::format("{}: the cursor '{}' is neither text nor a whole number", where,
                            source.cursor_field));
  if (text.empty()) return std::nullopt;
  return text;
}

// One page's records (still in `parser`) and its cursor, if any.
Page parse_page(const std::string& body, const std::string& where, const HttpSource& source,
                simdjson::dom::parser& parser) {
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
  Page page{records->get_array().value_unsafe(), simdjson::to_string(*records), std::nullopt};
  if (source.paging == HttpPaging::kCursor) page.cursor = next_cursor(root, where, source);
  return page;
}

// Hands each record of a page to the sink.
void hand_over(const Page& page, const std::string& url, std::size_t page_number,
               const RecordSink& sink) {
  std::vector<char> text;
  std::size_t index = 0;
  for (element record : page.records) {
    const std::string json = simdjson::to_string(record);
    text.assign(json.begin(), json.end());
    text.resize(json.size() + simdjson::SIMDJSON_PADDING, '\0');  // readable past the end
    RawRecord raw{std::string_view(text.data(), json.size()), {url, 0, true, index++}, ""};
    raw.position.page = page_number;
    sink(raw);
  }
}

[[noreturn]] void stuck(const std::string& where, std::size_t number, const std::string& what) {
  throw Error(ErrorCode::kBadInput, fmt::format("{} (page {}): {}", where, number, what));
}

// Stops an API that serves the same page again, or empty pages without end, instead of
// fetching forever.
class PagingGuard {
 public:
  PagingGuard(const HttpSource& source, const std::string& where)
      : source_(source), where_(where) {}

  void check(const Page& page, std::size_t number) {
    const bool by_page = source_.paging == HttpPaging::kPage;
    if (page.records.size() != 0 && page.text == previous_)
      stuck(where_, number,
            fmt::format("the API sent the same records as for page {}, so it seems to ignore "
                        "the {} parameter '{}'; check its name ({})",
                        number - 1, by_page ? "page" : "cursor",
                        by_page ? source_.page_param : source_.cursor_param,
                        by_page ? "--page-param, or use --pagination cursor" : "--cursor-param"));
    previous_ = page.text;
    empty_run_ = page.records.size() == 0 ? empty_run_ + 1 : 0;
    if (!by_page && empty_run_ >= kMaxEmptyPages)
      stuck(where_, number,
            fmt::format("{} empty pages in a row, each with a new cursor: the API does not "
                        "seem to come to an end; check --cursor-field '{}' and --cursor-param "
                        "'{}'",
                        empty_run_, source_.cursor_field, source_.cursor_param));
    if (number >= source_.max_pages)
      stuck(where_, number,
            fmt::format("--max-pages {} reached and the API still has more; raise --max-pages "
                        "if the export really is that long",
                        source_.max_pages));
  }

 private:
  const HttpSource& source_;
  const std::string& where_;
  std::string previous_;
  std::size_t empty_run_ = 0;
};

}  // namespace

void read_http_records(const HttpSource& source, const RecordSink& sink, HttpStats& stats) {
  simdjson::dom::parser parser;
  std::optional<std::string> cursor;
  std::unordered_set<std::string> seen;
  const std::string where = redact(source.url, source.token);
  PagingGuard guard(source, where);
  for (std::size_t number = 1;; ++number) {
    std::string url = source.url;
    if (source.paging == HttpPaging::kPage)
      url = with_params(url, {{source.page_param, std::to_string(number)},
                              {source.limit_param, std::to_string(source.limit)}});
    else if (cursor)
      url = with_params(url, {{source.cursor_param, *cursor}});
    const std::string body = fetch(url, source, number, stats);
    ++stats.pages;
    const Page page = parse_page(body, fmt::format("{} (page {})", where, number), source, parser);
    const bool last = source.paging == HttpPaging::kPage ? page.records.size() == 0 : !page.cursor;
    if (!last) guard.check(page, number);
    hand_over(page, where, number, sink);
    if (last) return;
    if (source.paging == HttpPaging::kPage) continue;
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
