// Ids in push URLs are percent-encoded by causeway itself (no libcurl needed, so a dry run works
// without it): every byte but the unreserved letters, digits and - . _ ~ becomes %XX.
#include <gtest/gtest.h>

#include "connect/http_get.h"

namespace causeway {
namespace {

TEST(UrlEscape, KeepsUnreservedCharactersAndEncodesEveryOtherByte) {
  EXPECT_EQ(url_escape("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(url_escape("C 01/x?y=1&z#"), "C%2001%2Fx%3Fy%3D1%26z%23");
  EXPECT_EQ(url_escape("caf\xC3\xA9+%"), "caf%C3%A9%2B%25");  // UTF-8 bytes one by one
  EXPECT_EQ(url_escape(std::string("a\0b", 3)), "a%00b");
  EXPECT_EQ(url_escape(""), "");
}

}  // namespace
}  // namespace causeway
