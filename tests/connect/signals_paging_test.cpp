// `causeway signals --url` against APIs that page wrongly (a mock on 127.0.0.1): each run must
// end with a message saying what the API did, not fetch forever.
#include <gtest/gtest.h>

#include <atomic>
#include <string>

#include "connect/mock_http_server.h"
#include "support/cli_runner.h"

namespace causeway::testing {
namespace {

const char* kMapping = R"({"id": "id", "columns": [{"name": "n", "aggregate": "count"}]})";

std::string page_of(const std::string& records, const std::string& cursor) {
  return R"({"data": [)" + records + R"(], "next_cursor": )" + cursor + "}";
}

CliResult fetch(const std::string& url, const std::string& extra, const std::string& tag) {
  const std::string mapping = write_temp_file(tag + "_map.json", kMapping);
  return run_cli("signals --url '" + url + "' --mapping " + mapping + " --out " +
                 temp_path(tag + ".csv") + " " + extra);
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Fault: an API that ignores ?page= served page 1 forever (779,030 requests in 10 minutes).
TEST(SignalsPaging, PagePaginationStopsWhenTheApiIgnoresThePageParameter) {
  MockHttpServer server([](const MockRequest&) -> MockResponse {
    return {200, R"({"data": [{"id": "A"}, {"id": "B"}]})", {}};
  });
  const CliResult r = fetch(server.url("/calls"), "--pagination page", "paging_same");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(has(r.err, "(page 2): the API sent the same records as for page 1")) << r.err;
  EXPECT_TRUE(has(r.err, "--page-param")) << r.err;
  EXPECT_EQ(server.requests().size(), 2u);
}

TEST(SignalsPaging, CursorPaginationStopsWhenTheSameRecordsComeUnderNewCursors) {
  std::atomic<int> served{0};
  MockHttpServer server([&](const MockRequest&) -> MockResponse {
    return {200, page_of(R"({"id": "A"})", "\"c" + std::to_string(++served) + "\""), {}};
  });
  const CliResult r = fetch(server.url("/calls"), "", "paging_same_cursor");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(has(r.err, "--cursor-param")) << r.err;
  EXPECT_EQ(server.requests().size(), 2u);
}

// Fault: empty pages, each with a new cursor, were followed without end.
TEST(SignalsPaging, CursorPaginationStopsAfterEmptyPagesWithoutEnd) {
  std::atomic<int> served{0};
  MockHttpServer server([&](const MockRequest&) -> MockResponse {
    const int n = ++served;
    return {200, page_of(n == 1 ? R"({"id": "A"})" : "", std::to_string(n)), {}};
  });
  const CliResult r = fetch(server.url("/calls"), "", "paging_empty");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(has(r.err, "10 empty pages in a row")) << r.err;
  EXPECT_EQ(server.requests().size(), 11u);  // one page of records, then ten empty ones
}

TEST(SignalsPaging, MaxPagesEndsARunawayApi) {
  std::atomic<int> served{0};
  MockHttpServer server([&](const MockRequest&) -> MockResponse {
    const std::string n = std::to_string(++served);
    return {200, page_of(R"({"id": ")" + n + R"("})", n), {}};
  });
  const CliResult r = fetch(server.url("/calls"), "--max-pages 3", "paging_max");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(has(r.err, "--max-pages 3 reached")) << r.err;
  EXPECT_EQ(server.requests().size(), 3u);
}

// Fault: `--url '...?cursor=10'` sent `?cursor=10&cursor=20` on the next page.
TEST(SignalsPaging, AParameterAlreadyInTheUrlIsReplacedNotRepeated) {
  MockHttpServer cursors([](const MockRequest& r) -> MockResponse {
    if (r.target == "/calls?cursor=10&team=x") return {200, page_of(R"({"id": "A"})", "20"), {}};
    if (r.target == "/calls?cursor=20&team=x") return {200, page_of(R"({"id": "B"})", "null"), {}};
    return {404, "no such page: " + r.target, {}};
  });
  CliResult r = fetch(cursors.url("/calls?cursor=10&team=x"), "", "paging_url_cursor");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(cursors.requests().size(), 2u);

  MockHttpServer pages([](const MockRequest& r) -> MockResponse {
    if (r.target == "/calls?limit=1&page=1") return {200, R"({"data": [{"id": "A"}]})", {}};
    if (r.target == "/calls?limit=1&page=2") return {200, R"({"data": []})", {}};
    return {404, "no such page: " + r.target, {}};
  });
  r = fetch(pages.url("/calls?limit=50&page=3"), "--pagination page --limit 1", "paging_url_page");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(pages.requests().size(), 2u);
}

// Fault: a 302 printed only "HTTP 302: {...}".
TEST(SignalsPaging, ARedirectSaysRedirectsAreNotFollowed) {
  MockHttpServer server([](const MockRequest&) -> MockResponse {
    return {302, R"({"moved": true})", {"Location: http://127.0.0.1:1/elsewhere"}};
  });
  const CliResult r = fetch(server.url("/calls"), "", "paging_redirect");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(has(r.err, "HTTP 302")) << r.err;
  EXPECT_TRUE(has(r.err, "redirects are not followed")) << r.err;
  EXPECT_TRUE(has(r.err, "(to http://127.0.0.1:1/elsewhere)")) << r.err;
  EXPECT_EQ(server.requests().size(), 1u);
}

}  // namespace
}  // namespace causeway::testing
