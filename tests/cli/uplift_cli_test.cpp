// `causeway uplift`: the scores file, the report, ids kept as text, and bad options.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "cli/cli_support.h"

namespace causeway::testing {
namespace {

std::string simulated(std::size_t rows) {
  const std::string path = temp_path("uplift_" + std::to_string(rows) + ".csv");
  const CliResult r = run_cli("simulate uplift --n " + std::to_string(rows) +
                              " --seed 7 --with-truth --out " + path);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return path;
}

TEST(UpliftCli, WritesOneScoreRowPerCustomerAndADecileTable) {
  const std::string data = simulated(4000), scores = temp_path("scores.csv");
  const CliResult r = run_cli("uplift " + data +
                              " --treatment call --outcome renew --features motivation,usage_depth,"
                              "tenure_months --trees 200 --json --out " +
                              scores);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["rows"], 4000);
  EXPECT_EQ(j["deciles"].size(), 10u);
  EXPECT_LT(j["ate_ci_low"].get<double>(), j["ate_ci_high"].get<double>());
  std::ifstream in(scores);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "row,predicted_uplift,ci_low,ci_high,uplift_decile");
  std::size_t rows = 0;
  while (std::getline(in, line)) {
    ++rows;
    std::stringstream fields(line);
    std::string id, tau, low, high, decile;
    std::getline(fields, id, ',');
    std::getline(fields, tau, ',');
    std::getline(fields, low, ',');
    std::getline(fields, high, ',');
    std::getline(fields, decile, ',');
    EXPECT_LE(std::stod(low), std::stod(tau));
    EXPECT_LE(std::stod(tau), std::stod(high));
    EXPECT_GE(std::stoi(decile), 1);
    EXPECT_LE(std::stoi(decile), 10);
  }
  EXPECT_EQ(rows, 4000u);
}

TEST(UpliftCli, IdsStayText) {
  const std::string csv = temp_path("ids.csv");
  {
    std::ofstream out(csv);
    out << "customer_id,x,t,y\n";
    for (int i = 0; i < 400; ++i)
      out << (i == 0 ? "007" : "C" + std::to_string(i)) << "," << i % 9 << "," << i % 2 << ","
          << (i * 7 % 5 > 2) << "\n";
  }
  const std::string scores = temp_path("ids_scores.csv");
  const CliResult r = run_cli("uplift " + csv + " --treatment t --outcome y --features x " +
                              "--trees 20 --out " + scores);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream in(scores);
  std::string header, first;
  std::getline(in, header);
  std::getline(in, first);
  EXPECT_EQ(header.substr(0, 12), "customer_id,");
  EXPECT_EQ(first.substr(0, 4), "007,");
}

TEST(UpliftCli, BadOptionsAreRefused) {
  const std::string data = simulated(500);
  const std::string base = "uplift " + data + " --treatment call --outcome renew ";
  expect_refusal(base + "--features tenure_months --trees 201", {"--trees must be even"});
  expect_refusal(base + "--features tenur", {"no column named 'tenur'"});
}

}  // namespace
}  // namespace causeway::testing
