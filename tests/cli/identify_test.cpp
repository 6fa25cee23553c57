// `causeway identify` on the graph cases C16 and C17, and every malformed graph.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "cli/cli_support.h"

namespace causeway::testing {
namespace {

std::string write_graph(const std::string& name, const std::string& text) {
  const std::string path = temp_path(name);
  std::ofstream(path) << text;
  return path;
}

// Runs identify and expects exit code 2 with every part in stderr and nothing on stdout.
void expect_graph_error(const std::string& args, const std::vector<std::string>& parts) {
  const CliResult r = run_cli("identify " + args);
  EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.err;
  for (const auto& p : parts)
    EXPECT_NE(r.err.find(p), std::string::npos)
        << args << "\nstderr: " << r.err << "\nlacks: " << p;
  EXPECT_EQ(r.out, "") << args;
}

TEST(IdentifyCli, C16_CycleIsPrintedForDotAndGml) {
  const std::string base = case_file("C16") + " --treatment offer --outcome churned --graph ";
  for (const std::string file : {"graph.dot", "graph.gml"})
    expect_graph_error(base + shared_path("cases/C16/" + file),
                       {"graph is not acyclic: cycle offer -> engagement -> offer"});
  expect_graph_error(base + write_graph("loop.dot", "digraph { offer -> churned; a -> a; }"),
                     {"graph is not acyclic: cycle a -> a"});
}

TEST(IdentifyCli, C16_TypoBecomesUnobservedWithWarnings) {
  const std::string args = case_file("C16") + " --treatment offer --outcome churned --graph " +
                           shared_path("cases/C16/graph_typo.dot");
  const CliResult r = run_cli("identify " + args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const std::string out = unwrapped(r.out);
  for (const std::string part :
       {"graph node 'tenure_months' has no column in the data (closest: 'tenure_month'); "
        "treated as UNOBSERVED",
        "data column 'region' is not in the graph (ignored)", "unobserved: tenure_months",
        "backdoor adjustment: does not apply", "front-door (default)", "mediators: {engagement}"})
    EXPECT_NE(out.find(part), std::string::npos) << r.out << "\nlacks: " << part;
  expect_graph_error(args + " --strict-names", {"graph node 'tenure_months' has no column"});
}

TEST(IdentifyCli, C16_FixedGraphGivesBackdoorAndFrontdoorSets) {
  const CliResult r =
      run_cli("identify " + case_file("C16") + " --treatment offer --outcome churned --json " +
              "--graph " + shared_path("cases/C16/graph_fixed.dot"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_TRUE(j["identifiable"].get<bool>());
  const auto& s = j["strategies"];
  EXPECT_EQ(s[0]["name"], "backdoor");
  EXPECT_EQ(s[0]["variables"], nlohmann::json({"tenure_month"}));
  EXPECT_TRUE(s[0]["default"].get<bool>());
  EXPECT_EQ(s[1]["name"], "frontdoor");
  EXPECT_EQ(s[1]["variables"], nlohmann::json({"engagement"}));
  EXPECT_EQ(s[2]["name"], "iv");
  EXPECT_FALSE(s[2]["applies"].get<bool>());
}

TEST(IdentifyCli, C17_HiddenConfounderIsNamedAndTheEffectRefused) {
  const CliResult r =
      run_cli("identify " + shared_path("cases/C17/input.csv") +
              " --treatment offer --outcome churned --graph " + shared_path("cases/C17/graph.dot"));
  EXPECT_EQ(r.exit_code, 2);
  const std::string out = unwrapped(r.out);
  for (const std::string part :
       {"unobserved: brand_affinity", "offer <- brand_affinity -> churned",
        "adjusting for {plan_premium} blocks the other backdoor paths but is not sufficient",
        "no mediator", "plan_premium -> churned", "verdict: NOT identifiable"})
    EXPECT_NE(out.find(part), std::string::npos) << r.out << "\nlacks: " << part;
  EXPECT_EQ(r.out.find("no other variable, measured or not"), std::string::npos)
      << "must not claim unconfoundedness";
  EXPECT_NE(r.err.find("not identifiable"), std::string::npos);
}

TEST(IdentifyCli, MalformedGraphsEndInOneClearMessage) {
  const std::string data = case_file("C16");
  const std::string base = data + " --treatment offer --outcome churned --graph ";
  expect_graph_error(base + write_graph("syntax.dot", "digraph { offer -> ; }"),
                     {"syntax.dot", "not a DOT graph"});
  expect_graph_error(base + write_graph("undirected.dot", "graph { offer -- churned; }"),
                     {"undirected"});
  expect_graph_error(base + write_graph("no_t.dot", "digraph { offers -> churned; }"),
                     {"the treatment 'offer' is not a node", "did you mean 'offers'"});
  expect_graph_error(base + write_graph("no_y.dot", "digraph { offer -> engagement; }"),
                     {"the outcome 'churned' is not a node"});
  expect_graph_error(base + write_graph("back.dot", "digraph { churned -> offer; }"),
                     {"edge from the outcome into the treatment (churned -> offer)"});
  expect_graph_error(base + write_graph("bad.gml", "graph [ directed 1 node [ id 1 ] edge [ "),
                     {"bad.gml", "not valid GML", "never closed"});
  expect_graph_error(base + write_graph("undirected.gml", "graph [ node [ id \"a\" ] ]"),
                     {"not marked 'directed 1'"});
  expect_graph_error(base + temp_path("missing.dot"), {"cannot open the graph file"});
  expect_graph_error(
      base + write_graph("hidden_t.dot", "digraph { offer [observed=no]; offer -> churned; }"),
      {"'offer' is marked unobserved"});
}

TEST(IdentifyCli, RolesWithoutAGraphAsWhenNoGraphIsGiven) {
  const CliResult r =
      run_cli("identify --treatment t --outcome y --common-causes w1,w2 --instruments z --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["strategies"][0]["variables"], nlohmann::json({"w1", "w2"}));
  EXPECT_EQ(j["strategies"][2]["variables"], nlohmann::json({"z"}));
}

}  // namespace
}  // namespace causeway::testing

namespace causeway::testing {
namespace {

TEST(EstimateWithGraph, C16_AdjustsForTheDefaultBackdoorSet) {
  const auto j =
      estimate_json(case_file("C16") + " --treatment offer --outcome churned --graph " +
                    shared_path("cases/C16/graph_fixed.dot") + " --method regression,naive");
  EXPECT_NEAR(j["estimates"][0]["estimate"].get<double>(), -0.205228, 1e-5);
  EXPECT_NEAR(j["estimates"][1]["estimate"].get<double>(), -0.400000, 1e-5);
  EXPECT_EQ(j["covariates"], nlohmann::json({"tenure_month"}));
  const std::string said = j["identification"].dump();
  EXPECT_NE(said.find("adjusting for {tenure_month}"), std::string::npos) << said;
}

TEST(EstimateWithGraph, C17_RefusesUnlessToldToProceedAndThenSaysSoOnEveryEstimate) {
  const std::string base = "estimate " + shared_path("cases/C17/input.csv") +
                           " --treatment offer --outcome churned --graph " +
                           shared_path("cases/C17/graph.dot") + " --target ate";
  expect_refusal(base + " --method stratification",
                 {"offer <- brand_affinity -> churned", "--proceed-when-unidentifiable"});
  expect_refusal(base, {"not identifiable"});
  const CliResult r = run_cli(base +
                              " --method stratification,naive --json "
                              "--proceed-when-unidentifiable");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_NEAR(j["estimates"][0]["estimate"].get<double>(), -0.358333, 1e-5);
  EXPECT_NEAR(j["estimates"][1]["estimate"].get<double>(), -0.412698, 1e-5);
  EXPECT_NE(j["estimates"][0]["warnings"].dump().find("not identifiable"), std::string::npos);
  EXPECT_NE(j["identification"].dump().find("UNIDENTIFIABLE"), std::string::npos);
}

TEST(EstimateWithGraph, GraphAndRoleListsAreExclusive) {
  expect_refusal("estimate " + case_file("C16") +
                     " --treatment offer --outcome churned --common-causes tenure_month --graph " +
                     shared_path("cases/C16/graph_fixed.dot"),
                 {"either --graph or the role lists"});
}

}  // namespace
}  // namespace causeway::testing

namespace causeway::testing {
namespace {

// Linear front-door data with a hidden confounder; the graph leads estimate to the front door.
TEST(EstimateWithGraph, FrontDoorGraphChoosesTheFrontDoorMethod) {
  const std::string csv = temp_path("frontdoor.csv");
  {
    std::ofstream out(csv);
    out << "t,m,y\n";
    std::uint64_t s = 12345;
    const auto normal = [&] {  // Box-Muller on a small LCG: enough for a test file
      const auto u = [&] {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        return ((s >> 11) + 0.5) / 9007199254740992.0;
      };
      return std::sqrt(-2 * std::log(u())) * std::cos(6.283185307179586 * u());
    };
    for (int i = 0; i < 3000; ++i) {
      const double hidden = normal();
      const int t = hidden + normal() > 0;
      const double m = 1.5 * t + normal();
      out << t << "," << m << "," << 0.8 * m + 1.2 * hidden + normal() << "\n";
    }
  }
  const std::string dot = write_graph("fd.dot", "digraph { t -> m; m -> y; t -> y [dir=both]; }");
  const auto j = estimate_json(csv + " --treatment t --outcome y --graph " + dot);
  ASSERT_EQ(j["estimates"].size(), 2u);
  EXPECT_EQ(j["estimates"][1]["method"], "frontdoor");
  const double est = j["estimates"][1]["estimate"], se = j["estimates"][1]["se"];
  EXPECT_NEAR(est, 1.2, 4 * se);
  EXPECT_GT(std::abs(j["estimates"][0]["estimate"].get<double>() - 1.2), 10 * se);
  expect_refusal("estimate " + csv + " --treatment t --outcome y --graph " + dot + " --method ipw",
                 {"backdoor adjustment is not possible", "t <-> y"});
}

}  // namespace
}  // namespace causeway::testing

namespace causeway::testing {
namespace {

// Faults a new user found: each pinned as a kind.
TEST(IdentifyCli, ExhaustiveSearchThatRunsOutOfBudgetStillAnswers) {
  std::string dot = "digraph { t -> y; ";
  for (int i = 0; i < 12; ++i) dot += fmt::format("a{0} -> t; a{0} -> b{0}; b{0} -> y; ", i);
  const CliResult r = run_cli("identify --graph " + write_graph("many.dot", dot + "}") +
                              " --treatment t --outcome y --adjustment exhaustive --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["strategies"][0]["variables"].size(), 12u);
  EXPECT_NE(j["strategies"][0]["reason"].get<std::string>().find("stopped"), std::string::npos);
}

TEST(IdentifyCli, PartlyReadGraphsAreErrorsWithTheirLine) {
  std::string chain = "digraph { t -> y; z -> t; z -> y; v0";
  for (int i = 1; i < 3000; ++i) chain += " -> v" + std::to_string(i);
  expect_graph_error("--treatment t --outcome y --graph " + write_graph("chain.dot", chain + "; }"),
                     {"not a DOT graph", "one edge per statement"});
  expect_graph_error("--treatment a --outcome b --graph " +
                         write_graph("line3.dot", "digraph {\n a -> b;\n b -> ;\n}\n"),
                     {"syntax error in line 3"});
  std::string deep = "graph [ directed 1 ";
  for (int i = 0; i < 5000; ++i) deep += "x [ ";
  for (int i = 0; i < 5000; ++i) deep += "] ";
  expect_graph_error("--treatment a --outcome b --graph " + write_graph("deep.gml", deep + "]"),
                     {"nested more than 100 deep"});
}

TEST(IdentifyCli, AmbiguousGraphMarkupIsRefused) {
  const std::string base = "--treatment t --outcome y --graph ";
  expect_graph_error(
      base + write_graph("maybe.dot", "digraph { u [observed=maybe]; u -> t; t -> y; }"),
      {"observed=maybe", "observed=no"});
  expect_graph_error(base + write_graph("none.dot", "digraph { t -> y [dir=none]; }"),
                     {"dir=none", "dir=both"});
  expect_graph_error(base + write_graph("dup.gml",
                                        "graph [ directed 1 node [ id 1 label \"t\" ] "
                                        "node [ id 1 label \"y\" ] ]"),
                     {"node id '1' appears twice"});
  expect_graph_error(base + write_graph("twice.gml",
                                        "graph [ directed 1 node [ id 1 label \"t\" ] "
                                        "node [ id 2 label \"t\" ] ]"),
                     {"two nodes are named 't'"});
  expect_graph_error(base + write_graph("loop.dot", "digraph { t -> y; y -> m; m -> t; }"),
                     {"cycle"});
  expect_graph_error(base + write_graph("back.dot", "digraph { y -> m; m -> t; }"),
                     {"the outcome causes the treatment in the graph (y -> m -> t)"});
}

TEST(IdentifyCli, OutNeverReplacesTheGraph) {
  const std::string text =
      "digraph { tenure_month -> offer; tenure_month -> churned; offer -> churned; }";
  const std::string dot = write_graph("keep.dot", text);
  const CliResult r =
      run_cli("estimate " + case_file("C16") + " --treatment offer --outcome churned --graph " +
              dot + " --out " + dot);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("is the input file"), std::string::npos) << r.err;
  std::ifstream in(dot);
  const std::string kept((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(kept, text);
}

TEST(IdentifyCli, RoleListsCannotNameTheTreatmentAndGmlHoldsOneGraph) {
  expect_graph_error("--treatment t --outcome y --common-causes t,w",
                     {"'t' is the treatment; it cannot also be listed"});
  expect_graph_error("--treatment t --outcome y --graph " +
                         write_graph("two.gml",
                                     "graph [ directed 1 node [ id 1 label \"t\" ] ] "
                                     "graph [ directed 1 ]"),
                     {"the file holds 2 graphs"});
}

TEST(IdentifyCli, TyposInRoleListsAreErrorsNotHiddenVariables) {
  expect_graph_error(case_file("C16") +
                         " --treatment offer --outcome churned --common-causes "
                         "tenure_mont",
                     {"no column named 'tenure_mont'", "did you mean 'tenure_month'"});
}

}  // namespace
}  // namespace causeway::testing
