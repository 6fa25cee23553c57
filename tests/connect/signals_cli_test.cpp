// `causeway signals`: a small interactions export, written here, whose table is computed by hand.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "connect/signals_run.h"
#include "support/cli_runner.h"

namespace causeway::testing {
namespace {

const char* kMapping = R"({
  "id": "customer.id",
  "id_column": "customer_id",
  "timestamp": "startedAt",
  "columns": [
    {"name": "risk_max", "source": "analysis.signal.riskScore", "aggregate": "max", "default": 0},
    {"name": "sentiment", "source": "analysis.sentiment", "aggregate": "mean"},
    {"name": "pricing", "source": {"contains": {"path": "intents", "value": "pricing"}},
     "aggregate": "any", "default": false},
    {"name": "called", "aggregate": "any", "default": 0,
     "source": {"all": [{"path": "channel", "equals": "voice"},
                        {"path": "direction", "equals": "outbound"}]}},
    {"name": "calls", "aggregate": "count",
     "source": {"path": "channel", "equals": "voice"}},
    {"name": "interactions", "aggregate": "count"},
    {"name": "risk_last", "source": "analysis.signal.riskScore", "aggregate": "last"},
    {"name": "minutes", "source": "durationMin", "aggregate": "sum", "default": 0}
  ]
})";

// Seven good records of customers 007, 7 and C3 among three bad ones (lines 4, 7 and 9).
const std::vector<std::string> kRecords = {
    R"({"customer": {"id": "007"}, "startedAt": "2024-03-01T10:00:00Z", "channel": "voice",)"
    R"( "direction": "outbound", "intents": ["pricing", "cancel"], "durationMin": 12,)"
    R"( "analysis": {"signal": {"riskScore": 0.8}, "sentiment": -0.5}})",
    R"({"customer": {"id": "7"}, "startedAt": "2024-03-02T09:00:00Z", "channel": "chat",)"
    R"( "direction": "inbound", "intents": [], "analysis": {"signal": {"riskScore": 0.25},)"
    R"( "sentiment": 0.5}})",
    R"({"customer": {"id": "007"}, "startedAt": "2024-02-01T10:00:00+01:00", "channel": "chat",)"
    R"( "intents": ["upgrade"], "analysis": {"signal": {"riskScore": 0.9}, "sentiment": 0.25}})",
    R"({"customer": {"id": "7"}, "startedAt": "2024-03-05", "channel": , "broken"})",
    R"({"customer": {"id": "C3"}, "startedAt": "2024-01-10T08:00:00Z", "channel": "voice",)"
    R"( "direction": "inbound", "durationMin": 3.5, "analysis": {"signal": {"riskScore": 0.4}}})",
    R"({"customer": {"id": "C3"}, "startedAt": "2024-01-12T08:00:00Z", "channel": "voice",)"
    R"( "direction": "outbound", "durationMin": 4, "intents": ["pricing"], "analysis": {}})",
    R"({"startedAt": "2024-03-05T00:00:00Z", "channel": "voice"})",
    R"({"customer": {"id": "7"}, "startedAt": "2024-03-03T12:00:00Z", "channel": "email",)"
    R"( "analysis": {"signal": {"riskScore": 0.1}}})",
    R"({"customer": {"id": "C3"}, "startedAt": "2024-01-20T08:00:00Z",)"
    R"( "analysis": {"signal": {"riskScore": "high"}}})",
    R"({"customer": {"id": "C3"}, "startedAt": "2024-01-11T08:00:00Z", "channel": "chat",)"
    R"( "analysis": {"signal": {"riskScore": 0.7}, "sentiment": -1}})",
};

// By hand, from the seven good records:
//  007: risk 0.8, 0.9 (max 0.9; last by time: 0.8 on 1 March, 0.9 on 1 February);
//       sentiment -0.5, 0.25 (mean -0.125); pricing in the first; called (voice outbound) in
//       the first; one voice record; 2 records; minutes 12 + default 0.
//  7:   risk 0.25, 0.1 (max 0.25; last is 3 March: 0.1); sentiment 0.5 (the other lacks it);
//       no pricing, not called, no voice; 2 records; minutes 0 + 0.
//  C3:  risk 0.4, missing (default 0 for max; nothing for last), 0.7: max 0.7, last by time
//       is 12 January's record without a score, so 11 January's 0.7; sentiment -1; pricing
//       on 12 January; called on 12 January; voice twice; 3 records; minutes 3.5 + 4 + 0.
const char* kExpected =
    "customer_id,risk_max,sentiment,pricing,called,calls,interactions,risk_last,minutes\n"
    "007,0.9,-0.125,1,1,1,2,0.8,12\n"
    "7,0.25,0.5,0,0,0,2,0.1,0\n"
    "C3,0.7,-1,1,1,2,3,0.7,7.5\n";

