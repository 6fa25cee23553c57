// The propensity score: the probability of treatment given the covariates.
//
// Fitted by logistic regression on the AnalysisData's covariates. Before fitting, the model looks
// for separation a single covariate causes: a level (or value of a 0/1 column) that occurs in
// one arm only, or a covariate whose range in one arm does not overlap the other's. Those units'
// maximum-likelihood propensity is exactly 0 or 1; it is set so, the units are left out of the
// fit, and the finding is reported by covariate, level and rows. Estimators then refuse the
// estimands whose positivity this violates (see positivity.h) and accept the others.
// A separation no single covariate explains ends in a kBadInput Status naming the covariate with
// the largest standardised coefficient. With l2 > 0 nothing is fixed: the penalised fit keeps
// every score inside (0, 1) and the findings are reported as warnings. Thread-safe.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <string>
#include <vector>

#include "causeway/data/analysis_data.h"
#include "causeway/status.h"

namespace causeway {

struct PropensityOptions {
  double l2 = 0.0;  // ridge penalty on the coefficients (not the intercept); 0 = maximum likelihood
  int threads = 0;  // 0: all cores; the fit does not depend on it
};

struct SeparationFinding {
  std::string covariate;          // "has_api_addon = 1", "logins_30d"
  std::string message;            // the sentence shown to the user
  std::size_t column = 0;         // index of the encoded covariate
  std::vector<std::size_t> rows;  // analysed rows whose score it fixes
  double fixed_score = 0.0;       // 0 or 1; NaN: each row's own arm (complete separation)
  double value = 0.0;             // the covariate value that separates; for a range, the
                                  // midpoint between the arms, treated above when treated_high
  bool treated_high = false;
  // A categorical's reference level has no column: its rows are those where all these columns
  // (its sibling levels) are 0. Empty for other findings.
  std::vector<std::size_t> all_zero_columns;
};

struct PropensityModel {
  Eigen::VectorXd score;           // per analysed row; exactly 0 or 1 where separated
  std::vector<std::string> names;  // "(intercept)" then the covariates in the fit
  Eigen::VectorXd coef;            // same order as names
  // The analysed rows in the fit; empty with fit_all_rows set when it is every row.
  std::vector<std::uint32_t> fit_rows;
  bool fit_all_rows = false;
  // Of the fit's log-likelihood at coef, in the coefficients of the fitted columns less `centre`
  // (the slopes are the same; the intercept is that of the centred columns).
  Eigen::MatrixXd hessian;
  // Per fitted column, the value the fit subtracted from it (a column far from 0 for its spread,
  // such as a timestamp); 0 for the others, empty when none was. Then the linear predictor is
  // computed as centred_intercept + coef . (x - centre), which keeps its digits.
  Eigen::VectorXd centre;
  double centred_intercept = 0;
  std::vector<SeparationFinding> separation;
  std::vector<std::string> warnings;
  double l2 = 0.0;
  int iterations = 0;
  // How near the scores come to 0 or 1 (each is at least this far from both), when the fit set
  // every score; 0 when unknown.
  double clearance = 0.0;

  std::vector<std::size_t> fit_cols;  // covariate columns in the fit

  std::size_t count_equal(double value) const;
  std::size_t fit_count() const {
    return fit_all_rows ? static_cast<std::size_t>(score.size()) : fit_rows.size();
  }
  std::size_t fit_row(std::size_t k) const { return fit_all_rows ? k : fit_rows[k]; }
};

Result<PropensityModel> fit_propensity(const AnalysisData& data, const PropensityOptions& options);

// Scores for new units (rows of x, encoded as the fit data's covariates): the separation findings
// first, then the fitted coefficients.
Eigen::VectorXd predict_propensity(const PropensityModel& model, const Eigen::MatrixXd& x);

}  // namespace causeway
