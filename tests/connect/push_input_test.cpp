// What `push` refuses before sending anything, and how it spells each column's values.
#include <gtest/gtest.h>

#include <cstdlib>

#include "cli/cli_support.h"

namespace causeway::testing {
namespace {

const std::string kTemplate = " --url-template 'http://127.0.0.1:9/c/{id}' ";

CliResult dry_run(const std::string& csv, const std::string& body, const std::string& extra = "") {
  return run_cli("push " + write_temp_file("scores.csv", csv) + kTemplate + "--body '" + body +
                 "' --dry-run " + extra);
}

void expect_refused(const CliResult& r, const std::vector<std::string>& parts) {
  EXPECT_EQ(r.exit_code, 2) << r.err;
  for (const auto& p : parts)
    EXPECT_NE(r.err.find(p), std::string::npos) << r.err << "\nlacks " << p;
  EXPECT_EQ(r.out, "");
}

// With --json a dry run prints one JSON object, its requests in it (they were lines before it, so
// the output did not parse).
TEST(PushInput, ADryRunWithJsonIsOneJsonObject) {
  const CliResult r = dry_run("customer_id,u\nA,0.5\nB,0.25\n", "u=u", "--json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out);  // throws on anything but one object
  ASSERT_EQ(j["dry_run_requests"].size(), 2u);
  EXPECT_EQ(j["dry_run_requests"][0], "PUT http://127.0.0.1:9/c/A {\"u\":0.5}");
  EXPECT_EQ(j["rows"], 2);
}

// The rate options say what is wrong as every number option does (CLI11's range check printed
// "Value abc not in range 0.010000 to 100000.000000").
TEST(PushInput, RateOptionsSayWhatIsWrong) {
  const std::string csv = "customer_id,u\nA,0.5\n";
  expect_refused(dry_run(csv, "u=u", "--rps abc"), {"--rps: 'abc' is not a number"});
  expect_refused(dry_run(csv, "u=u", "--concurrency 0"), {"--concurrency: 0 is outside 1 to 64"});
}

TEST(PushInput, BytesThatAreNotUtf8AreRefusedBeforeAnythingIsSent) {
  expect_refused(dry_run("customer_id,note\nA,ok\nB,caf\xe9\n", "n=note"),
                 {"row 2, column 'note'", "not UTF-8", "0xE9"});
}

TEST(PushInput, ANumberColumnNeverChangesItsJsonType) {
  for (const char* junk : {"nan", "inf", "1e400", "NA", "+1", ".5"})
    expect_refused(dry_run(std::string("customer_id,u\nA,0.5\nB,") + junk + "\n", "u=u"),
                   {"row 2, column 'u'", "no number a CRM can store"});
  expect_refused(dry_run("customer_id,u\nA,0.5\nB,\n", "u=u"),
                 {"row 2, column 'u'", "no value", "erase the field"});
  // Text among numbers: the whole column goes as text, and the run says so.
  const CliResult mixed = dry_run("customer_id,code\nA,12\nB,007\nC,X9\n", "code=code");
  ASSERT_EQ(mixed.exit_code, 0) << mixed.err;
  EXPECT_NE(mixed.out.find("{\"code\":\"12\"}"), std::string::npos) << mixed.out;
  EXPECT_NE(mixed.out.find("{\"code\":\"007\"}"), std::string::npos) << mixed.out;
  EXPECT_NE(mixed.out.find("note: column 'code' is sent as text for every row: row 2 holds "
                           "'007'"),
            std::string::npos)
      << mixed.out;
  const CliResult numbers = dry_run("customer_id,u\nA,0.5\nB,-1e-9\n", "u=u");
  EXPECT_NE(numbers.out.find("{\"u\":-1e-09}"), std::string::npos) << numbers.out;
}

TEST(PushInput, AColumnWithNoUsableValueIsNotSentAsText) {
  // Every value empty, or every value a number gone wrong: read as text they would erase the
  // field or store "nan" (found by a new user).
  expect_refused(dry_run("customer_id,u\nA,\nB,\n", "u=u"),
                 {"row 1, column 'u'", "no value", "erase the field"});
  expect_refused(dry_run("customer_id,u\nA,nan\nB,inf\n", "u=u"),
                 {"row 1, column 'u'", "'nan' is no number a CRM can store"});
  expect_refused(dry_run("customer_id,u\nA,1e400\n", "u=u"), {"'1e400' is no number"});
  expect_refused(dry_run("customer_id,note\nA,ok\nB,\n", "n=note"),
                 {"row 2, column 'note'", "no value"});
  // Text columns of codes and words still go as text.
  const CliResult codes = dry_run("customer_id,code\nA,007\nB,x\n", "c=code");
  EXPECT_EQ(codes.exit_code, 0) << codes.err;
}

TEST(PushInput, TheIdNeverChoosesTheServer) {
  const std::string csv = write_temp_file("h.csv", "customer_id,u\nevil.example,1\n");
  for (const char* t : {"http://{id}/c", "https://crm.example{id}/c", "http://crm.example:{id}/c",
                        "https://{id}"}) {
    const CliResult r = run_cli("push " + csv + " --url-template '" + t + "' --body u=u --dry-run");
    expect_refused(r, {"puts {id} in the server's name or port"});
  }
  const CliResult query = run_cli("push " + csv +
                                  " --url-template 'http://127.0.0.1:9/c?id={id}' --body u=u "
                                  "--dry-run");
  EXPECT_EQ(query.exit_code, 0) << query.err;
  EXPECT_NE(query.out.find("http://127.0.0.1:9/c?id=evil.example"), std::string::npos) << query.out;
}

TEST(PushInput, DotIdsAndUnknownPlaceholdersAreRefused) {
  for (const char* id : {".", ".."})
    expect_refused(dry_run(std::string("customer_id,u\nA,1\n") + id + ",2\n", "u=u"),
                   {"row 2", "cannot be sent in a URL"});
  const CliResult r = run_cli("push " + write_temp_file("s.csv", "customer_id,u\nA,1\n") +
                              " --url-template 'http://127.0.0.1:9/c/{id}/{name}' --body u=u "
                              "--dry-run");
  expect_refused(r, {"'{name}' is no placeholder"});
}

TEST(PushInput, ATokenIsOneLineOfPrintableCharacters) {
  const std::string csv = write_temp_file("t.csv", "customer_id,u\nA,1\n");
  const std::string command = std::string(CAUSEWAY_BIN) + " push " + csv + kTemplate +
                              "--body u=u --dry-run --token-env PT";
  // The variable's value is quoted for the shell with its line breaks as they are.
  const auto with_token = [&](const std::string& token) {
    return run_shell("PT='" + token + "' " + command);
  };
  // A trailing line break (a token read from a file) is dropped.
  EXPECT_EQ(with_token("tok123\n").exit_code, 0);
  EXPECT_EQ(with_token("tok123\r\n").exit_code, 0);
  // One inside would end the Authorization header and smuggle the rest in as a header.
  const CliResult injected = with_token("tok\r\nX-Injected: yes");
  EXPECT_EQ(injected.exit_code, 2) << injected.err;
  EXPECT_NE(injected.err.find("control character (a line break or tab) at position 4"),
            std::string::npos)
      << injected.err;
  EXPECT_EQ(injected.err.find("X-Injected"), std::string::npos) << injected.err;
  EXPECT_EQ(with_token("tok\tx").exit_code, 2);
}

}  // namespace
}  // namespace causeway::testing
