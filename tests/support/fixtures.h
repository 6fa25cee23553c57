// Helpers shared by the library-level tests.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "causeway/data/analysis_data.h"
#include "causeway/data/csv.h"
#include "support/cli_runner.h"

namespace causeway::testing {

inline Table table_from(const std::string& csv, const CsvOptions& options = {}) {
  auto r = parse_csv(csv, "test.csv", options);
  if (!r.ok()) ADD_FAILURE() << r.status().message();
  return r.ok() ? std::move(r).value() : Table{};
}

inline Table table_at(const std::string& path, const CsvOptions& options = {}) {
  auto r = read_csv(path, options);
  if (!r.ok()) ADD_FAILURE() << r.status().message();
  return r.ok() ? std::move(r).value() : Table{};
}

inline AnalysisData sample_from(const Table& table, const AnalysisSpec& spec) {
  auto r = prepare_analysis(table, spec);
  if (!r.ok()) ADD_FAILURE() << r.status().message();
  return r.ok() ? std::move(r).value() : AnalysisData{};
}

}  // namespace causeway::testing
