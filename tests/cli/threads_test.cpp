// Same data, same numbers, whatever the thread count: a file large enough for every parallel
// step (the CSV read in parts, the logistic fit and predictions, matching in halves, the
// variance summed in blocks, the copies into the sample) against a one-thread run, byte for byte.
#include <gtest/gtest.h>

#include "cli/cli_support.h"

namespace causeway::testing {
namespace {

TEST(ThreadsCli, ALargeEstimateIsTheSameWithOneAndTwoThreads) {
  const std::string csv = temp_path("threads.csv");
  // 600,000 rows: beyond the logistic fit's parallel threshold (500,000) and 8 MB of CSV.
  ASSERT_EQ(run_cli("simulate retention --n 600000 --seed 5 --out " + csv).exit_code, 0);
  for (const std::string methods : {"naive,regression,matching,ipw,aipw --target att",
                                    "matching --replace --target ate", "stratification"}) {
    const std::string args = "estimate " + csv +
                             " --treatment call --outcome renew --common-causes "
                             "motivation_proxy --json --method " +
                             methods;
    const CliResult one = run_shell("OMP_NUM_THREADS=1 " + std::string(CAUSEWAY_BIN) + " " + args);
    const CliResult two = run_shell("OMP_NUM_THREADS=2 " + std::string(CAUSEWAY_BIN) + " " + args);
    // --threads bounds every step too, the reading of the file included.
    const CliResult flag = run_cli(args + " --threads 1");
    ASSERT_EQ(one.exit_code, 0) << one.err;
    ASSERT_EQ(two.exit_code, 0) << two.err;
    ASSERT_EQ(flag.exit_code, 0) << flag.err;
    EXPECT_EQ(one.out, two.out) << methods;
    EXPECT_EQ(one.out, flag.out) << methods;
  }
}

// The program's OpenMP threads sleep between parallel regions instead of spinning (main.cpp),
// unless the user sets the policy; libgomp shows the spin count it took with OMP_DISPLAY_ENV.
TEST(ThreadsCli, ThreadsSleepBetweenRegionsUnlessTheUserChooses) {
  const std::string bin = CAUSEWAY_BIN;
  const CliResult chosen = run_shell(
      "env -u OMP_WAIT_POLICY -u GOMP_SPINCOUNT OMP_DISPLAY_ENV=verbose " + bin + " --version");
  EXPECT_NE(chosen.err.find("GOMP_SPINCOUNT = '0'"), std::string::npos) << chosen.err;
  const CliResult user = run_shell(
      "env -u OMP_WAIT_POLICY GOMP_SPINCOUNT=1234 OMP_DISPLAY_ENV=verbose " + bin + " --version");
  EXPECT_NE(user.err.find("GOMP_SPINCOUNT = '1234'"), std::string::npos) << user.err;
}

}  // namespace
}  // namespace causeway::testing
