#include "data/value_parse.h"

#include <fast_float/fast_float.h>

#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace causeway {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != b[i]) return false;
  return true;
}

// Exact powers of ten, as doubles.
constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                             1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

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

// The common form of a number in a customer file, -?[0-9]+(\.[0-9]+)?, read exactly: with at
// most 2^53 as its digits and at most 22 of them after the point, the quotient of two exact
// doubles is the correctly rounded value, the one any correct parser returns. Anything else
// (exponents, signs, spaces, long mantissas, text) returns false for the general reader.
bool plain_number(std::string_view token, double& value) {
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

}  // namespace

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool is_missing_token(std::string_view token) {
  if (starts_like_number(token)) return false;
  token = trim(token);
  return token.empty() || iequals(token, "na") || iequals(token, "nan") || iequals(token, "null");
}

bool parse_number(std::string_view token, double& value) {
  if (plain_number(token, value)) return true;  // most tokens
  token = trim(token);
  if (!token.empty() && token.front() == '+') token.remove_prefix(1);
  if (token.empty()) return false;
  const char* end = token.data() + token.size();
  auto [ptr, ec] = fast_float::from_chars(token.data(), end, value);
  if (ec != std::errc() || ptr != end) return false;
  if (value == 0.0) {  // 1e-400 underflows to 0: refuse it rather than read a zero
    const std::string_view mantissa = token.substr(0, token.find_first_of("eE"));
    if (mantissa.find_first_of("123456789") != std::string_view::npos)
      value = INFINITY;  // reported as out of range, like 1e309
  }
  return true;
}

int parse_bool_text(std::string_view token) {
  token = trim(token);
  if (iequals(token, "true") || iequals(token, "yes")) return 1;
  if (iequals(token, "false") || iequals(token, "no")) return 0;
  return -1;
}

}  // namespace causeway
