// Number spellings where reading them is delicate: correctly rounded or not, on the plain-decimal
// path or off it (signs, spaces, exponents, too many digits, the edges of a double).
#pragma once

namespace causeway::testing {

inline constexpr const char* kDelicateNumbers[] = {"0",
                                                   "-0",
                                                   "007",
                                                   "0.1",
                                                   "0.30000000000000004",
                                                   "1.7976931348623157",
                                                   "9007199254740992",
                                                   "9007199254740993",
                                                   "123456789012345678901",
                                                   "0.0000000000000000000001",
                                                   "0.00000000000000000000001",
                                                   "3.14159265358979323846",
                                                   "-2.5",
                                                   "1e-5",
                                                   "+4",
                                                   " 5 ",
                                                   "6.",
                                                   ".5",
                                                   "2.2250738585072014",
                                                   "4503599627370497.5",
                                                   "99999999999999999999",
                                                   "0.964362",
                                                   "-1.063753",
                                                   "8.123456789012345",
                                                   "0.07",
                                                   "1234567.891",
                                                   "0.000123"};

}  // namespace causeway::testing