std::string jsonl() {
  std::string text;
  for (const auto& r : kRecords) text += r + "\n";
  return text;
}

std::string json_array() {
  std::string text = "[\n";
  for (std::size_t i = 0; i < kRecords.size(); ++i)
    text += "  " + kRecords[i] + (i + 1 < kRecords.size() ? ",\n" : "\n");
  return text + "]\n";
}

SignalsRun signals(const std::string& input, const std::string& extra, const std::string& tag) {
  return run_signals(input, kMapping, extra, tag);
}

TEST(SignalsCli, AggregatesTheExportAsComputedByHand) {
  const std::string input = write_temp_file("export.jsonl", jsonl());
  const SignalsRun r = signals(input, "--max-rejects 3 --json", "hand");
  ASSERT_EQ(r.result.exit_code, 0) << r.result.err;
  EXPECT_EQ(r.out, kExpected);
  const auto j = nlohmann::json::parse(r.result.out);
  EXPECT_EQ(j["records"], 10);
  EXPECT_EQ(j["accepted"], 7);
  EXPECT_EQ(j["rejected"], 3);
  EXPECT_EQ(j["customers"], 3);
  EXPECT_EQ(j["rejected_by_reason"]["invalid JSON"], 1);
  EXPECT_EQ(j["rejected_by_reason"]["missing id"], 1);
  EXPECT_EQ(j["rejected_by_reason"]["wrong type"], 1);
  // Defaults: risk_max stood in once (C3's empty analysis), pricing for the records without
  // intents (7's email, C3 on 10 and 11 January; 007 has intents both times), minutes in four.
  // "called" never: where the direction is missing the channel is not voice, so the flag is 0.
  std::map<std::string, nlohmann::json> columns;
  for (const auto& c : j["columns"]) columns[c["name"]] = c;
  EXPECT_EQ(columns["risk_max"]["defaults_used"], 1);
  EXPECT_EQ(columns["pricing"]["defaults_used"], 3);
  EXPECT_EQ(columns["called"]["defaults_used"], 0);
  EXPECT_EQ(columns["minutes"]["defaults_used"], 4);
  EXPECT_EQ(columns["sentiment"]["missing"], 3);  // no default: 7's email, C3 twice
  EXPECT_EQ(columns["risk_last"]["missing"], 1);
  EXPECT_EQ(columns["sentiment"]["empty_cells"], 0);
}

TEST(SignalsCli, WritesEachRejectWithItsPositionAndReason) {
  const std::string input = write_temp_file("rejects.jsonl", jsonl());
  const std::string rejects = temp_path("rejects_out.jsonl");
  const SignalsRun r = signals(input, "--max-rejects 3 --rejects " + rejects, "rej");
  ASSERT_EQ(r.result.exit_code, 0) << r.result.err;
  std::ifstream in(rejects);
  std::vector<nlohmann::json> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0]["line"], 4);
  EXPECT_EQ(lines[0]["reason"], "invalid JSON");
  EXPECT_EQ(lines[0]["record"], kRecords[3]);
  EXPECT_EQ(lines[1]["line"], 7);
  EXPECT_EQ(lines[1]["reason"], "missing id");
  EXPECT_EQ(lines[1]["field"], "customer.id");
  EXPECT_EQ(lines[2]["line"], 9);
  EXPECT_EQ(lines[2]["reason"], "wrong type");
  EXPECT_EQ(lines[2]["field"], "analysis.signal.riskScore");
  EXPECT_NE(lines[2]["detail"].get<std::string>().find("is text"), std::string::npos);
  for (const auto& l : lines) EXPECT_EQ(l["file"], input);
}

