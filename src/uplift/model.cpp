#include "causeway/uplift/model.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>

#include "core/binary_io.h"
#include "data/covariate_encoding.h"
#include "data/value_parse.h"
#include "forest/causal_forest.h"
#include "uplift/deciles.h"

namespace causeway {
namespace {

constexpr std::string_view kMagic = "causeway uplift model\n";

UpliftModel parse(std::string_view bytes, const std::string& path) {
  if (bytes.substr(0, kMagic.size()) != kMagic)
    throw Error(ErrorCode::kBadInput,
                fmt::format("{}: not a causeway model file; give the file written by "
                            "`causeway uplift --save-model`",
                            path));
  ByteReader head(bytes.substr(kMagic.size()), path);
  const std::uint32_t format = head.u32();
  if (format != kModelFormat)
    throw Error(ErrorCode::kBadInput,
                fmt::format("{}: model file format {}, but this causeway reads format {}; train "
                            "the model again with this version",
                            path, format, kModelFormat));
  if (bytes.size() < kMagic.size() + 12)
    throw Error(ErrorCode::kBadInput, fmt::format("{}: the model file is truncated", path));
  const std::string_view body = bytes.substr(0, bytes.size() - 8);
  ByteReader tail(bytes.substr(bytes.size() - 8), path);
  if (tail.u64() != checksum(body))
    throw Error(ErrorCode::kBadInput,
                fmt::format("{}: the model file is damaged (its checksum does not match); save "
                            "the model again",
                            path));
  ByteReader in(body.substr(kMagic.size() + 4), path);
  UpliftModel m;
  m.causeway_version = in.str();
  m.treatment = in.str();
  m.outcome = in.str();
  m.source = in.str();
  m.training_rows = in.u64();
  m.columns.resize(in.count(in.remaining() / 9));
  for (auto& c : m.columns) {
    c.name = in.str();
    c.categorical = in.u32() != 0;
    c.levels.resize(in.count(in.remaining() / 8));
    for (auto& level : c.levels) level = in.str();
  }
  m.features.resize(in.count(in.remaining() / 8));
  for (auto& f : m.features) f = in.str();
  m.forest = std::make_shared<CausalForest>(CausalForest::read(in, m.features.size()));
  if (in.remaining() != 0)
    throw Error(ErrorCode::kBadInput,
                fmt::format("{}: the model file has unexpected trailing data", path));
  return m;
}

// Where each forest column comes from: a column's value, or "column = level" as 0/1.
struct Source {
  const Column* column = nullptr;
  std::vector<bool> is_level;  // per level of the column in `table`: the model's level_name?
  std::string level_name;
};

bool level_of(const Source& s, double v) {
  const auto k = static_cast<std::size_t>(v);
  return k < s.is_level.size() && s.is_level[k];
}

// Whether a level of the scored file is the model's level: the same text, or the same number
// ("007" is level 7 in a file whose other values are words, where it stays text).
bool same_level(const std::string& here, const std::string& model) {
  double a, b;
  return here == model || (parse_number(here, a) && parse_number(model, b) && std::isfinite(a) &&
                           std::isfinite(b) && a == b);
}

ScoredCustomers score(const UpliftModel& m, const Table& table) {
  if (table.rows == 0)
    throw Error(ErrorCode::kBadInput,
                fmt::format("{}: no rows to score (only a header); give the customers to score",
                            table.source));
  std::map<std::string, const FeatureColumn*> by_name;
  for (const auto& c : m.columns) by_name[c.name] = &c;
  std::vector<Source> sources;
  for (const auto& feature : m.features) {
    Source s;
    std::string column = feature;
    const auto eq = feature.find('=');
    if (!by_name.count(feature) && eq != std::string::npos) {
      column = feature.substr(0, eq);
      s.level_name = feature.substr(eq + 1);
    }
    s.column = table.find(column);
    if (s.column == nullptr)
      throw Error(ErrorCode::kMissingColumn,
                  fmt::format("{}: no column '{}', which the model needs; the columns are: {}",
                              table.source, column, table.column_list()));
    const auto spec = by_name.find(column);
    const bool categorical = spec != by_name.end() && spec->second->categorical;
    if (!categorical && s.column->kind == ColumnKind::kCategorical)
      throw Error(
          ErrorCode::kBadInput,
          s.column->forced_categorical
              ? fmt::format("{}: column '{}' held numbers when the model was trained; drop it "
                            "from --categorical",
                            table.source, column)
              : fmt::format("{}: column '{}' held numbers when the model was trained, but here "
                            "holds text ('{}' in {}); fix the value",
                            table.source, column, s.column->first_non_number,
                            table.row_name(s.column->first_non_number_row - 1)));
    if (categorical)
      for (const auto& level : s.column->levels)
        s.is_level.push_back(same_level(level, s.level_name));
    sources.push_back(s);
  }
  // Every value present, every level known to the model.
  for (const auto& c : m.columns) {
    const Column* col = table.find(c.name);
    if (col == nullptr) continue;  // not a forest column after all (all levels dropped)
    std::vector<bool> known;       // per level of the scored column: one the model has?
    if (c.categorical)
      for (const auto& level : col->levels)
        known.push_back(std::any_of(c.levels.begin(), c.levels.end(),
                                    [&](const std::string& l) { return same_level(level, l); }));
    for (std::size_t r = 0; r < table.rows; ++r) {
      if (std::isnan(col->values[r]))
        throw Error(ErrorCode::kBadInput,
                    fmt::format("{}: column '{}' has {} missing value{} (first at {}); a "
                                "customer needs every feature to be scored",
                                table.source, c.name, col->missing_count(),
                                col->missing_count() == 1 ? "" : "s", table.row_name(r)));
      if (!c.categorical && std::abs(col->values[r]) > kLargestValue)
        throw Error(ErrorCode::kBadInput,
                    fmt::format("{}: column '{}' holds {} at {}; values beyond 1e50 overflow the "
                                "arithmetic, so rescale the column as it was in training",
                                table.source, c.name, col->values[r], table.row_name(r)));
      if (c.categorical) {
        const auto level_index = static_cast<std::size_t>(col->values[r]);
        const std::string& level = col->levels[level_index];
        if (!known[level_index])
          throw Error(ErrorCode::kBadInput,
                      fmt::format("{}: column '{}', {}: level '{}' never appeared when the model "
                                  "was trained (levels: {}); map it to a known level or drop "
                                  "the row",
                                  table.source, c.name, table.row_name(r), level,
                                  fmt::join(c.levels, ", ")));
      }
    }
  }
  Eigen::MatrixXd x(static_cast<Eigen::Index>(table.rows),
                    static_cast<Eigen::Index>(sources.size()));
  for (std::size_t j = 0; j < sources.size(); ++j)
    for (std::size_t r = 0; r < table.rows; ++r) {
      const Source& s = sources[j];
      const double v = s.column->values[r];
      x(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(j)) =
          s.level_name.empty() ? v : (level_of(s, v) ? 1 : 0);
    }
  const CausalForest::Prediction p = m.forest->predict(x);
  ScoredCustomers out;
  out.tau.assign(p.tau.begin(), p.tau.end());
  out.se.assign(p.se.begin(), p.se.end());
  for (std::size_t r = 0; r < table.rows; ++r)
    if (!std::isfinite(out.tau[r]) || !std::isfinite(out.se[r]))
      throw Error(ErrorCode::kNumericalFailure,
                  fmt::format("{}: {} has no prediction with an interval from this model; train "
                              "it with more trees",
                              table.source, table.row_name(r)));
  out.decile = deciles_of(out.tau);
  return out;
}

}  // namespace

std::string model_bytes(const UpliftModel& m) {
  ByteWriter out;
  out.u32(kModelFormat);
  out.str(m.causeway_version);
  out.str(m.treatment);
  out.str(m.outcome);
  out.str(m.source);
  out.u64(m.training_rows);
  out.u64(m.columns.size());
  for (const auto& c : m.columns) {
    out.str(c.name);
    out.u32(c.categorical ? 1 : 0);
    out.u64(c.levels.size());
    for (const auto& level : c.levels) out.str(level);
  }
  out.u64(m.features.size());
  for (const auto& f : m.features) out.str(f);
  m.forest->write(out);
  std::string bytes = std::string(kMagic) + out.bytes();
  ByteWriter sum;
  sum.u64(checksum(bytes));
  return bytes + sum.bytes();
}

Result<UpliftModel> parse_model(std::string_view bytes, const std::string& path) {
  return guarded([&] { return parse(bytes, path); });
}

Result<UpliftModel> read_model(const std::string& path) {
  return guarded([&] {
    if (std::filesystem::is_directory(path))
      throw Error(ErrorCode::kIo,
                  fmt::format("{}: is a folder; give the model file inside it", path));
    std::ifstream in(path, std::ios::binary);
    if (!in)
      throw Error(ErrorCode::kIo,
                  fmt::format("{}: cannot open the model file; check the path", path));
    // The header before the rest: a device or a large file that is not a model is refused
    // without being read.
    std::string head(kMagic.size(), '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    if (head != kMagic || !std::filesystem::is_regular_file(path))
      throw Error(ErrorCode::kBadInput,
                  fmt::format("{}: not a causeway model file; give the file written by "
                              "`causeway uplift --save-model`",
                              path));
    in.seekg(0);
    const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>{}};
    if (in.bad()) throw Error(ErrorCode::kIo, fmt::format("{}: reading the file failed", path));
    return parse(bytes, path);
  });
}

Result<ScoredCustomers> score_customers(const UpliftModel& model, const Table& table) {
  return guarded([&] { return score(model, table); });
}

}  // namespace causeway
