// `causeway push` and its secrets: a failing run whose CRM echoes the token back (plainly, at the
// cut of a body excerpt, percent-encoded, JSON-escaped) leaves it in no output or file; TLS is
// verified (by push and by signals --url) unless --insecure, which says so on stderr. All
// servers listen on 127.0.0.1.
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <chrono>
#include <thread>

#include "connect/push_fixture.h"

namespace causeway::testing {
namespace {

std::optional<MockResponse> echo_token(int i, const MockRequest& r) {
  const std::string bearer = r.authorization;
  if (i == 3) return MockResponse{400, "you sent Authorization: " + bearer, {}};
  if (i == 5)  // the 300-byte excerpt would end inside the token
    return MockResponse{500, std::string(300 - 18, 'x') + bearer, {"Retry-After: 0"}};
  if (i == 9) return MockResponse{422, R"({"echo":"pUsh-s3cr3t\/77c1+q"})", {}};
  if (i == 11) return MockResponse{400, "seen: pUsh-s3cr3t%2F77c1%2Bq", {}};
  if (i == 40) return MockResponse{401, "bad token " + bearer, {}};
  return std::nullopt;
}

TEST(PushSecrets, AFailingRunLeavesTheTokenInNoOutputOrFile) {
  Crm crm;
  crm.refuse = [](int, int, const MockRequest& r) {
    for (int i = 1; i <= 60; ++i)
      if (target_of(i) == r.target) return echo_token(i, r);
    return std::optional<MockResponse>{};
  };
  MockHttpServer server([&](const MockRequest& r) { return crm(r); });
  ::setenv(kTokenVar, kToken, 1);
  const std::string scores = write_scores("secrets.csv", 60);
  for (const std::string format : {"", " --json"}) {
    const std::string name = format.empty() ? "secrets_text" : "secrets_json";
    const std::string journal = temp_path(name + ".journal"), failures = temp_path(name + ".csv");
    const CliResult r =
        run_cli(push_args(server, scores) + format + " --retries 1 --concurrency 2" +
                " --journal " + journal + " --failures " + failures);
    EXPECT_EQ(r.exit_code, 4) << r.err;
    expect_no_token(r);
    expect_no_token(read_text_file(journal), "journal");
    const std::string failed = read_text_file(failures);
    expect_no_token(failed, "failures file");
    // The CRM did echo it: the failures file says where, redacted.
    EXPECT_NE(failed.find("you sent Authorization: Bearer [redacted]"), std::string::npos);
    EXPECT_NE(failed.find(R"({""echo"":""[redacted]""})"), std::string::npos) << failed;
    EXPECT_NE(failed.find("seen: [redacted]"), std::string::npos);
    EXPECT_NE(r.out.find("refused the token (HTTP 401)"), std::string::npos) << r.out;
  }
}

TEST(PushSecrets, InsecureWarnsOnStderr) {
  Crm crm;
  MockHttpServer server([&](const MockRequest& r) { return crm(r); });
  ::setenv(kTokenVar, kToken, 1);
  const std::string scores = write_scores("insecure.csv", 3);
  const CliResult plain = run_cli(push_args(server, scores));
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_EQ(plain.err, "");
  const CliResult insecure = run_cli(push_args(server, scores) + " --insecure");
  ASSERT_EQ(insecure.exit_code, 0) << insecure.err;
  EXPECT_NE(insecure.err.find("warning: --insecure: the server's TLS certificate is not verified"),
            std::string::npos)
      << insecure.err;
  expect_no_token(insecure);
}

// openssl s_server on 127.0.0.1 with a self-signed certificate; its port from its first line.
struct TlsServer {
  Child child;
  int port = 0;
  TlsServer(const std::string& cert, const std::string& key) {
    child = start_shell("openssl s_server -www -accept 127.0.0.1:0 -cert " + cert + " -key " + key);
    for (int i = 0; i < 500 && port == 0; ++i) {
      const std::string out = read_text_file(child.out_path);
      const std::size_t at = out.find("ACCEPT 127.0.0.1:");
      if (at != std::string::npos) port = std::atoi(out.c_str() + at + 17);
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  ~TlsServer() {
    ::kill(child.pid, SIGTERM);
    ::waitpid(child.pid, nullptr, 0);
  }
};

TEST(PushSecrets, TlsIsVerifiedUnlessInsecureInPushAndSignals) {
  if (run_shell("command -v openssl").exit_code != 0) GTEST_SKIP() << "no openssl program";
  const std::string cert = temp_path("tls_cert.pem"), key = temp_path("tls_key.pem");
  ASSERT_EQ(run_shell("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 "
                      "-nodes -subj /CN=localhost -days 1 -keyout " +
                      key + " -out " + cert)
                .exit_code,
            0);
  TlsServer server(cert, key);
  ASSERT_GT(server.port, 0) << read_text_file(server.child.err_path);
  ::setenv(kTokenVar, kToken, 1);
  const std::string scores = write_scores("tls.csv", 1);
  const std::string args =
      "push " + scores + " --url-template https://127.0.0.1:" + std::to_string(server.port) +
      "/customers/{id} --body s=segment" + " --retries 0 --token-env " + kTokenVar;
  const CliResult verified = run_cli(args);
  EXPECT_EQ(verified.exit_code, 4);
  EXPECT_NE(verified.out.find("certificate"), std::string::npos) << verified.out;
  // Without verification the handshake passes; this server then leaves a PUT unanswered (the
  // request times out), which is all this test needs.
  const CliResult insecure = run_cli(args + " --insecure --timeout 1");
  EXPECT_EQ(insecure.out.find("certificate"), std::string::npos) << insecure.out;
  EXPECT_NE(insecure.err.find("warning: --insecure"), std::string::npos) << insecure.err;
  expect_no_token(verified);
  expect_no_token(insecure);
  // signals --url likewise (this server answers a GET with a page that is not JSON).
  const std::string mapping = write_temp_file(
      "tls_mapping.json", R"({"id": "id", "columns": [{"name": "n", "aggregate": "count"}]})");
  const std::string get = "signals --url https://127.0.0.1:" + std::to_string(server.port) +
                          "/records --mapping " + mapping + " --out " + temp_path("tls.csv") +
                          " --retries 0 --timeout 2 --token-env " + kTokenVar;
  const CliResult checked = run_cli(get), unchecked = run_cli(get + " --insecure");
  EXPECT_EQ(checked.exit_code, 2);
  EXPECT_NE(checked.err.find("certificate"), std::string::npos) << checked.err;
  EXPECT_EQ(unchecked.exit_code, 2);
  const std::size_t error = unchecked.err.find("error:");
  ASSERT_NE(error, std::string::npos) << unchecked.err;
  EXPECT_EQ(unchecked.err.find("certificate", error), std::string::npos) << unchecked.err;
  EXPECT_NE(unchecked.err.find("warning: --insecure"), std::string::npos) << unchecked.err;
  expect_no_token(checked);
  expect_no_token(unchecked);
}

}  // namespace
}  // namespace causeway::testing
