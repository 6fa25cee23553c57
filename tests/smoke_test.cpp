#include <gtest/gtest.h>

#include "support/cli_runner.h"

TEST(Smoke, AnalyzeRuns) {
  auto r = causeway::testing::run_cli("analyze");
  EXPECT_EQ(r.exit_code, 0) << r.err;
}
