#include "causeway/connect/outcomes.h"

#include <fmt/format.h>

#include <cmath>
#include <unordered_map>

#include "causeway/data/table.h"
#include "core/read_file.h"
#include "data/csv_tokenizer.h"
#include "data/value_parse.h"

namespace causeway {

namespace {

constexpr std::size_t kFirstFew = 5;

struct Outcomes {
  std::vector<std::string> header;  // without the `on` column
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> ids;
  std::unordered_map<std::string, std::size_t> row_of;
};

std::size_t on_column(const std::vector<std::string>& header, const std::string& path,
                      const std::string& on) {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == on) return i;
  const std::string near = closest_name(header, on);
  std::string list;
  for (const auto& n : header) list += (list.empty() ? "" : ", ") + n;
  throw Error(ErrorCode::kMissingColumn,
              fmt::format("{}: no column '{}' to join on (--on){}; the columns are {}", path, on,
                          near.empty() ? "" : fmt::format("; did you mean '{}'?", near), list));
}

Outcomes read_outcomes(const std::string& path, const std::string& on) {
  TextTable t = read_text_table(path, "outcomes file");
  const std::size_t key = on_column(t.header, path, on);
  Outcomes o;
  for (std::size_t i = 0; i < t.header.size(); ++i)
    if (i != key) o.header.push_back(t.header[i]);
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    auto& fields = t.rows[r];
    const std::size_t line = r + 2;  // after the header, rows one line each
    std::string id = fields[key];
    if (id.empty())
      throw Error(ErrorCode::kBadInput,
                  fmt::format("{}: row {} has no '{}'; every outcome row needs a customer id", path,
                              line - 1, on));
    if (auto [it, fresh] = o.row_of.try_emplace(id, o.rows.size()); !fresh)
      throw Error(ErrorCode::kBadInput,
                  fmt::format("{}: customer '{}' appears twice in '{}' (row {}); keep one "
                              "outcome row per customer",
                              path, id, on, line - 1));
    fields.erase(fields.begin() + static_cast<long>(key));
    o.rows.push_back(std::move(fields));
    o.ids.push_back(std::move(id));
  }
  return o;
}

void note(std::vector<std::string>& first, std::size_t& count, const std::string& id) {
  if (count++ < kFirstFew) first.push_back(id);
}

}  // namespace

TextTable read_text_table(const std::string& path, const std::string& what) {
  const std::string text = read_whole_file(path, what);
  CsvTokenizer tok(text, detect_delimiter(text), path);
  std::vector<std::string_view> fields;
  TextTable t;
  if (!tok.next(fields))
    throw Error(ErrorCode::kBadInput,
                fmt::format("{}: the {} is empty; expected a header row", path, what));
  for (const auto f : fields) t.header.emplace_back(trim(f));
  while (tok.next(fields)) {
    if (fields.size() != t.header.size())
      throw Error(ErrorCode::kBadInput,
                  fmt::format("{}: line {} has {} fields but the header has {}; fix the row", path,
                              tok.line(), fields.size(), t.header.size()));
    t.rows.emplace_back();
    for (const auto f : fields) t.rows.back().emplace_back(trim(f));
  }
  return t;
}

TextTable signal_text_table(const SignalTable& signals) {
  TextTable t;
  t.header.push_back(signals.id_column);
  t.header.insert(t.header.end(), signals.columns.begin(), signals.columns.end());
  for (std::size_t r = 0; r < signals.ids.size(); ++r) {
    std::vector<std::string> row{signals.ids[r]};
    for (std::size_t c = 0; c < signals.columns.size(); ++c) {
      const double v = signals.cell(r, c);
      row.push_back(std::isnan(v) ? std::string() : fmt::format("{}", v == 0 ? 0.0 : v));
    }
    t.rows.push_back(std::move(row));
  }
  return t;
}

Result<TextTable> join_outcomes(const TextTable& signals, const std::string& outcomes_path,
                                const std::string& on, OutcomeJoin& join) {
  return guarded([&] {
    const Outcomes o = read_outcomes(outcomes_path, on);
    join.file = outcomes_path;
    join.on = on;
    TextTable t{signals.header, {}};
    for (const auto& name : o.header) {
      for (const auto& taken : signals.header)
        if (taken == name)
          throw Error(ErrorCode::kBadInput,
                      fmt::format("{}: column '{}' is also a signal column; rename it in the "
                                  "outcomes file or in the mapping",
                                  outcomes_path, name));
      t.header.push_back(name);
    }
    std::vector<char> used(o.rows.size(), 0);
    for (const auto& row : signals.rows) {
      const auto it = o.row_of.find(row[0]);
      if (it == o.row_of.end()) {
        note(join.first_signals_only, join.signals_only, row[0]);
        continue;
      }
      used[it->second] = 1;
      t.rows.push_back(row);
      const auto& extra = o.rows[it->second];
      t.rows.back().insert(t.rows.back().end(), extra.begin(), extra.end());
    }
    for (std::size_t i = 0; i < o.rows.size(); ++i)
      if (!used[i]) note(join.first_outcomes_only, join.outcomes_only, o.ids[i]);
    join.matched = t.rows.size();
    return t;
  });
}

std::string csv_text(const TextTable& table) {
  std::string out;
  const auto field = [&out](const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos && s == std::string(trim(s))) {
      out += s;
      return;
    }
    out += '"';
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    out += '"';
  };
  const auto line = [&](const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i) out += ',';
      field(cells[i]);
    }
    out += '\n';
  };
  line(table.header);
  for (const auto& row : table.rows) line(row);
  return out;
}

}  // namespace causeway
