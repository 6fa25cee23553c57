// The mapping is small and read once: nlohmann-json's convenience matters more than speed here.
#include "causeway/connect/mapping.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "core/read_file.h"

namespace causeway {

namespace {

using nlohmann::json;

struct Reader {
  std::string source;

  [[noreturn]] void fail(const std::string& where, const std::string& what) const {
    throw Error(ErrorCode::kBadInput, fmt::format("{}: {}: {}", source, where, what));
  }

  void only_keys(const json& object, const std::set<std::string>& allowed,
                 const std::string& where) const {
    for (const auto& [key, value] : object.items())
      if (!allowed.count(key)) {
        std::string names;
        for (const auto& a : allowed) names += (names.empty() ? "" : ", ") + a;
        fail(where, fmt::format("unknown key '{}'; the keys here are {}", key, names));
      }
  }

  FieldPath path(const json& j, const std::string& where) const {
    if (!j.is_string() || j.get<std::string>().empty())
      fail(where, "a field path must be non-empty text such as \"analysis.signal.riskScore\"");
    FieldPath p{j.get<std::string>(), {}};
    std::stringstream parts(p.text);
    for (std::string s; std::getline(parts, s, '.');) {
      if (s.empty()) fail(where, fmt::format("the path '{}' has an empty segment", p.text));
      if (s.find_first_of("[]") != std::string::npos)
        fail(where, fmt::format("the path '{}' has an array index ('{}'); paths address object "
                                "keys only, array indexes are not supported yet (to test an "
                                "array's elements use {{\"contains\": {{\"path\": ..., "
                                "\"value\": ...}}}})",
                                p.text, s));
      p.segments.push_back(s);
    }
    if (p.text.back() == '.') fail(where, fmt::format("the path '{}' ends in a dot", p.text));
    return p;
  }

  ScalarValue scalar(const json& j, const std::string& where) const {
    if (j.is_string()) return j.get<std::string>();
    if (j.is_boolean()) return j.get<bool>();
    if (j.is_number()) return j.get<double>();
    fail(where, "the value to compare with must be text, a number or true/false");
  }

  SignalSource condition(const json& j, const std::string& where) const {
    if (!j.is_object())
      fail(where,
           "a condition is an object: {\"path\": ..., \"equals\": ...}, "
           "{\"contains\": {...}}, {\"all\": [...]} or {\"any\": [...]}");
    SignalSource s;
    if (j.contains("all") || j.contains("any")) {
      const bool all = j.contains("all");
      only_keys(j, {all ? "all" : "any"}, where);
      const json& parts = j.at(all ? "all" : "any");
      if (!parts.is_array() || parts.empty())
        fail(where,
             fmt::format("\"{}\" takes a non-empty list of conditions", all ? "all" : "any"));
      s.kind = all ? SignalSource::Kind::kAll : SignalSource::Kind::kAny;
      for (std::size_t i = 0; i < parts.size(); ++i)
        s.parts.push_back(condition(parts[i], fmt::format("{}, condition {}", where, i + 1)));
      return s;
    }
    if (j.contains("contains")) {
      only_keys(j, {"contains"}, where);
      const json& c = j.at("contains");
      if (!c.is_object() || !c.contains("path") || !c.contains("value"))
        fail(where, "\"contains\" takes {\"path\": ..., \"value\": ...}");
      only_keys(c, {"path", "value"}, where + ", contains");
      s.kind = SignalSource::Kind::kContains;
      s.path = path(c.at("path"), where);
      s.value = scalar(c.at("value"), where);
      return s;
    }
    only_keys(j, {"path", "equals"}, where);
    if (!j.contains("path")) fail(where, "a source needs a \"path\"");
    s.path = path(j.at("path"), where);
    s.kind = SignalSource::Kind::kValue;
    if (j.contains("equals")) {
      s.kind = SignalSource::Kind::kEquals;
      s.value = scalar(j.at("equals"), where);
    }
    return s;
  }

  Aggregation aggregation(const json& j, const std::string& where) const {
    static const std::pair<const char*, Aggregation> kNames[] = {
        {"max", Aggregation::kMax},  {"min", Aggregation::kMin},     {"mean", Aggregation::kMean},
        {"sum", Aggregation::kSum},  {"count", Aggregation::kCount}, {"any", Aggregation::kAny},
        {"last", Aggregation::kLast}};
    if (j.is_string())
      for (const auto& [name, a] : kNames)
        if (j.get<std::string>() == name) return a;
    fail(where, fmt::format("\"aggregate\" {} is not one of max, min, mean, sum, count, any, last",
                            j.dump()));
  }