TEST(SignalsCli, TooManyRejectsFailsWithNothingWritten) {
  const std::string input = write_temp_file("strict.jsonl", jsonl());
  const std::string rejects = temp_path("strict_rejects.jsonl");
  for (const std::string limit : {"", "--max-rejects 2"}) {
    const SignalsRun r = signals(input, limit + " --rejects " + rejects, "strict");
    EXPECT_EQ(r.result.exit_code, 2) << limit;
    EXPECT_FALSE(file_exists(temp_path("strict.csv"))) << limit;
    EXPECT_EQ(r.result.out, "");
    const std::string& err = r.result.err;
    EXPECT_NE(err.find("3 of 10 records rejected"), std::string::npos) << err;
    EXPECT_NE(err.find(input + " line 4: invalid JSON"), std::string::npos) << err;
    EXPECT_NE(err.find("--max-rejects 3"), std::string::npos) << err;
    EXPECT_TRUE(file_exists(rejects));  // the reject file says why
  }
}

TEST(SignalsCli, ArrayLinesAndFolderGiveTheSameTable) {
  const std::string lines = write_temp_file("same.jsonl", jsonl());
  const std::string array = write_temp_file("same.json", json_array());
  const std::string folder = temp_path("pages");
  std::filesystem::create_directory(folder);
  std::string page1, page2 = "[";
  for (std::size_t i = 0; i < kRecords.size(); ++i)
    if (i < 4)
      page1 += kRecords[i] + "\n";
    else
      page2 += (i > 4 ? "," : "") + kRecords[i];
  write_temp_file("pages/page-01.jsonl", page1);
  write_temp_file("pages/page-02.json", page2 + "]");
  write_temp_file("pages/README.txt", "not a page");
  for (const auto& input : {lines, array, folder}) {
    const SignalsRun r = signals(input, "--max-rejects 3", "same");
    EXPECT_EQ(r.result.exit_code, 0) << input << "\n" << r.result.err;
    EXPECT_EQ(r.out, kExpected) << input;
  }
  const std::string rejects = temp_path("array_rejects.jsonl");
  signals(array, "--max-rejects 3 --rejects " + rejects, "arr");
  const auto first =
      nlohmann::json::parse(read_text_file(rejects).substr(0, read_text_file(rejects).find('\n')));
  EXPECT_EQ(first["index"], 3);
  EXPECT_EQ(first["line"], 5);  // the array's element 3 starts on line 5
}

TEST(SignalsCli, JoinReportsCustomersOnOneSideOnly) {
  const std::string input = write_temp_file("join.jsonl", jsonl());
  const std::string outcomes =
      write_temp_file("renewals.csv", "customer_id,renewed\n007,1\n7,0\nC9,1\nC10,0\n");
  const SignalsRun r =
      signals(input, "--max-rejects 3 --json --outcomes " + outcomes + " --on customer_id", "join");
  ASSERT_EQ(r.result.exit_code, 0) << r.result.err;
  EXPECT_EQ(r.out,
            "customer_id,risk_max,sentiment,pricing,called,calls,interactions,risk_last,minutes,"
            "renewed\n007,0.9,-0.125,1,1,1,2,0.8,12,1\n7,0.25,0.5,0,0,0,2,0.1,0,0\n");
  const auto j = nlohmann::json::parse(r.result.out)["join"];
  EXPECT_EQ(j["matched"], 2);
  EXPECT_EQ(j["signals_only"], 1);
  EXPECT_EQ(j["first_signals_only"], nlohmann::json({"C3"}));
  EXPECT_EQ(j["outcomes_only"], 2);
  EXPECT_EQ(j["first_outcomes_only"], nlohmann::json({"C9", "C10"}));
  const SignalsRun text =
      signals(input, "--max-rejects 3 --outcomes " + outcomes + " --on customer_id", "join_text");
  EXPECT_NE(text.result.out.find("1 only in the signals (no outcome): C3"), std::string::npos)
      << text.result.out;
  EXPECT_NE(text.result.out.find("2 only in the outcomes (no records): C9, C10"),
            std::string::npos);
}

