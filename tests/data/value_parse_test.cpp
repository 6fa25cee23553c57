// Numbers read by parse_number carry the bits of a correctly rounded conversion (glibc's strtod),
// on the fast path for plain decimals and off it.
#include "data/value_parse.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <string>

#include "causeway/rng.h"
#include "support/delicate_numbers.h"

namespace causeway {
namespace {

void expect_exact(const std::string& token) {
  double got = 0;
  ASSERT_TRUE(parse_number(token, got)) << token;
  const double want = std::strtod(token.c_str(), nullptr);
  EXPECT_EQ(std::memcmp(&got, &want, sizeof got), 0) << token << ": " << got << " vs " << want;
}

TEST(ValueParse, DelicateDecimalsAreCorrectlyRounded) {
  for (const char* t : testing::kDelicateNumbers) expect_exact(t);
}

TEST(ValueParse, RandomPlainDecimalsAreCorrectlyRounded) {
  Rng rng(17);
  for (int i = 0; i < 200000; ++i) {
    const auto digits = static_cast<int>(rng.uniform() * 24) + 1;  // past 19: the general reader
    std::string t = rng.uniform() < 0.3 ? "-" : "";
    for (int d = 0; d < digits; ++d)
      t += static_cast<char>('0' + static_cast<int>(rng.uniform() * 10));
    const auto point = static_cast<std::size_t>(rng.uniform() * static_cast<double>(digits));
    if (point > 0) t.insert(t.size() - point, ".");
    if (t.back() == '.' || t[0] == '.' || (t[0] == '-' && t[1] == '.')) continue;
    expect_exact(t);
  }
}

TEST(ValueParse, CharactersBesideTheDigitsAreNotNumbers) {
  // The bytes either side of '0'-'9' (/ and :), and others whose high nibble is a digit's, in
  // every position of runs read four digits at a time.
  for (const char c : {'/', ':', '?', ';', '<', '>', '=', 'a', '\x80'})
    for (const std::string base : {"12345678", "1234.5678", "-9876.54321"})
      for (std::size_t at = 0; at < base.size(); ++at) {
        if (base[at] == '.' || base[at] == '-') continue;
        std::string t = base;
        t[at] = c;
        double v = 0;
        EXPECT_FALSE(parse_number(t, v)) << t << " read as " << v;
      }
}

}  // namespace
}  // namespace causeway
