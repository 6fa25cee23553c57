// redact(): a token is hidden however a server's echo spells it.
#include <gtest/gtest.h>

#include "connect/http_retry.h"

namespace causeway::testing {
namespace {

TEST(Redact, EverySpellingOfTheTokenIsHidden) {
  const std::string token = "Zq9+x/y==tok SECRET";
  for (const std::string& echo :
       {std::string("Zq9+x/y==tok SECRET"),            // as it is
        std::string("Zq9%2Bx%2Fy%3D%3Dtok%20SECRET"),  // fully percent-encoded
        std::string("Zq9%2bx%2fy%3d%3dtok%20SECRET"),  // lower-case hex
        std::string("Zq9%2Bx/y%3D%3Dtok%20SECRET"),    // Python's quote(): '/' left as it is
        std::string("Zq9+x%2Fy==tok%20SECRET"),        // a path escaper: only '/' and ' '
        std::string("Zq9+x\\/y==tok SECRET"),          // JSON's "\/"
        std::string("Zq9\\u002bx\\u002Fy\\u003d=tok\\u0020SECRET"),  // JSON's \u00XX
        std::string("Zq9%2Bx%2Fy%3D%3Dtok+SECRET")}) {               // a form: + for a space
    const std::string shown = redact("got: " + echo + " (end)", token);
    EXPECT_EQ(shown, "got: [redacted] (end)") << echo;
  }
}

TEST(Redact, OtherTextIsLeftAlone) {
  EXPECT_EQ(redact("100% sure, a+b, \\u0041", "tok"), "100% sure, a+b, \\u0041");
  EXPECT_EQ(redact("tok tok%74ok", "tok"), "[redacted] [redacted][redacted]");
  EXPECT_EQ(redact("anything", ""), "anything");
}

}  // namespace
}  // namespace causeway::testing
