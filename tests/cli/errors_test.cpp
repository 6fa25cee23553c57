// Every loading error of issue 2, item 3, through the command line: exit code 2, a message that
// names the file, column and row where there is one, nothing on stdout and no output file.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <fstream>

#include "cli/cli_support.h"

namespace causeway::testing {
namespace {

std::string write_temp(const std::string& name, const std::string& text) {
  const std::string path = temp_path(name);
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

struct BadInput {
  std::string name, csv, args;
  std::vector<std::string> parts;
};

// Names the case in test listings (CTest shows the parameter).
void PrintTo(const BadInput& c, std::ostream* os) {
  *os << c.name;
}

class LoadErrors : public ::testing::TestWithParam<BadInput> {};

TEST_P(LoadErrors, EndInOneClearMessage) {
  const BadInput& c = GetParam();
  const std::string path = write_temp(c.name + ".csv", c.csv);
  std::vector<std::string> parts = c.parts;
  parts.push_back(c.name + ".csv");
  expect_refusal("estimate " + path + " " + c.args, parts);
}

const std::string kArgs = "--treatment t --outcome y --common-causes x";

INSTANTIATE_TEST_SUITE_P(
    Item3, LoadErrors,
    ::testing::Values(
        BadInput{"ragged", "t,y,x\n1,2,3\n0,1\n", kArgs, {"row 2", "line 3", "header has 3"}},
        BadInput{"unclosed_quote", "t,y,x\n1,2,\"3\n0,1,2\n", kArgs, {"line 2", "never closed"}},
        BadInput{"missing_column", "t,y,z\n1,2,3\n0,1,2\n", kArgs, {"no column named 'x'"}},
        BadInput{"typo_column", "t,y,xx\n1,2,3\n0,1,2\n", kArgs, {"did you mean 'xx'"}},
        BadInput{"missing_values",
                 "id,t,y,x\nA,1,2,3\nB,0,NA,2\nC,1,1,\nD,0,2,1\n",
                 kArgs,
                 {"'y' has 1 missing value (row 2 (id B))",
                  "'x' has 1 missing value (row 3 (id C))", "--drop-missing"}},
        BadInput{"three_values",
                 "t,y,x\n1,2,3\n0,1,2\n2,1,1\n",
                 kArgs,
                 {"'t'", "3 values", "--treated-value"}},
        BadInput{"text_treatment",
                 "t,y,x\nA,2,3\nB,1,2\n",
                 kArgs,
                 {"'t' is not coded 0/1", "found values A, B"}},
        BadInput{"absent_treated_value",
                 "t,y,x\nA,2,3\nB,1,2\n",
                 kArgs + " --treated-value C",
                 {"treated value C does not occur in 't'"}},
        BadInput{"single_level", "t,y,x\n1,2,3\n1,1,2\n", kArgs, {"'t' has a single level"}},
        BadInput{"text_outcome", "t,y,x\n1,a,3\n0,b,2\n", kArgs, {"outcome 'y' holds text"}},
        BadInput{"outcome_as_covariate",
                 "t,y,x\n1,2,3\n0,1,2\n",
                 "--treatment t --outcome y --common-causes x,y",
                 {"outcome 'y' cannot be used"}},
        BadInput{"infinite", "t,y,x\n1,2,3\n0,1,inf\n", kArgs, {"column 'x'", "row 2", "'inf'"}},
        BadInput{"categorical_measurement",
                 "t,y,x\n1,2,0.11\n0,1,0.52\n1,5,0.33\n0,0,0.94\n1,3,0.25\n0,1,0.61\n1,2,0.77\n"
                 "0,1,0.18\n1,4,0.49\n0,2,0.05\n1,3,0.86\n0,0,0.42\n",
                 "--treatment t --outcome y --common-causes x --categorical x",
                 {"'x' looks like an identifier", "leave it out of --categorical"}},
        BadInput{"underflow", "t,y,x\n1,2,3\n0,1,1e-400\n", kArgs, {"'1e-400'", "4.9e-324"}},
        BadInput{"duplicate_header", "t,y,x,x\n1,2,3,4\n0,1,2,3\n", kArgs, {"'x' appears twice"}},
        BadInput{"empty", "", kArgs, {"empty"}}),
    [](const auto& info) { return info.param.name; });

// Exit code 2 and `part` in standard error, for a command line run as given (expect_refusal adds
// --out, which these would take as a value or trip over); the result, for further checks.
CliResult expect_refused_as_given(const std::string& args, const std::string& part) {
  const CliResult r = run_cli(args);
  EXPECT_EQ(r.exit_code, 2) << args;
  EXPECT_NE(r.err.find(part), std::string::npos) << args << "\n" << r.err;
  return r;
}

TEST(Errors, MissingFileAndBadOptionsExitTwo) {
  expect_refusal("estimate /nonexistent/x.csv --treatment t --outcome y",
                 {"/nonexistent/x.csv", "cannot open"});
  // A device never ends: refused before a single read, not read until memory runs out.
  expect_refusal("estimate /dev/zero --treatment t --outcome y",
                 {"/dev/zero: is a device, not a file"});
  EXPECT_EQ(run_cli("estimate").exit_code, 2);
  EXPECT_EQ(run_cli("estimate x.csv --treatment t --outcome y --target all").exit_code, 2);
  const std::string csv = write_temp("ok.csv", "t,y\n1,2\n0,1\n1,3\n0,0\n");
  // A misspelled command or option is named, with the nearest right one (the parser said "A
  // subcommand is required", and "--treatment is required" for --treatmnt).
  expect_refusal("frobnicate", {"'frobnicate' is not a causeway command"});
  expect_refusal("estimat " + csv, {"'estimat' is not a causeway command", "'estimate'?"});
  expect_refusal("estimate " + csv + " --treatmnt t --outcome y",
                 {"'estimate' has no option --treatmnt (did you mean '--treatment'?)"});
  expect_refusal("estimate " + csv + " --treatment t --outcom=y",
                 {"'estimate' has no option --outcom (did you mean '--outcome'?)"});
  expect_refusal("--versio", {"causeway has no option --versio (did you mean '--version'?)"});
  // The ranges of a separating covariate are said in six digits, not seventeen.
  const std::string separated = write_temp(
      "separated.csv", "t,y,x\n1,2,0.1\n1,3,3.3\n0,1,-3.2756879999999997\n0,0,-0.031953\n");
  expect_refusal(
      "estimate " + separated + " --treatment t --outcome y --common-causes x " + "--method ipw",
      {"(treated 0.1 to 3.3, control -3.27569 to -0.031953)"});
  // Strata that cannot all be filled: the first three are named and the rest counted, on a line
  // that stays readable (LaLonde with 1,000 strata listed ten in 873 characters).
  const CliResult strata = expect_refused_as_given(
      "estimate " + shared_path("data/lalonde/lalonde_matchit.csv") +
          " --treatment treat --outcome re78 --common-causes age,educ,re74 --method "
          "stratification --strata 1000",
      "more; use fewer --strata");
  EXPECT_LT(strata.err.size(), 600u) << strata.err;
  // A name sharing no character with the given one is no suggestion ('t' for 'z').
  expect_refused_as_given("estimate " + csv + " --treatment t --outcome y --common-causes z",
                          "no column named 'z'; the columns are: t, y");
  // every option a command has passes the check (--out is one of them)
  EXPECT_EQ(run_cli("estimate " + csv + " --treatment t --outcome y --method naive").exit_code, 0);
  expect_refusal("estimate " + csv + " --treatment t --outcome y --method bogus",
                 {"unknown method 'bogus'", "naive, regression, matching"});
  // An empty list (an empty shell variable) is refused as such, not as "no column named ''".
  for (const char* empty : {"''", "' '", "','", "',,'"})
    expect_refusal("estimate " + csv + " --treatment t --outcome y --common-causes " + empty,
                   {"--common-causes: '", "' names nothing; give one name or more"});
  expect_refusal("estimate " + csv + " --treatment t --outcome y --method= --common-causes y",
                 {"--method: '' names nothing"});
  expect_refusal("estimate " + csv + " --treatment t --outcome y --common-causes 'x, ,y'",
                 {"--common-causes: an empty name"});
  // A comma at the start or end of a list, or two in a row, leave an empty name: refused as a
  // blank one is (the parser dropped it, and `--method ipw,` ran as if nothing were amiss).
  for (const char* list : {"ipw,", "naive,,ipw", ",ipw"})
    expect_refusal("estimate " + csv + " --treatment t --outcome y --method " + list,
                   {"--method: '" + std::string(list) + "' has an empty name"});
  expect_refusal("estimate " + csv + " --treatment t --outcome y --common-causes=y,",
                 {"--common-causes: 'y,' has an empty name"});
  // An option's value that is another option: the parser took it as the value (and wrote a file
  // named "--json" for `--out --json`); so is "--", which ends the options.
  expect_refusal("estimate " + csv + " --treatment --outcome y",
                 {"--treatment needs a value, and '--outcome' is an option"});
  expect_refused_as_given(
      "estimate " + csv + " --treatment t --outcome y --method naive --out --json",
      "--out needs a value, and '--json' is an option");
  EXPECT_NE(run_cli("simulate retention --n 10 --out --").err.find("'--' ends the options"),
            std::string::npos);
  // A long name after one dash, an option of one value given twice, a start several names share.
  expect_refusal("estimate " + csv + " -treatment t --outcome y",
                 {"has no option -treatment (did you mean '--treatment'?)"});
  expect_refusal("estimate " + csv + " --treatment t --treatment t --outcome y",
                 {"--treatment is given twice"});
  expect_refusal("estimate " + csv + " --treat t --outcome y",
                 {"did you mean '--treatment' or '--treated-value'?"});
  expect_refusal("estimate " + csv + " --treatment t --outcome y --h",
                 {"has no option --h (did you mean '--help'?)"});
  expect_refusal("help", {"'help' is not a causeway command (did you mean '--help'?)"});
  // A typographic dash pasted from a document is named (it read as the data file, and the run
  // said "--treatment is required"); '\t' in quotes is the tab it means.
  expect_refusal("estimate " + csv + " \u2014treatment t --outcome y",
                 {"begins with a typographic dash, not '-'", "type --treatment"});
  expect_refusal("estimate " + csv + " --treatment t --outcome y \u2013json",
                 {"type --json"});  // an en dash is what a word processor makes of "--"
  expect_refusal("\u2014help", {"type --help"});
  // A switch takes no value: "--dry-run=false" turned push's dry run off and sent the requests.
  expect_refusal("estimate " + csv + " --treatment t --outcome y --json=false",
                 {"--json is a switch and takes no value"});
  // A file name beginning with "-h" is no help request: it printed estimate's help, exit 0.
  expect_refusal("estimate --treatment t --outcome y -history.csv",
                 {"has no option -history.csv; a file name that begins with '-' goes after '--'"});
  const std::string tabbed = write_temp("tabbed.csv", "t\ty\n1\t2\n0\t1\n1\t3\n0\t0\n");
  EXPECT_EQ(run_cli("estimate " + tabbed +
                    " --treatment t --outcome y --method naive "
                    "--delimiter '\\t'")
                .exit_code,
            0);
  // A list typed with spaces leaves words over: the message says how a list is written.
  expect_refusal("estimate " + csv + " --treatment t --outcome y --common-causes t y",
                 {"not expected: y", "its names go separated by commas"});
  // An empty value after '=' (the parser took the next argument, an option too: `push ...
  // --journal= --dry-run` sent its requests), a value missing at the end, a file name with a
  // leading dash before '--', an option given under two of its names.
  expect_refused_as_given(
      "estimate " + csv + " --treatment t --outcome y --method naive --out= --json",
      "--out= has no value: give it after the '='");
  expect_refused_as_given("estimate " + csv + " --treatment t --outcome",
                          "--outcome needs a value: give it after --outcome");
  expect_refusal("estimate --treatment t --outcome y -data.csv",
                 {"'estimate' has no option -data.csv; a file name that begins with '-' goes "
                  "after '--'"});
  expect_refusal("estimate " + csv + " --treatment t --outcome y --id-column t --id y",
                 {"--id is given twice (or under another of its names)"});
}

// Every command that reads a data file refuses a device or a folder before reading it: analyze
// and identify read the header first, by themselves, and read /dev/zero until memory ran out.
// On a 0/1 outcome an effect outside [-1, 1] is impossible: aipw on twelve rows, one fold's
// propensity fit separated, gave 3.379 with nothing said (refute already discarded such draws).
TEST(Errors, AnImpossibleRiskDifferenceIsSaidToBeOne) {
  const std::string csv = write_temp(
      "tiny_binary.csv",
      "t,y,x,g\n0,0,-1.224,b\n1,1,0.378,a\n0,0,0.478,a\n1,1,1.098,b\n0,0,0.782,a\n1,0,0.967,b\n"
      "0,0,1.421,a\n1,0,-0.32,a\n0,1,0.605,a\n1,0,0.237,b\n0,0,-1.79,b\n1,1,0.702,a\n");
  const CliResult r =
      run_cli("estimate " + csv + " --treatment t --outcome y --common-causes x,g --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  std::size_t outside = 0;
  for (const auto& e : j["estimates"]) {
    const bool impossible = std::abs(e["estimate"].get<double>()) > 1;
    const bool said = e["warnings"].dump().find("impossible risk difference") != std::string::npos;
    EXPECT_EQ(impossible, said) << e.dump();
    outside += impossible;
  }
  EXPECT_GT(outside, 0u);  // the case is one (aipw: 3.379)
}

TEST(Errors, EveryCommandRefusesDevicesAndFoldersBeforeReading) {
  const std::string folder = temp_path("a_folder");
  ASSERT_EQ(run_shell("mkdir -p " + folder).exit_code, 0);
  for (const std::string command :
       {"estimate", "analyze", "refute", "diagnose", "identify", "describe"}) {
    const std::string roles =
        command == "describe" ? "" : " --treatment t --outcome y --common-causes x";
    for (const auto& [path, says] :
         {std::pair<std::string, std::string>{"/dev/zero", "is a device"},
          {folder, "is a folder"}}) {
      const CliResult r = run_cli(command + " " + path + roles);
      EXPECT_EQ(r.exit_code, 2) << command << " " << path << "\n" << r.err;
      EXPECT_NE(r.err.find(path + ": " + says), std::string::npos) << command << "\n" << r.err;
    }
  }
}

// Output that cannot be written (a full disk: /dev/full) fails the run with a message; it ended
// as a success with the output lost.
TEST(Errors, OutputThatCannotBeWrittenFailsTheRun) {
  const std::string csv = write_temp("full.csv", "t,y\n1,2\n0,1\n1,3\n0,0\n");
  const std::string bin = CAUSEWAY_BIN;
  for (const std::string& args :
       {"estimate " + csv + " --treatment t --outcome y --method naive",
        "estimate " + csv + " --treatment t --outcome y --json", std::string("--version")}) {
    // in a subshell: run_shell sends the whole command's output to its own files
    const CliResult r = run_shell("(" + bin + " " + args + " > /dev/full)");
    EXPECT_EQ(r.exit_code, 2) << args;
    EXPECT_NE(r.err.find("writing to standard output failed"), std::string::npos) << r.err;
  }
}

// Standard input redirected from a file is that file: --out and --report must not replace it
// (they did: the data file became the JSON or the HTML), and --out /dev/stdin must not either.
TEST(Errors, OutputNeverReplacesTheFileStandardInputReads) {
  const std::string text = "t,y\n1,2\n0,1\n1,3\n0,0\n";
  const std::string csv = write_temp("stdin_data.csv", text);
  const std::string bin = CAUSEWAY_BIN;
  const std::string args = " --treatment t --outcome y --method naive";
  for (const std::string& command :
       {bin + " estimate -" + args + " --out " + csv + " < " + csv,
        bin + " estimate -" + args + " --report " + csv + " < " + csv,
        bin + " estimate " + csv + args + " --out /dev/stdin < " + csv}) {
    const CliResult r = run_shell(command);
    EXPECT_EQ(r.exit_code, 2) << command;
    EXPECT_NE(r.err.find("is the input file"), std::string::npos) << r.err;
    std::ifstream in(csv);
    EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), text) << command;
  }
}

// Standard input that never ends fails when memory runs out, with a message that says so (it was
// "out of memory", naming nothing); here memory is limited to 1.5 GB.
TEST(Errors, AnEndlessInputIsNamedWhenMemoryRunsOut) {
  const CliResult r = run_shell("(ulimit -v 1500000; " + std::string(CAUSEWAY_BIN) +
                                " estimate - --treatment t --outcome y < /dev/zero)");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("/dev/stdin: the input had not ended when memory ran out"),
            std::string::npos)
      << r.err;
}

// A pipe can be read once: analyze and identify, which read the header before the table, take
// both from the one reading (they read the first row as the header before).
TEST(Errors, APipedFileReadsAsTheFileItself) {
  std::string text = "t,y,x\n";
  for (int i = 0; i < 400; ++i)
    text += std::to_string(i % 3 == 0) + "," + std::to_string(i % 7 + (i % 3 == 0)) + "," +
            std::to_string(i % 11) + "\n";
  const std::string csv = write_temp("piped.csv", text);
  const std::string bin = CAUSEWAY_BIN;
  for (const std::string command : {"analyze", "identify", "estimate"}) {
    const std::string roles = " --treatment t --outcome y --common-causes x";
    const CliResult file = run_cli(command + " " + csv + roles);
    const CliResult piped = run_shell("cat " + csv + " | " + bin + " " + command + " -" + roles);
    ASSERT_EQ(file.exit_code, 0) << command << "\n" << file.err;
    EXPECT_EQ(piped.exit_code, 0) << command << "\n" << piped.err;
    std::string expected = file.out;  // the same, but for the name of the input
    for (std::size_t at; (at = expected.find(csv)) != std::string::npos;)
      expected.replace(at, csv.size(), "/dev/stdin");
    EXPECT_EQ(unwrapped(piped.out), unwrapped(expected)) << command;
  }
}

// An error is one line: a line break in it comes from the data (here a level's name, in the
// separation finding) and is shown as \n.
TEST(Errors, AnErrorNamingALevelWithALineBreakStaysOnOneLine) {
  std::string text = "t,y,x,plan\n";
  for (int i = 0; i < 400; ++i)
    text += fmt::format("{},{},{},{}\n", i % 2, i % 7, (i * 37 % 101) / 10.0,
                        i % 40 == 1 ? "\"gold\nplus\"" : "basic");
  const CliResult r = run_cli("estimate " + write_temp("broken_level.csv", text) +
                              " --treatment t --outcome y --common-causes x,plan --method ipw");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("plan = gold\\nplus occurs only among treated units"), std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;
}

// The reports' tables, lists, refusals and warnings show such a level as gold\nplus too, each line
// whole (here the level is among treated units only, so the default methods that need overlap
// are refused naming it).
TEST(Errors, ALevelWithALineBreakKeepsEveryReportLineWhole) {
  std::string text = "t,y,x,plan\n";
  for (int i = 0; i < 200; ++i)
    text += fmt::format("{},{},{},{}\n", i % 2, i % 7, i * 37 % 101,
                        i % 6 == 1 ? "\"gold\nplus\"" : (i % 3 ? "basic" : "pro"));
  const std::string csv = write_temp("level_lines.csv", text);
  const std::string roles = " --treatment t --outcome y --common-causes x,plan";
  for (const std::string& command :
       {"estimate " + csv + roles, "diagnose " + csv + roles, "describe " + csv}) {
    const CliResult r = run_cli(command);
    ASSERT_EQ(r.exit_code, 0) << command << r.err;
    EXPECT_NE(r.out.find("gold\\nplus"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("\nplus"), std::string::npos) << r.out;  // no line starts with it
  }
}

TEST(Errors, OutNeverReplacesTheInputADeviceOrNothing) {
  const std::string csv = write_temp("keep.csv", "t,y\n1,2\n0,1\n1,3\n0,0\n");
  const std::string args = "estimate " + csv + " --treatment t --outcome y --method naive";
  EXPECT_EQ(run_cli(args + " --out " + csv).exit_code, 2);
  EXPECT_EQ(run_cli("estimate " + csv + " --treatment t --outcome y --out /dev/null").exit_code, 2);
  EXPECT_EQ(run_cli(args + " --out ''").exit_code, 2);
  std::ifstream in(csv);
  std::string first;
  std::getline(in, first);
  EXPECT_EQ(first, "t,y");  // the input is untouched
}

TEST(Errors, TextThatIsNotUtf8DoesNotBreakJson) {
  const std::string csv =
      write_temp("latin1.csv",
                 "t,y,city\n1,2,K\xf6ln\n0,1,Bonn\n1,3,Bonn\n0,2,K\xf6ln\n1,4,Bonn\n0,0,K\xf6ln\n");
  const CliResult r =
      run_cli("estimate " + csv + " --treatment t --outcome y --common-causes city --json");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const auto parsed = nlohmann::json::parse(r.out, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(parsed.is_discarded());
}

TEST(Errors, OneUnitPerArmHasNoInterval) {
  const std::string csv = write_temp("two.csv", "id,t,y\nA,1,5\nB,0,3\n");
  expect_refusal(
      "estimate " + csv + " --treatment t --outcome y --method naive",
      {csv + ": naive: an estimate with an interval needs at least 2 units in each arm"});
}

TEST(Errors, OptionValuesGetOneMessageSayingWhatIsWrong) {
  const std::string csv = write_temp("opts.csv", "t,y,x\n1,1,0.1\n0,0,0.2\n1,0,0.3\n0,1,0.4\n");
  const std::string base = "estimate " + csv + " --treatment t --outcome y --common-causes x ";
  expect_refusal(base + "--k 1.5", {"--k: '1.5' is not a whole number; give one from 1 to 100"});
  expect_refusal(base + "--k 0", {"--k: 0 is outside 1 to 100"});
  expect_refusal(base + "--caliper abc", {"--caliper: 'abc' is not a number"});
  const CliResult r = run_cli(base + "--caliper abc");
  EXPECT_EQ(r.err.find(" AND "), std::string::npos) << r.err;
}

TEST(Errors, UnknownCategoricalAndPipes) {
  const std::string csv = write_temp("cat.csv", "t,y,x\n1,2,a\n0,1,b\n1,3,a\n0,0,b\n");
  expect_refusal("estimate " + csv + " --treatment t --outcome y --categorical nope",
                 {"--categorical names 'nope'"});
  const CliResult r =
      run_cli("estimate /dev/stdin --treatment t --outcome y --method naive --json < " + csv);
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST(Errors, DashReadsStandardInputAndRepeatedIdsAreWarned) {
  const std::string csv = write_temp("dup.csv", "id,t,y\n1,1,5\n1,1,6\n2,0,3\n3,0,4\n4,1,2\n");
  const CliResult r =
      run_cli("estimate - --treatment t --outcome y --method naive --json < " + csv);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("repeats 1 values"), std::string::npos);
}

TEST(Errors, MoreFoldsThanRowsRefused) {
  expect_refusal(
      "estimate " + case_file("C26") +
          " --treatment offer --outcome churned --common-causes plan,region,tenure_months "
          "--method aipw --folds 100",
      {"--folds 100 exceeds the 20 rows"});
}

TEST(Errors, SimulateLeavesNoPartialFile) {
  const CliResult r = run_cli("simulate retention --n 100 --out /nonexistent/dir/out.csv");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("/nonexistent/dir/out.csv"), std::string::npos);
  EXPECT_EQ(run_cli("simulate nonsense --n 100 --out " + temp_path("x.csv")).exit_code, 2);
  EXPECT_FALSE(file_exists(temp_path("x.csv")));
}

TEST(Errors, DelimiterQuotingAndBomThroughTheCommand) {
  const std::string csv = write_temp("semicolon.csv",
                                     "\xEF\xBB\xBF"
                                     "id;note;t;y\r\nA;\"a; b\";1;3\r\nB;\"x \"\"q\"\"\";0;1\r\n"
                                     "C;\"two\nlines\";1;4\r\nD;;0;2\r\n");
  const auto j = estimate_json(csv + " --treatment t --outcome y --method naive");
  EXPECT_NEAR(first_estimate(j), 2.0, 1e-12);
  EXPECT_EQ(j["rows_used"], 4);
}

}  // namespace
}  // namespace causeway::testing

