// What the `push` tests share: the token, a scores file of numbered customers, a CRM that logs
// what it accepted and can refuse, delay or drop requests, and the command line.
#pragma once

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "connect/mock_http_server.h"
#include "support/cli_runner.h"

namespace causeway::testing {

constexpr const char* kTokenVar = "CAUSEWAY_TEST_PUSH_TOKEN";
constexpr const char* kToken = "pUsh-s3cr3t/77c1+q";

// Customer i's id; 7 has a space and a slash, to be percent-encoded.
inline std::string id_of(int i) {
  return i == 7 ? "007 a/b" : fmt::format("c{:04}", i);
}
inline std::string target_of(int i) {
  return i == 7 ? "/customers/007%20a%2Fb" : "/customers/" + id_of(i);
}

// customer_id,predicted_uplift,segment: uplift i/1000, segment "s<i % 3>", customers 1 to rows.
inline std::string write_scores(const std::string& name, int rows) {
  const std::string path = temp_path(name);
  std::ofstream out(path, std::ios::binary);
  out << "customer_id,predicted_uplift,segment\n";
  for (int i = 1; i <= rows; ++i)
    out << '"' << id_of(i) << "\"," << i / 1000.0 << ",s" << i % 3 << "\n";
  return path;
}

inline std::vector<std::string> lines_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// A CRM: answers 200 to an authorised PUT /customers/<id>, after `delay_seconds`, unless
// `refuse` gives another answer (a status, a reset) for the n-th request overall (from 1), the
// k-th to this target (from 1). Keeps the targets it accepted, in order.
struct Crm {
  std::function<std::optional<MockResponse>(int n, int k, const MockRequest&)> refuse;
  std::vector<std::string> accepted;
  std::map<std::string, int> tries;  // requests per target
  int n = 0;
  double delay_seconds = 0;  // before every answer

  MockResponse operator()(const MockRequest& r) {
    const int k = ++tries[r.target];
    ++n;
    if (refuse)
      if (std::optional<MockResponse> no = refuse(n, k, r)) return *no;
    if (r.method != "PUT" || r.authorization != std::string("Bearer ") + kToken)
      return {405, "bad request line", {}};
    accepted.push_back(r.target);
    return {200, "{}", {}, delay_seconds};
  }
};

inline std::string push_args(const MockHttpServer& server, const std::string& scores) {
  return "push " + scores + " --url-template '" + server.url("/customers/{id}") +
         "' --body 'customAttributes.uplift_score=predicted_uplift,segment=segment'" +
         " --token-env " + kTokenVar;
}

// Neither the token nor any 6 bytes of it in a row.
inline void expect_no_token(const std::string& text, const std::string& where) {
  const std::string token = kToken;
  for (std::size_t at = 0; at + 6 <= token.size(); ++at)
    EXPECT_EQ(text.find(token.substr(at, 6)), std::string::npos)
        << where << " holds '" << token.substr(at, 6) << "':\n"
        << text;
}

inline void expect_no_token(const CliResult& r) {
  expect_no_token(r.out, "stdout");
  expect_no_token(r.err, "stderr");
}

}  // namespace causeway::testing
