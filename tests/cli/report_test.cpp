// The HTML report (--report): a strict XML parse, no external URL, the same numbers as --json,
// and, in headless Chromium, every section and plot present and drawn. The screenshot of the
// LaLonde report is kept under the build folder (test-artifacts/).
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "cli/cli_support.h"

namespace causeway::testing {
namespace {

const char* kLalonde =
    " --treatment treat --outcome re78 --common-causes age,educ,race,married,nodegree,re74,re75";

std::string exact(double v) {
  return fmt::format("data-value=\"{:.17g}\"", v);
}

// The LaLonde analysis with --report and --json, run once for every test here.
struct LalondeReport {
  std::string html_path, html;
  nlohmann::json json;
};

const LalondeReport& lalonde() {
  static const LalondeReport report = [] {
    ::mkdir(CAUSEWAY_ARTIFACTS, 0755);
    LalondeReport r;
    r.html_path = std::string(CAUSEWAY_ARTIFACTS) + "/lalonde.html";
    const CliResult run = run_cli("analyze " + shared_path("data/lalonde/lalonde_matchit.csv") +
                                  kLalonde + " --quiet --json --report " + r.html_path);
    EXPECT_EQ(run.exit_code, 0) << run.err;
    r.html = read_text_file(r.html_path);
    if (run.exit_code == 0) r.json = nlohmann::json::parse(run.out);
    return r;
  }();
  return report;
}

TEST(HtmlReport, IsWellFormedAndFetchesNothing) {
  const auto& r = lalonde();
  ASSERT_FALSE(r.html.empty());
  const CliResult xml = run_shell("xmllint --noout " + r.html_path);
  EXPECT_EQ(xml.exit_code, 0) << xml.err;
  // Every "http" is an XML namespace name, never a link, source or stylesheet to fetch.
  const std::regex url("https?://[^\"' )<]*");
  for (auto it = std::sregex_iterator(r.html.begin(), r.html.end(), url);
       it != std::sregex_iterator(); ++it)
    EXPECT_EQ(it->str().rfind("http://www.w3.org/", 0), 0u) << it->str();
  for (const char* fetch : {"src=", "<link", "@import", "url(", "<script"})
    EXPECT_EQ(r.html.find(fetch), std::string::npos) << fetch;
  EXPECT_FALSE(std::regex_search(r.html, std::regex("\\b(nan|inf)\\b")));
}

TEST(HtmlReport, CarriesTheNumbersOfTheJson) {
  const auto& r = lalonde();
  ASSERT_TRUE(r.json.contains("estimation"));
  for (const auto& e : r.json["estimation"]["estimates"])
    for (const char* key : {"estimate", "ci_low", "ci_high", "se"})
      EXPECT_NE(r.html.find(exact(e[key].get<double>())), std::string::npos)
          << e["method"] << " " << key;
  ASSERT_TRUE(r.json.contains("diagnostics"));
  for (const auto& b : r.json["diagnostics"]["balance"]) {
    EXPECT_NE(r.html.find(exact(b["smd_before"].get<double>())), std::string::npos)
        << b["covariate"];
    EXPECT_NE(r.html.find(exact(b["smd_weighted"].get<double>())), std::string::npos)
        << b["covariate"];
  }
  for (const auto& x : r.json["refutation"]["refutations"])
    EXPECT_NE(r.html.find(x["name"].get<std::string>()), std::string::npos);
  EXPECT_NE(r.html.find("Overall verdict: " + r.json["verdict"].get<std::string>()),
            std::string::npos);
}

// The marks drawn inside the <figure> that starts at `from` (up to its end).
std::size_t marks_in_figure(const std::string& dom, std::size_t from) {
  const std::size_t end = dom.find("</figure>", from);
  const std::string figure = dom.substr(from, end - from);
  std::size_t marks = 0;
  for (const char* mark : {"class=\"mark\"", "class=\"node\"", "class=\"edge\""})
    for (std::size_t at = figure.find(mark); at != std::string::npos;
         at = figure.find(mark, at + 1))
      ++marks;
  return marks;
}

TEST(HtmlReport, RendersInHeadlessChromiumWithEverySectionAndPlot) {
  const auto& r = lalonde();
  ASSERT_FALSE(r.html.empty());
  const std::string profile = temp_path("chromium-profile");
  const std::string flags =
      "timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run "
      "--disable-background-networking --disable-component-update --disable-sync "
      "--user-data-dir=" +
      profile + " ";
  const std::string page = "file://" + r.html_path;
  const std::string shot = std::string(CAUSEWAY_ARTIFACTS) + "/lalonde.png";
  std::remove(shot.c_str());
  const CliResult screenshot =
      run_shell(flags + "--window-size=1200,5200 --screenshot=" + shot + " " + page);
  EXPECT_EQ(screenshot.exit_code, 0) << screenshot.err;
  struct stat st;
  ASSERT_EQ(::stat(shot.c_str(), &st), 0) << "no screenshot; is chromium installed?";
  EXPECT_GT(st.st_size, 50000) << "the screenshot is nearly blank";
  const CliResult dom = run_shell(flags + "--dump-dom " + page);
  ASSERT_EQ(dom.exit_code, 0) << dom.err;
  for (const char* section :
       {"id=\"verdict\"", "id=\"data\"", "id=\"graph\"", "id=\"estimand\"", "id=\"estimates\"",
        "id=\"overlap\"", "id=\"balance\"", "id=\"refutation\"", "id=\"sensitivity\""})
    EXPECT_NE(dom.out.find(section), std::string::npos) << section;
  // Four plots: the graph, the forest plot, the overlap histogram and the love plot; each drawn.
  std::size_t figures = 0;
  for (std::size_t at = dom.out.find("<figure"); at != std::string::npos;
       at = dom.out.find("<figure", at + 1)) {
    ++figures;
    EXPECT_GE(marks_in_figure(dom.out, at), 3u) << "figure " << figures << " is empty";
    const std::size_t end = dom.out.find("</figure>", at);
    const std::string figure = dom.out.substr(at, end - at);
    EXPECT_NE(figure.find("<h3>"), std::string::npos) << "figure " << figures << " lacks a title";
    EXPECT_NE(figure.find("<figcaption>"), std::string::npos) << "figure " << figures;
  }
  EXPECT_EQ(figures, 4u);
}

TEST(HtmlReport, PositivityFailureIsShownWithoutNan) {
  const std::string path = temp_path("c05.html");
  const CliResult run = run_cli("diagnose " + case_file("C05") +
                                " --treatment offer --outcome spend_next_month --common-causes "
                                "region --target ate --report " +
                                path);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::string html = read_text_file(path);
  EXPECT_NE(html.find("no treated customer has region = north"), std::string::npos);
  EXPECT_FALSE(std::regex_search(html, std::regex("\\b(nan|inf)\\b")));
  EXPECT_EQ(run_shell("xmllint --noout " + path).exit_code, 0);
}

TEST(HtmlReport, RefusesToOverwriteAnInputOrTheJsonFile) {
  const std::string data = case_file("C26");
  expect_refusal("diagnose " + data +
                     " --treatment offer --outcome churned --common-causes plan --report " + data,
                 {"--report"});
  // The same file spelt two ways would have been written twice, the second over the first.
  const std::string json = temp_path("twice.json");
  const std::string dir = json.substr(0, json.rfind('/'));
  const CliResult r = run_cli("estimate " + data +
                              " --treatment offer --outcome churned --common-causes plan --out " +
                              json + " --report " + dir + "/./twice.json");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("same file"), std::string::npos) << r.err;
  EXPECT_FALSE(file_exists(json));
  // ... or through a link to a file not written yet.
  const std::string link = temp_path("link.html");
  ASSERT_EQ(::symlink(json.c_str(), link.c_str()), 0);
  const CliResult via_link = run_cli(
      "uplift " + data + " --treatment offer --outcome churned --features tenure_months --out " +
      json + " --report " + link);
  EXPECT_EQ(via_link.exit_code, 2) << via_link.err;
  EXPECT_FALSE(file_exists(json));
}

TEST(HtmlReport, GraphLabelsKeepTheColumnNames) {
  const std::string data = temp_path("names.csv");
  {
    std::ofstream out(data);
    out << "treated,outcome,b&amp;c,y<z\n";
    for (int i = 0; i < 60; ++i)
      out << (i % 3 == 0) << "," << i % 7 << "," << i % 5 << "," << (i * 7) % 11 << "\n";
  }
  const std::string html_path = temp_path("names.html");
  const CliResult run = run_cli("analyze " + data +
                                " --treatment treated --outcome outcome --common-causes "
                                "'b&amp;c,y<z' --quiet --simulations 20 --report " +
                                html_path);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::string html = read_text_file(html_path);
  EXPECT_EQ(run_shell("xmllint --noout " + html_path).exit_code, 0);
  const std::size_t graph = html.find("id=\"graph\"");
  ASSERT_NE(graph, std::string::npos);
  const std::string drawn = html.substr(graph, html.find("</section>", graph) - graph);
  // The SVG text escapes once: "b&amp;amp;c" reads b&amp;c, "y&lt;z" reads y<z.
  EXPECT_NE(drawn.find(">b&amp;amp;c</text>"), std::string::npos);
  EXPECT_NE(drawn.find(">y&lt;z</text>"), std::string::npos);
}

TEST(HtmlReport, UpliftReportShowsTheDecilesAndTheirCalibration) {
  const std::string data = temp_path("uplift.csv");
  ASSERT_EQ(run_cli("simulate uplift --n 4000 --seed 3 --out " + data).exit_code, 0);
  const std::string html_path = temp_path("uplift.html");
  const CliResult run = run_cli("uplift " + data +
                                " --treatment call --outcome renew --features "
                                "motivation,usage_depth,tenure_months --trees 200 --quiet --json "
                                "--report " +
                                html_path);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto j = nlohmann::json::parse(run.out);
  const std::string html = read_text_file(html_path);
  EXPECT_EQ(run_shell("xmllint --noout " + html_path).exit_code, 0);
  EXPECT_NE(html.find("id=\"uplift\""), std::string::npos);
  EXPECT_NE(html.find("Whom does call change renew for?"), std::string::npos);
  // One predicted and one observed mark per decile with a measurable lift.
  const auto count = [&](const char* pattern) {
    const std::regex re(pattern);
    return static_cast<std::size_t>(
        std::distance(std::sregex_iterator(html.begin(), html.end(), re), std::sregex_iterator()));
  };
  const std::size_t predicted = count("<title>decile [0-9]+: predicted");
  const std::size_t observed = count("<title>decile [0-9]+: observed");
  EXPECT_EQ(predicted, j["deciles"].size());
  EXPECT_GE(observed, 8u);
  EXPECT_NE(html.find(exact(j["qini_area"].get<double>())), std::string::npos);
  EXPECT_NE(html.find(exact(j["ate"].get<double>())), std::string::npos);
  EXPECT_FALSE(std::regex_search(html, std::regex("\\b(nan|inf)\\b")));
}

}  // namespace
}  // namespace causeway::testing
