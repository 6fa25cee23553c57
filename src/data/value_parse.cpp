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
