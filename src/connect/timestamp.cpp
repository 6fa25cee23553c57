#include "connect/timestamp.h"

#include <cstdint>
#include <string>

namespace causeway {

namespace {

// Reads exactly `digits` decimal digits at `at`, advancing it.
std::optional<int> number(std::string_view text, std::size_t& at, int digits) {
  if (at + digits > text.size()) return std::nullopt;
  int v = 0;
  for (int i = 0; i < digits; ++i) {
    const char c = text[at + i];
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  at += digits;
  return v;
}

bool expect(std::string_view text, std::size_t& at, char c) {
  if (at >= text.size() || text[at] != c) return false;
  ++at;
  return true;
}

// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

constexpr const char* kMalformed = "is not an ISO 8601 date-time such as \"2024-03-01T10:15:00Z\"";
constexpr const char* kNoZone =
    "has no time zone, so it cannot be ordered among records from other zones; the export "
    "should end each time with Z or an offset such as +01:00";

bool valid_day(int y, int m, int d) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1) return false;
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= kDays[m - 1] + (m == 2 && leap ? 1 : 0);
}

// The time of day and offset after the date, in seconds; a problem ("" when none) otherwise.
std::string time_of_day(std::string_view text, std::size_t& at, double& seconds) {
  const std::string malformed = kMalformed;
  const auto h = number(text, at, 2);
  if (!h || !expect(text, at, ':')) return malformed;
  const auto mi = number(text, at, 2);
  if (!mi || *h > 23 || *mi > 59) return malformed;
  seconds = *h * 3600.0 + *mi * 60.0;
  if (expect(text, at, ':')) {
    const auto s = number(text, at, 2);
    if (!s || *s > 60) return malformed;
    if (*s == 60)
      return "has second 60 (a leap second), which cannot be ordered among the others; write "
             "59";
    seconds += *s;
    if (expect(text, at, '.') || expect(text, at, ',')) {
      double scale = 0.1;
      const std::size_t from = at;
      for (; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at, scale /= 10)
        seconds += (text[at] - '0') * scale;
      if (at == from) return malformed;
    }
  }
  if (at == text.size()) return kNoZone;
  if (expect(text, at, 'Z')) return at == text.size() ? "" : malformed;
  const char sign = text[at];
  if (sign != '+' && sign != '-') return malformed;
  ++at;
  const auto oh = number(text, at, 2);
  expect(text, at, ':');
  const auto om = number(text, at, 2);
  if (!oh || !om || at != text.size() || *oh > 23 || *om > 59) return malformed;
  seconds -= (sign == '+' ? 1 : -1) * (*oh * 3600.0 + *om * 60.0);
  return "";
}

}  // namespace

Timestamp parse_timestamp(std::string_view text) {
  const std::string malformed = kMalformed;
  std::size_t at = 0;
  const auto y = number(text, at, 4);
  if (!y || !expect(text, at, '-')) return {std::nullopt, malformed};
  const auto m = number(text, at, 2);
  if (!m || !expect(text, at, '-')) return {std::nullopt, malformed};
  const auto d = number(text, at, 2);
  if (!d || !valid_day(*y, *m, *d)) return {std::nullopt, malformed};
  const double day = static_cast<double>(days_from_civil(*y, *m, *d)) * 86400.0;
  if (at == text.size()) return {day, ""};  // a date alone: its start in UTC
  if (text[at] != 'T' && text[at] != 't' && text[at] != ' ') return {std::nullopt, malformed};
  ++at;
  double seconds = 0;
  std::string problem = time_of_day(text, at, seconds);
  if (!problem.empty()) return {std::nullopt, std::move(problem)};
  return {day + seconds, ""};
}

}  // namespace causeway