TEST(SignalsCli, IdsStayText) {
  // "007" and "7" are two customers; a numeric id in the records is its decimal text.
  const std::string input = write_temp_file(
      "ids.jsonl",
      "{\"customer\": {\"id\": \"007\"}, \"startedAt\": \"2024-01-01\", \"durationMin\": 1}\n"
      "{\"customer\": {\"id\": 7}, \"startedAt\": \"2024-01-01\", \"durationMin\": 2}\n"
      "{\"customer\": {\"id\": \"7\"}, \"startedAt\": \"2024-01-02\", \"durationMin\": 4}\n");
  const std::string outcomes =
      write_temp_file("ids_outcomes.csv", "customer_id,renewed\n007,1\n7,0\n");
  const SignalsRun r = signals(input, "--outcomes " + outcomes + " --on customer_id", "ids");
  ASSERT_EQ(r.result.exit_code, 0) << r.result.err;
  EXPECT_NE(r.out.find("\n007,0,,0,0,0,1,,1,1\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\n7,0,,0,0,0,2,,6,0\n"), std::string::npos) << r.out;
}

TEST(SignalsCli, BadMappingAndJoinNameTheProblem) {
  const std::string input = write_temp_file("bad.jsonl", jsonl());
  const std::string mapping = write_temp_file(
      "bad_map.json", R"({"id": "customer.id", "columns": [{"name": "x", "source": "a",)"
                      R"( "aggregate": "median"}]})");
  const std::string out = temp_path("bad.csv");
  CliResult r = run_cli("signals " + input + " --mapping " + mapping + " --out " + out);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("column 'x'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("median"), std::string::npos) << r.err;
  const std::string outcomes = write_temp_file("bad_outcomes.csv", "customer,renewed\n007,1\n");
  const SignalsRun j =
      signals(input, "--max-rejects 3 --outcomes " + outcomes + " --on customer_id", "bad_join");
  EXPECT_EQ(j.result.exit_code, 2);
  EXPECT_NE(j.result.err.find("no column 'customer_id'"), std::string::npos) << j.result.err;
  EXPECT_FALSE(file_exists(temp_path("bad_join.csv")));
  const std::string truncated =
      write_temp_file("truncated.json", "[" + kRecords[0] + ",\n" + kRecords[1]);
  const SignalsRun t = signals(truncated, "", "truncated");
  EXPECT_EQ(t.result.exit_code, 2);
  EXPECT_NE(t.result.err.find("truncated"), std::string::npos) << t.result.err;
  EXPECT_FALSE(file_exists(temp_path("truncated.csv")));
}

// From records to an effect estimate: the table signals writes is read by `estimate` as is.
TEST(SignalsCli, FeedsEstimateEndToEnd) {
  std::string records, outcomes = "customer_id,renewed\n";
  for (int i = 0; i < 600; ++i) {
    const std::string id = "C" + std::to_string(1000 + i);
    const double risk = (i * 37 % 100) / 100.0;
    const bool called = (i * 7 % 10) < (risk > 0.5 ? 6 : 3);
    for (int k = 0; k < 2; ++k)
      records += fmt::format(
          "{{\"customer\": {{\"id\": \"{}\"}}, \"startedAt\": \"2024-01-0{}\", "
          "\"channel\": \"{}\", \"direction\": \"outbound\", \"durationMin\": {}, "
          "\"analysis\": {{\"signal\": {{\"riskScore\": {}}}, \"sentiment\": 0}}}}\n",
          id, k + 1, called && k == 0 ? "voice" : "chat", 1 + k, risk);
    const bool renewed = (i * 13 % 10) < (risk > 0.5 ? 3 : 7) + (called ? 1 : 0);
    outcomes += id + "," + (renewed ? "1" : "0") + "\n";
  }
  const std::string input = write_temp_file("e2e.jsonl", records);
  const std::string renewals = write_temp_file("e2e_renewals.csv", outcomes);
  const SignalsRun r = signals(input, "--outcomes " + renewals + " --on customer_id", "e2e");
  ASSERT_EQ(r.result.exit_code, 0) << r.result.err;
  const CliResult e = run_cli("estimate " + temp_path("e2e.csv") +
                              " --treatment called --outcome renewed --common-causes risk_max"
                              " --method regression,ipw --json");
  ASSERT_EQ(e.exit_code, 0) << e.err;
  const auto j = nlohmann::json::parse(e.out);
  ASSERT_EQ(j["estimates"].size(), 2u);
  EXPECT_EQ(j["rows_used"], 600);
  EXPECT_EQ(j["n_treated"].get<int>() + j["n_control"].get<int>(), 600);
}

}  // namespace
}  // namespace causeway::testing
