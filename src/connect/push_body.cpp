#include "connect/push_body.h"

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "connect/http_get.h"
#include "data/value_parse.h"  // trim

namespace causeway {

namespace {

std::vector<std::string> keys_of(const std::string& path) {
  std::vector<std::string> keys;
  std::size_t begin = 0;
  for (;;) {
    const std::size_t dot = path.find('.', begin);
    keys.push_back(path.substr(begin, dot == std::string::npos ? dot : dot - begin));
    if (dot == std::string::npos) return keys;
    begin = dot + 1;
  }
}

// A number as JSON spells one: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?. "007", "+1",
// ".5" and "1." are not, and stay text (ids and codes keep their spelling).
bool is_json_number(std::string_view t) {
  std::size_t i = 0;
  const auto digits = [&] {
    const std::size_t from = i;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
    return i - from;
  };
  if (i < t.size() && t[i] == '-') ++i;
  const std::size_t first = i;
  const std::size_t whole = digits();
  if (whole == 0 || (whole > 1 && t[first] == '0')) return false;
  if (i < t.size() && t[i] == '.' && (++i, digits() == 0)) return false;
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
    if (digits() == 0) return false;
  }
  return i == t.size();
}

nlohmann::json value_of(std::string_view cell) {
  if (cell.empty()) return nullptr;
  if (is_json_number(cell)) {
    nlohmann::json number = nlohmann::json::parse(cell, nullptr, false);
    if (!number.is_discarded() &&
        (!number.is_number_float() || std::isfinite(number.get<double>())))
      return number;
  }
  return std::string(cell);
}

}  // namespace

std::vector<PushField> parse_push_body(const std::string& text) {
  std::vector<PushField> fields;
  std::size_t begin = 0;
  while (begin <= text.size()) {
    std::size_t comma = text.find(',', begin);
    if (comma == std::string::npos) comma = text.size();
    const std::string item = text.substr(begin, comma - begin);
    const std::size_t eq = item.find('=');
    PushField f;
    if (eq != std::string::npos) {
      f.path = std::string(trim(std::string_view(item).substr(0, eq)));
      f.column = std::string(trim(std::string_view(item).substr(eq + 1)));
    }
    if (f.path.empty() || f.column.empty())
      throw Error(ErrorCode::kBadInput,
                  fmt::format("--body: '{}' is not PATH=COLUMN; write e.g. "
                              "'customAttributes.uplift_score=predicted_uplift'",
                              item));
    fields.push_back(std::move(f));
    begin = comma + 1;
  }
  return fields;
}

void check_push_template(const std::string& url_template, const std::vector<PushField>& fields) {
  if (url_template.find("{id}") == std::string::npos)
    throw Error(ErrorCode::kBadInput,
                fmt::format("--url-template '{}' has no {{id}}; write where the row's id goes, "
                            "e.g. https://crm.example/customers/{{id}}",
                            url_template));
  if (url_template.rfind("http://", 0) != 0 && url_template.rfind("https://", 0) != 0)
    throw Error(
        ErrorCode::kBadInput,
        fmt::format("--url-template '{}' must begin with http:// or https://", url_template));
  if (fields.empty()) throw Error(ErrorCode::kBadInput, "--body names no field to send");
  std::vector<std::string_view> empty(fields.size());
  for (const auto& f : fields)
    for (const auto& key : keys_of(f.path))
      if (key.empty())
        throw Error(ErrorCode::kBadInput,
                    fmt::format("--body: the path '{}' has an empty key", f.path));
  push_body(fields, empty);  // throws on clashing paths
}

std::string push_url(const std::string& url_template, const std::string& id) {
  const std::string encoded = url_escape(id);
  std::string url = url_template;
  for (std::size_t at = url.find("{id}"); at != std::string::npos;
       at = url.find("{id}", at + encoded.size()))
    url.replace(at, 4, encoded);
  return url;
}

std::string push_body(const std::vector<PushField>& fields,
                      const std::vector<std::string_view>& cells) {
  nlohmann::json body = nlohmann::json::object();
  for (std::size_t i = 0; i < fields.size(); ++i) {
    nlohmann::json* at = &body;
    const std::vector<std::string> keys = keys_of(fields[i].path);
    for (std::size_t k = 0; k < keys.size(); ++k) {
      const bool leaf = k + 1 == keys.size();
      if (!at->is_object() || (leaf && at->contains(keys[k])))
        throw Error(
            ErrorCode::kBadInput,
            fmt::format("--body: the path '{}' clashes with another field's path", fields[i].path));
      if (!leaf && !at->contains(keys[k])) (*at)[keys[k]] = nlohmann::json::object();
      at = &(*at)[keys[k]];
    }
    *at = value_of(cells[i]);
  }
  return body.dump();
}

}  // namespace causeway