  SignalColumn column(const json& j, std::size_t index) const {
    std::string where = fmt::format("columns[{}]", index);
    if (!j.is_object())
      fail(where,
           "a column is an object with \"name\", \"source\", "
           "\"aggregate\" and optionally \"default\"");
    only_keys(j, {"name", "source", "aggregate", "default"}, where);
    if (!j.contains("name") || !j.at("name").is_string() || j.at("name").get<std::string>().empty())
      fail(where, "a column needs a \"name\" (its header in the output CSV)");
    SignalColumn c;
    c.name = j.at("name").get<std::string>();
    where = fmt::format("column '{}'", c.name);
    if (!j.contains("aggregate")) fail(where, "a column needs an \"aggregate\"");
    c.aggregation = aggregation(j.at("aggregate"), where);
    if (j.contains("source")) {
      const json& s = j.at("source");
      c.source = s.is_string() ? SignalSource{SignalSource::Kind::kValue, path(s, where), {}, {}}
                               : condition(s, where);
    } else if (c.aggregation != Aggregation::kCount) {
      fail(where,
           "a column needs a \"source\" (only \"count\" may go without one: it then "
           "counts the customer's records)");
    }
    if (j.contains("default")) {
      const json& d = j.at("default");
      if (d.is_boolean())
        c.fallback = d.get<bool>() ? 1.0 : 0.0;
      else if (d.is_number())
        c.fallback = d.get<double>();
      else
        fail(where, "\"default\" must be a number or true/false");
    }
    return c;
  }

  SignalMapping mapping(const json& j) const {
    if (!j.is_object())
      fail("top level", "the mapping is a JSON object with \"id\" and \"columns\"");
    only_keys(j, {"id", "id_column", "timestamp", "columns"}, "top level");
    if (!j.contains("id")) fail("top level", "\"id\" names the field holding the customer id");
    SignalMapping m;
    m.id = path(j.at("id"), "id");
    m.id_column = m.id.segments.back();
    if (j.contains("id_column")) {
      if (!j.at("id_column").is_string() || j.at("id_column").get<std::string>().empty())
        fail("id_column", "must be non-empty text");
      m.id_column = j.at("id_column").get<std::string>();
    }
    if (j.contains("timestamp")) m.timestamp = path(j.at("timestamp"), "timestamp");
    if (!j.contains("columns") || !j.at("columns").is_array() || j.at("columns").empty())
      fail("columns", "give a non-empty list of output columns");
    std::set<std::string> names{m.id_column};
    for (std::size_t i = 0; i < j.at("columns").size(); ++i) {
      m.columns.push_back(column(j.at("columns")[i], i));
      const SignalColumn& c = m.columns.back();
      if (!names.insert(c.name).second)
        fail("column '" + c.name + "'", "the name is used twice (or is the id column's)");
      if (c.aggregation == Aggregation::kLast && !m.timestamp)
        fail("column '" + c.name + "'",
             "\"last\" needs the mapping's \"timestamp\" field that orders the records");
    }
    return m;
  }
};

}  // namespace

const char* aggregation_name(Aggregation a) {
  switch (a) {
    case Aggregation::kMax:
      return "max";
    case Aggregation::kMin:
      return "min";
    case Aggregation::kMean:
      return "mean";
    case Aggregation::kSum:
      return "sum";
    case Aggregation::kCount:
      return "count";
    case Aggregation::kAny:
      return "any";
    case Aggregation::kLast:
      return "last";
  }
  return "?";
}

namespace {

SignalMapping parse_mapping(std::string_view text, const std::string& source) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    throw Error(ErrorCode::kBadInput,
                fmt::format("{}: the mapping is not valid JSON (at byte {}): fix the file", source,
                            e.byte));
  }
  return Reader{source}.mapping(j);
}

}  // namespace

Result<SignalMapping> parse_signal_mapping(std::string_view text, const std::string& source) {
  return guarded([&] { return parse_mapping(text, source); });
}

Result<SignalMapping> read_signal_mapping(const std::string& path) {
  return guarded([&] { return parse_mapping(read_whole_file(path, "mapping file"), path); });
}

}  // namespace causeway
