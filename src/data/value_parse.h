// Parsing single CSV values: missing markers, numbers and boolean words.
#pragma once

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
// A whole-token decimal number (leading '+' allowed); false for anything else. A number too
// large or too small for a double (1e309, 1e-400) parses as infinity, for the caller to refuse.
bool parse_number(std::string_view token, double& value);
// 1 for true/yes, 0 for false/no (any case), -1 otherwise.
int parse_bool_text(std::string_view token);

}  // namespace causeway
