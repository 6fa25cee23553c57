#include "connect/record_values.h"

#include <fmt/format.h>

namespace causeway {

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

bool is_number(element v) {
  const element_type t = v.type();
  return t == element_type::INT64 || t == element_type::UINT64 || t == element_type::DOUBLE;
}

std::string shown(const ScalarValue& value) {
  if (const auto* s = std::get_if<std::string>(&value)) return fmt::format("the text \"{}\"", *s);
  if (const auto* b = std::get_if<bool>(&value)) return *b ? "true" : "false";
  return fmt::format("the number {}", std::get<double>(value));
}

// Whether `v` equals `value`; nullopt when they are of different kinds.
std::optional<bool> equal(element v, const ScalarValue& value) {
  if (const auto* s = std::get_if<std::string>(&value)) {
    if (v.type() != element_type::STRING) return std::nullopt;
    return std::string_view(v.get_string().value_unsafe()) == *s;
  }
  if (const auto* b = std::get_if<bool>(&value)) {
    if (v.type() != element_type::BOOL) return std::nullopt;
    return v.get_bool().value_unsafe() == *b;
  }
  if (!is_number(v)) return std::nullopt;
  return v.get_double().value_unsafe() == std::get<double>(value);
}

[[noreturn]] void wrong_type(const FieldPath& path, element v, const std::string& expected) {
  throw RecordProblem{
      "wrong type",
      fmt::format("field '{}' is {}; the mapping expects {}", path.text, json_kind(v), expected),
      path.text};
}

double value_of(const SignalSource& s, element v) {
  if (v.type() == element_type::BOOL) return v.get_bool().value_unsafe() ? 1 : 0;
  if (!is_number(v)) wrong_type(s.path, v, "a number or true/false");
  return v.get_double().value_unsafe();
}

double contains(const SignalSource& s, element v) {
  if (v.type() != element_type::ARRAY)
    wrong_type(s.path, v, "an array (to look for " + shown(s.value) + " in)");
  const simdjson::dom::array items = v.get_array().value_unsafe();  // not a temporary's member
  for (element item : items)
    if (equal(item, s.value).value_or(false)) return 1;
  return 0;
}

// Kleene logic: one false part makes "all" false (one true part makes "any" true) even when
// another part is missing; otherwise a missing part makes the result missing.
std::optional<double> combine(const SignalSource& s, element root) {
  const bool all = s.kind == SignalSource::Kind::kAll;
  bool missing = false;
  for (const auto& part : s.parts) {
    const std::optional<double> v = source_value(part, root);
    if (!v)
      missing = true;
    else if ((*v != 0) != all)
      return all ? 0 : 1;
  }
  if (missing) return std::nullopt;
  return all ? 1 : 0;
}

}  // namespace

const char* json_kind(element v) {
  switch (v.type()) {
    case element_type::ARRAY:
      return "an array";
    case element_type::OBJECT:
      return "an object";
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE:
      return "a number";
    case element_type::STRING:
      return "text";
    case element_type::BOOL:
      return "true/false";
    case element_type::NULL_VALUE:
      return "null";
  }
  return "a value";
}

std::optional<element> find_field(element root, const FieldPath& path) {
  element at = root;
  std::string walked;
  for (const auto& segment : path.segments) {
    if (at.type() == element_type::NULL_VALUE) return std::nullopt;
    if (at.type() != element_type::OBJECT)
      throw RecordProblem{
          "wrong type",
          fmt::format("'{}' is {}, so it has no field '{}' (path '{}')",
                      walked.empty() ? "the record" : walked, json_kind(at), segment, path.text),
          path.text};
    element next;
    if (at.get_object().value_unsafe()[segment].get(next) != simdjson::SUCCESS) return std::nullopt;
    at = next;
    walked += (walked.empty() ? "" : ".") + segment;
  }
  if (at.type() == element_type::NULL_VALUE) return std::nullopt;
  return at;
}

std::optional<double> source_value(const SignalSource& s, element root) {
  using Kind = SignalSource::Kind;
  if (s.kind == Kind::kRecord) return 1;
  if (s.kind == Kind::kAll || s.kind == Kind::kAny) return combine(s, root);
  const std::optional<element> v = find_field(root, s.path);
  if (!v) return std::nullopt;
  if (s.kind == Kind::kValue) return value_of(s, *v);
  if (s.kind == Kind::kContains) return contains(s, *v);
  const std::optional<bool> same = equal(*v, s.value);
  if (!same) wrong_type(s.path, *v, "a value comparable with " + shown(s.value));
  return *same ? 1 : 0;
}

std::string record_id(element root, const FieldPath& path) {
  const std::optional<element> v = find_field(root, path);
  const auto missing = [&] {
    return RecordProblem{
        "missing id", fmt::format("the record has no customer id in '{}'", path.text), path.text};
  };
  if (!v) throw missing();
  switch (v->type()) {
    case element_type::STRING: {
      const std::string_view id = v->get_string().value_unsafe();
      if (id.empty()) throw missing();
      return std::string(id);
    }
    case element_type::INT64:
      return std::to_string(v->get_int64().value_unsafe());
    case element_type::UINT64:
      return std::to_string(v->get_uint64().value_unsafe());
    default:
      throw RecordProblem{"wrong type",
                          fmt::format("the customer id '{}' is {}; expected text or a whole "
                                      "number",
                                      path.text, json_kind(*v)),
                          path.text};
  }
}

}  // namespace causeway
