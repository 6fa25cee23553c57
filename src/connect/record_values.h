// Reading a mapping's fields out of one parsed record (a simdjson DOM element).
#pragma once

#include <simdjson.h>

#include <optional>
#include <string>

#include "causeway/connect/mapping.h"

namespace causeway {

// Why a record cannot be used; thrown by the readers below, caught per record.
struct RecordProblem {
  std::string reason;  // a short category: "missing id", "wrong type", "bad timestamp"
  std::string detail;
  std::string field;
};

// The field at `path`; nullopt when a step is absent or null. Throws RecordProblem when a step
// that must be an object is something else.
std::optional<simdjson::dom::element> find_field(simdjson::dom::element root,
                                                 const FieldPath& path);

// The source's value in this record; nullopt when its field is missing. Throws RecordProblem.
std::optional<double> source_value(const SignalSource& source, simdjson::dom::element root);

// The customer id as text: a string as written, a whole number in decimal. Throws
// RecordProblem when absent, empty or of another type.
std::string record_id(simdjson::dom::element root, const FieldPath& path);

// "text", "a number", "an array", ... for messages.
const char* json_kind(simdjson::dom::element value);

}  // namespace causeway
