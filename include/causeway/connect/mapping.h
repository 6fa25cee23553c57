// The mapping of `causeway signals`: how interaction records (JSON objects) become one row of
// numbers per customer.
//
// A mapping names the field holding the customer id (kept as text), optionally the timestamp
// field that orders records for `last`, and the output columns. Each column reads a source from
// every record of a customer and aggregates the values:
//   source: a numeric or boolean field ("analysis.signal.riskScore"; booleans read as 0/1), or
//           a condition giving 1 or 0: {"path": P, "equals": V}, {"contains": {"path": P,
//           "value": V}} (V is an element of the array at P), {"all": [conditions]} and
//           {"any": [conditions]};
//   aggregate: max, min, mean, sum, count, any or last (by the timestamp);
//   default: the value used in a record where the source is missing (absent or null).
// The file format is documented with a worked example in the README ("Conversation signals").
//
// Failure: a Status naming the mapping file, the column and the key that is wrong.
// A SignalMapping is immutable once read and safe to share between threads.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "causeway/status.h"

namespace causeway {

enum class Aggregation { kMax, kMin, kMean, kSum, kCount, kAny, kLast };

const char* aggregation_name(Aggregation aggregation);

// A dotted path into nested objects, kept with its spelling for messages.
struct FieldPath {
  std::string text;                   // "analysis.signal.riskScore"
  std::vector<std::string> segments;  // {"analysis", "signal", "riskScore"}
};

// A constant a condition compares a field with: text, number or boolean.
using ScalarValue = std::variant<std::string, double, bool>;

struct SignalSource {
  enum class Kind {
    kRecord,    // no source: every record counts (only with count)
    kValue,     // the field's number (booleans 0/1)
    kEquals,    // 1 when the field equals `value`
    kContains,  // 1 when the array at the path holds `value`
    kAll,       // 1 when every part is 1
    kAny,       // 1 when some part is 1
  };
  Kind kind = Kind::kRecord;
  FieldPath path;
  ScalarValue value;
  std::vector<SignalSource> parts;  // kAll and kAny
};

struct SignalColumn {
  std::string name;
  SignalSource source;
  Aggregation aggregation = Aggregation::kMax;
  std::optional<double> fallback;  // the mapping's "default"
};

struct SignalMapping {
  FieldPath id;
  std::string id_column;  // the output column of the ids (default: the id path's last segment)
  std::optional<FieldPath> timestamp;  // required when a column aggregates with last
  std::vector<SignalColumn> columns;
};

Result<SignalMapping> read_signal_mapping(const std::string& path);
// Parses mapping text; `source` names it in messages.
Result<SignalMapping> parse_signal_mapping(std::string_view text, const std::string& source);

}  // namespace causeway