namespace causeway::testing {
namespace {

TEST(RoleErrors, MediatorsAndInstrumentsAreCheckedLikeCommonCauses) {
  const std::string csv = temp_path("roles.csv");
  {
    std::ofstream out(csv);
    out << "t,y,z,m,c\n";
    for (int i = 0; i < 40; ++i)
      out << (i % 2) << "," << (i % 7) << "," << (i == 17 ? "abc" : std::to_string(i % 3 == 0))
          << "," << (i % 2) * 2 + i % 5 << ",1\n";
  }
  const std::string base = "estimate " + csv + " --treatment t --outcome y ";
  expect_refusal(base + "--method iv --instruments z", {"'z' holds numbers except for 'abc'"});
  expect_refusal(base + "--method frontdoor --mediators c", {"mediator", "a mediator must vary"});
  expect_refusal(base + "--method iv --instruments y", {"'y' is given as an instrument and is also "
                                                        "the outcome"});
  expect_refusal(base + "--method iv --instruments t", {"the treatment"});
}

TEST(RoleErrors, ConstantOutcomeIsRefused) {
  const std::string csv = temp_path("constant.csv");
  std::ofstream(csv) << "t,y,x\n1,5,1\n0,5,2\n1,5,3\n0,5,4\n1,5,5\n0,5,6\n";
  expect_refusal("estimate " + csv + " --treatment t --outcome y --common-causes x --method naive",
                 {"outcome 'y' is constant (5 in every row used)"});
}

TEST(RoleErrors, DecimalCommasInASemicolonFileAreNotCategories) {
  const std::string csv = temp_path("semi.csv");
  std::ofstream(csv) << "t;y;x\n1;2;1,5\n0;3;2,0\n1;4;2,5\n0;1;3,0\n1;2;1,5\n0;3;2,0\n";
  expect_refusal("estimate " + csv + " --treatment t --outcome y --common-causes x --method naive",
                 {"'x' holds numbers written with a decimal comma ('1,5')", "rewrite them as 1.5"});
}

TEST(RoleErrors, FrontDoorGivesTheAnalyticIntervalOnRequest) {
  const std::string csv = temp_path("fd.csv");
  {
    std::ofstream out(csv);
    out << "t,m,y\n";
    for (int i = 0; i < 200; ++i)
      out << i % 2 << "," << (i % 2) + (i % 5) * 0.1 << "," << i % 7 << "\n";
  }
  const auto j = estimate_json(csv +
                               " --treatment t --outcome y --method frontdoor --mediators m "
                               "--bootstrap 0");
  EXPECT_NE(j["estimates"][0]["se_method"].get<std::string>().find("delta method"),
            std::string::npos);
  const auto warned =
      estimate_json(csv + " --treatment t --outcome y --method naive --mediators m");
  EXPECT_NE(warned["warnings"].dump().find("--mediators is used only by the frontdoor method"),
            std::string::npos);
}

}  // namespace
}  // namespace causeway::testing
