#include "connect/push_body.h"

#include <fmt/format.h>

#include <cctype>
#include <cmath>
#include <nlohmann/json.hpp>

#include "connect/http_get.h"
#include "data/value_parse.h"  // trim, is_missing_token, parse_number

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

// A JSON number a CRM can store: the JSON spelling, and finite as a double (not 1e400).
bool is_storable_number(std::string_view cell) {
  if (!is_json_number(cell)) return false;
  const nlohmann::json number = nlohmann::json::parse(cell, nullptr, false);
  return !number.is_discarded() &&
         (!number.is_number_float() || std::isfinite(number.get<double>()));
}

// Where `text` stops being UTF-8 (text.size() when it is).
std::size_t utf8_error(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t n = c < 0x80         ? 1
                          : (c >> 5) == 6  ? 2
                          : (c >> 4) == 14 ? 3
                          : (c >> 3) == 30 ? 4
                                           : 0;
    if (n == 0 || i + n > text.size()) return i;
    for (std::size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(text[i + k]) >> 6) != 2) return i;
    i += n;
  }
  return text.size();
}

nlohmann::json value_of(std::string_view cell, CellKind kind) {
  if (kind == CellKind::kText) return std::string(cell);
  return nlohmann::json::parse(cell);  // checked by column_kind
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
  for (std::size_t at = url_template.find('{'); at != std::string::npos;
       at = url_template.find('{', at + 1))
    if (url_template.compare(at, 4, "{id}") != 0)
      throw Error(
          ErrorCode::kBadInput,
          fmt::format("--url-template '{}': '{}' is no placeholder causeway fills; only "
                      "{{id}} is (percent-encode other braces as %7B and %7D)",
                      url_template, url_template.substr(at, url_template.find('}', at) - at + 1)));
  if (url_template.rfind("http://", 0) != 0 && url_template.rfind("https://", 0) != 0)
    throw Error(
        ErrorCode::kBadInput,
        fmt::format("--url-template '{}' must begin with http:// or https://", url_template));
  // The server is the template's, never the data's: {id} may not reach the host part.
  const std::size_t host = url_template.find("://") + 3;
  const std::size_t path = url_template.find_first_of("/?#", host);
  if (url_template.substr(host, path == std::string::npos ? path : path - host).find("{id}") !=
      std::string::npos)
    throw Error(ErrorCode::kBadInput,
                fmt::format("--url-template '{}' puts {{id}} in the server's name or port; it "
                            "goes in the path or query (https://crm.example/customers/{{id}}), "
                            "so that no row of the scores file chooses where requests go",
                            url_template));
  if (fields.empty()) throw Error(ErrorCode::kBadInput, "--body names no field to send");
  std::vector<std::string_view> empty(fields.size());
  for (const auto& f : fields)
    for (const auto& key : keys_of(f.path))
      if (key.empty())
        throw Error(ErrorCode::kBadInput,
                    fmt::format("--body: the path '{}' has an empty key", f.path));
  push_body(fields, empty, std::vector<CellKind>(fields.size(), CellKind::kText));  // clashes
}

std::string push_url(const std::string& url_template, const std::string& id) {
  const std::string encoded = url_escape(id);
  std::string url = url_template;
  for (std::size_t at = url.find("{id}"); at != std::string::npos;
       at = url.find("{id}", at + encoded.size()))
    url.replace(at, 4, encoded);
  return url;
}

CellKind column_kind(const std::vector<std::vector<std::string>>& rows, std::size_t column,
                     const std::string& name, const std::string& path, std::string& note) {
  std::size_t numbers = 0, texts = 0, first_text = 0;
  std::vector<char> number(rows.size(), 0);  // a storable JSON number (parsed once per cell)
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const std::string& cell = rows[r][column];
    if (const std::size_t at = utf8_error(cell); at < cell.size())
      throw Error(ErrorCode::kBadInput,
                  fmt::format("{}: row {}, column '{}': byte {} (0x{:02X}) is not UTF-8 text; save "
                              "the file as UTF-8 (nothing was sent)",
                              path, r + 1, name, at + 1, static_cast<unsigned char>(cell[at])));
    if (cell.empty()) continue;
    if ((number[r] = is_storable_number(cell)))
      ++numbers;
    else if (texts++ == 0)
      first_text = r;
  }
  // A number gone wrong: "nan", "inf", "1e400", "+1", ".5", "NA"; "007" and "-0012" are codes,
  // kept as text.
  const auto junk = [](const std::string& cell) {
    double ignored = 0;
    const std::size_t sign = cell.starts_with('-') ? 1 : 0;
    const bool code = cell.size() > sign + 1 && cell[sign] == '0' &&
                      std::isdigit(static_cast<unsigned char>(cell[sign + 1]));
    return is_missing_token(cell) || (!code && parse_number(cell, ignored));
  };
  const auto refuse = [&](std::size_t r) {
    const std::string& cell = rows[r][column];
    throw Error(ErrorCode::kBadInput,
                fmt::format("{}: row {}, column '{}': {}; {} (nothing was sent)", path, r + 1, name,
                            cell.empty() ? "no value"
                                         : fmt::format("'{}' is no number a CRM can store", cell),
                            cell.empty() ? "sent empty it would erase the field: fill it or drop "
                                           "the row"
                                         : "fix the value or drop the row"));
  };
  // Empty cells erase a field whatever the column; a column of numbers may hold no number gone
  // wrong, nor may a column whose every value is one (all "nan": no numbers left to see).
  bool all_junk = texts > 0;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const std::string& cell = rows[r][column];
    if (cell.empty()) refuse(r);
    if (number[r]) continue;
    const bool bad = junk(cell);
    if (bad && numbers > 0) refuse(r);
    all_junk = all_junk && bad;
  }
  if (numbers == 0 && all_junk) refuse(first_text);
  if (numbers == 0) return CellKind::kText;
  if (texts == 0) return CellKind::kNumber;
  note = fmt::format(
      "column '{}' is sent as text for every row: row {} holds '{}', which is not "
      "a number",
      name, first_text + 1, rows[first_text][column]);
  return CellKind::kText;
}

std::string push_body(const std::vector<PushField>& fields,
                      const std::vector<std::string_view>& cells,
                      const std::vector<CellKind>& kinds) {
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
    *at = value_of(cells[i], kinds[i]);
  }
  return body.dump();
}

}  // namespace causeway
