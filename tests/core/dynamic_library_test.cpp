// The loader of optional libraries (core/dynamic_library.h) and the tables built with it.
#include "core/dynamic_library.h"

#include <gtest/gtest.h>

#include <string>

#include "causeway/status.h"
#include "connect/curl_api.h"
#include "graph/graphviz_api.h"
#include "learn/xgboost_api.h"

namespace causeway {
namespace {

// The message of the Error(kIo) `body` throws; fails the test when it throws nothing else.
template <class F>
std::string io_error(F&& body) {
  try {
    body();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kIo) << e.message();
    return e.message();
  }
  ADD_FAILURE() << "no Error thrown";
  return "";
}

TEST(DynamicLibrary, AMissingLibraryNamesWhatNeedsItAndTheFix) {
  const std::string message = io_error(
      [] { DynamicLibrary("libcauseway_absent.so.7", "causeway-absent7", "--frobnicate"); });
  EXPECT_NE(message.find("--frobnicate needs libcauseway_absent.so.7 (Debian package "
                         "causeway-absent7): apt-get install -y causeway-absent7"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("libcauseway_absent.so.7: cannot open shared object file"),
            std::string::npos)
      << message;
}

TEST(DynamicLibrary, BindsAFunctionAndNamesAMissingOne) {
  const DynamicLibrary libm("libm.so.6", "libc6", "a test");
  double (*cosine)(double) = nullptr;
  libm.bind(cosine, "cos");
  ASSERT_NE(cosine, nullptr);
  EXPECT_EQ(cosine(0.0), 1.0);
  const std::string message = io_error([&] { libm.symbol("causeway_no_such_function"); });
  EXPECT_NE(message.find("a test needs libm.so.6 with the function causeway_no_such_function"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("apt-get install -y libc6"), std::string::npos) << message;
}

// Every function of every table resolves in the installed libraries (a missing one throws).
TEST(DynamicLibrary, TheOptionalLibrariesLoad) {
  EXPECT_NE(xgboost_api().XGBoosterPredictFromDMatrix, nullptr);
  EXPECT_NE(curl_api().curl_easy_setopt, nullptr);
  EXPECT_NE(cgraph_api("a test").agmemread, nullptr);
  EXPECT_NE(gvc_api("a test").gvRenderData, nullptr);
  // Loaded once: later calls return the same table.
  EXPECT_EQ(&xgboost_api(), &xgboost_api());
  EXPECT_EQ(&cgraph_api("another test"), &cgraph_api("a test"));
}

}  // namespace
}  // namespace causeway
