// Timestamps that order a customer's records for the `last` aggregation.
#pragma once

#include <optional>
#include <string_view>

namespace causeway {

// Seconds since 1970-01-01T00:00:00Z of an ISO 8601 date or date-time: "2024-03-01",
// "2024-03-01T10:15:00", with optional fractional seconds and "Z" or "+02:00" ("T" may be a
// space). A time without an offset is taken as UTC. nullopt for anything else.
std::optional<double> parse_timestamp(std::string_view text);

}  // namespace causeway
