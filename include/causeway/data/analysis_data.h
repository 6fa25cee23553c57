// The analysis sample: the rows and encoded columns an estimator works on.
//
// prepare_analysis() turns a Table and the user's choice of treatment, outcome and common causes
// into numbers: a 0/1 treatment, a numeric outcome and a covariate matrix in which categorical
// columns are one-hot encoded against their first sorted level. It enforces what every estimator
// needs: exactly two treatment arms with known coding, no missing values (or --drop-missing),
// no treatment or outcome among the covariates, no constant or duplicated covariate (dropped with
// a warning), no covariate that is a linear combination of others, no identifier as covariate.
// Failure: a Status naming the file, column, rows and the option that fixes it.
#pragma once

#include <Eigen/Dense>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "causeway/data/table.h"
#include "causeway/status.h"

namespace causeway {

struct AnalysisSpec {
  std::string treatment;
  std::string outcome;
  std::vector<std::string> covariates;       // common causes, as named by the user
  std::optional<std::string> treated_value;  // required unless the arms are 0/1, true/false, yes/no
  std::optional<std::string> control_value;
  bool drop_missing = false;
  // Columns with other roles, encoded like common causes but kept apart from them: variables
  // that carry the treatment's effect (front door), and instruments.
  std::vector<std::string> mediators, instruments;
};

struct AnalysisData {
  std::string source;
  std::string treatment, outcome;
  Eigen::VectorXd y;                 // outcome per analysed row
  Eigen::VectorXd t;                 // 1 treated, 0 control
  Eigen::MatrixXd x;                 // encoded covariates, no intercept column
  std::vector<std::string> x_names;  // "age", "race=hispan", ...
  Eigen::MatrixXd m, z;              // encoded mediators and instruments (may have no columns)
  std::vector<std::string> m_names, z_names;
  // For a 0/1 encoded column, how to say "this column is 0" and "is 1" ("region = north",
  // "region = south"); empty strings for other columns.
  std::vector<std::array<std::string, 2>> x_value_labels;
  // The reference level of each categorical covariate: not a column of x but 1 minus the sum of
  // the listed level columns; balance tables show it beside the other levels.
  struct ReferenceLevel {
    std::string name;                  // "plan=basic"
    std::vector<std::size_t> columns;  // the other levels' columns in x
  };
  std::vector<ReferenceLevel> reference_levels;
  bool binary_outcome = false;  // every outcome is 0 or 1
  double outcome_shift = 0;     // subtracted from every outcome (with_outcome_near_zero)
  std::string treated_label, control_label;
  std::string outcome_coding;        // "1 = Yes, 0 = No" for a boolean outcome spelled in words
  std::vector<std::string> row_ids;  // id-column values of analysed rows, may be empty
  // File row (from 0) of each analysed row; empty when they are the same (no row was dropped).
  std::vector<std::uint32_t> source_rows;
  std::vector<std::string> encoding;  // one line per covariate: how it was read and encoded
  std::vector<std::string> warnings;
  std::size_t rows_read = 0;
  std::size_t rows_dropped = 0;           // missing values (--drop-missing) or other arms
  std::vector<std::string> dropped_rows;  // names of the first 100 dropped rows
  std::size_t n_treated = 0, n_control = 0;

  std::size_t rows() const { return static_cast<std::size_t>(y.size()); }
  // The file row (from 0) of analysed row i.
  std::size_t source_row(std::size_t i) const { return source_rows.empty() ? i : source_rows[i]; }
  // The name of analysed row i, for messages.
  std::string row_name(std::size_t i) const;
  // "treated = 1 (true), control = 0 (false)"
  std::string coding() const;
};

// Takes the table by value and frees each used column once it is in the sample: pass it with
// std::move unless it is needed afterwards.
Result<AnalysisData> prepare_analysis(Table table, const AnalysisSpec& spec);

// The sample with `outcome_shift` subtracted from every outcome, when the outcomes sit far from 0
// compared with their spread (timestamps in milliseconds: 1.7e12 give or take a second): effects
// are differences, the same for any shift, but sums of such values keep too few of the digits the
// differences are in. Empty when no shift is needed (the outcome's midpoint is within 10,000
// times its range of 0).
std::optional<AnalysisData> with_outcome_near_zero(const AnalysisData& data);
// The same given the outcome's smallest and largest values.
std::optional<AnalysisData> with_outcome_near_zero(const AnalysisData& data,
                                                   std::pair<double, double> range);

// The analysed rows `rows` (repeats allowed, e.g. a bootstrap resample) as a new sample.
AnalysisData subsample(const AnalysisData& data, const std::vector<std::size_t>& rows);

}  // namespace causeway
