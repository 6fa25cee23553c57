// A trained uplift model on disk, and scoring new customers with it.
//
// The file holds the causal forest and what is needed to read new data the way the training
// data were read: the columns the features come from, and for a categorical column its levels
// (a feature "plan=pro" is 1 where plan is "pro"). Layout: a magic line, the format version,
// the causeway version that wrote it, the payload, and a checksum of everything before it.
// A file of another format version, a damaged file or a file that is not a model is refused
// with a message saying so and what to do.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "causeway/data/table.h"
#include "causeway/status.h"

namespace causeway {

class CausalForest;

// The model file format this causeway reads and writes.
constexpr std::uint32_t kModelFormat = 1;

struct FeatureColumn {
  std::string name;
  bool categorical = false;
  std::vector<std::string> levels;  // categorical: every level seen in training
};

struct UpliftModel {
  std::string causeway_version;  // of the program that trained it
  std::string treatment, outcome, source;
  std::size_t training_rows = 0;
  std::vector<FeatureColumn> columns;  // data columns the features come from
  std::vector<std::string> features;   // the forest's columns in order: "age", "plan=pro", ...
  std::shared_ptr<const CausalForest> forest;
};

// The model as the bytes of its file.
std::string model_bytes(const UpliftModel& model);
// Reads a model file; `path` names it in messages.
Result<UpliftModel> read_model(const std::string& path);
Result<UpliftModel> parse_model(std::string_view bytes, const std::string& path);

struct ScoredCustomers {
  std::vector<double> tau, se;  // predicted effect and its standard error, per table row
  std::vector<int> decile;      // 1: the highest predicted effect in this table
};

// Scores every row of `table`, which must hold the model's feature columns (by name; other
// columns are ignored). A missing value, a text value in a numeric column or a level the model
// never saw is an error naming the column and row.
Result<ScoredCustomers> score_customers(const UpliftModel& model, const Table& table);

}  // namespace causeway
