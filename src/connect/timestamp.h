// Timestamps that order a customer's records for the `last` aggregation.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace causeway {

// A parsed timestamp: its seconds since 1970-01-01T00:00:00Z, or what is wrong with it.
struct Timestamp {
  std::optional<double> seconds;
  std::string problem;  // completes "timestamp '2024-03-01T10:00:00' ...": "has no time zone"
};

// An ISO 8601 date-time with a time zone: "2024-03-01T10:15:00Z" or "...+02:00", with optional
// seconds and fractional seconds ("T" may be a space); or a date alone ("2024-03-01", taken as
// 00:00 UTC that day). Refused, with a problem saying why: a time without a zone (ambiguous
// across zones: not silently taken as UTC), a second 60 (a leap second cannot be ordered among
// the others), anything else.
Timestamp parse_timestamp(std::string_view text);

}  // namespace causeway
