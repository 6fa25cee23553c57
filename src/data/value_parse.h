// Parsing single CSV values: missing markers, numbers and boolean words.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace causeway {

std::string_view trim(std::string_view s);
// Whether the token starts with a digit or '-': then it is no missing marker (inline, so that a
// reader can skip the call for the cells of a numeric column).
inline bool starts_like_number(std::string_view token) {
  return !token.empty() && ((token[0] >= '0' && token[0] <= '9') || token[0] == '-');
}
// Empty, NA, NaN, null (any case, surrounding spaces ignored).
bool is_missing_token(std::string_view token);

namespace number_detail {
// Exact powers of ten, as doubles.
inline constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                    1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                    1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

// Reads the run of digits at p (before end) into mantissa, four at a time while four remain (one
// multiply-add per four digits instead of per digit: the chain of them is what a long number
// waits on), then one at a time. Returns where the run ends; adds the count to digits.
[[gnu::always_inline]] inline const char* read_digits(const char* p, const char* end,
                                                      std::uint64_t& mantissa, int& digits) {
  for (; end - p >= 4; p += 4, digits += 4) {
    std::uint32_t chunk;
    std::memcpy(&chunk, p, 4);
    // All four bytes digits: each is 0x30-0x39, so its high nibble is 3 and adding 6 keeps it 3.
    if ((chunk & 0xF0F0F0F0u) != 0x30303030u ||
        ((chunk + 0x06060606u) & 0xF0F0F0F0u) != 0x30303030u)
      break;
    const std::uint32_t d = chunk - 0x30303030u;                    // digit values, first lowest
    const std::uint32_t pairs = (d * 10 + (d >> 8)) & 0x00FF00FFu;  // first two, last two
    mantissa = mantissa * 10000 + ((pairs * 100 + (pairs >> 16)) & 0xFFFFu);
  }
  for (; p < end && static_cast<unsigned>(*p - '0') < 10; ++p, ++digits)
    mantissa = mantissa * 10 + static_cast<unsigned>(*p - '0');
  return p;
}

}  // namespace number_detail

// The common form of a number in a customer file, -?[0-9]+(\.[0-9]+)?, read exactly: with at
// most 2^53 as its digits and at most 22 of them after the point, the quotient of two exact
// doubles is the correctly rounded value, the one any correct parser returns. Anything else
// (exponents, signs, spaces, long mantissas, text) returns false for the general reader,
// parse_number, which tries it first.
inline bool plain_number(std::string_view token, double& value) {
  using namespace number_detail;
  const char* p = token.data();
  const char* const end = p + token.size();
  const bool negative = p < end && *p == '-';
  p += negative;
  std::uint64_t mantissa = 0;
  int digits = 0, decimals = 0;
  const char* const first = p;
  p = read_digits(p, end, mantissa, digits);
  if (p == first) return false;
  if (p < end && *p == '.') {
    const char* const point = ++p;
    p = read_digits(p, end, mantissa, digits);
    decimals = static_cast<int>(p - point);
    if (decimals == 0) return false;
  }
  if (p != end || digits > 19 || decimals > 22 || mantissa > (std::uint64_t{1} << 53)) return false;
  const double magnitude =
      decimals ? static_cast<double>(mantissa) / kPow10[decimals] : static_cast<double>(mantissa);
  value = negative ? -magnitude : magnitude;
  return true;
}

// A whole-token decimal number (leading '+' allowed); false for anything else. A number too
// large or too small for a double (1e309, 1e-400) parses as infinity, for the caller to refuse.
bool parse_number(std::string_view token, double& value);
// 1 for true/yes, 0 for false/no (any case), -1 otherwise.
int parse_bool_text(std::string_view token);

}  // namespace causeway
