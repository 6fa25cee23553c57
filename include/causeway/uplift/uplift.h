// Whom to call: per-customer effects from the causal forest, with intervals, the doubly robust
// average effect, and the lift by decile of predicted uplift.
//
// Deciles, Qini and the budget rank customers by a cross-fitted prediction (a forest on each
// half of the rows ranks the other half), so no customer's own outcome shapes their rank; the
// scores file reports the full forest's out-of-bag prediction and interval.
//
// The features are the effect modifiers the forest splits on; the controls are confounders used
// only in the nuisance models (the treatment and outcome predictions of local centering). The
// lift of a decile is the mean of the doubly robust scores of its customers, not a raw
// difference between its treated and control customers, which confounding would bias.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "causeway/data/analysis_data.h"
#include "causeway/status.h"

namespace causeway {

class CausalForest;

struct UpliftOptions {
  std::vector<std::string> features;  // encoded names: the covariates the forest may split on
  // "forest" (the causal forest, with per-customer intervals) or a meta-learner: "t", "s", "x",
  // "dr" (see src/uplift/meta_learners.h), whose base models are "boosting" or "linear".
  std::string method = "forest", base = "boosting";
  int trees = 2000;
  int folds = 5;  // cross-fitting folds of the nuisance models
  // The nuisance models of local centering (outcome and propensity given all covariates):
  // "linear" (least squares and logistic regression), "boosting" (gradient-boosted trees) or
  // "forest" (honest regression forests, out-of-bag predictions).
  std::string nuisance = "linear";
  // Cross-fitted predictions of the outcome and of the treatment (its probability) made by the
  // caller's own models, one per row of the sample: used in place of `nuisance` when set, with
  // the treatment's kept inside [0.01, 0.99] as the built-in models do. Not with a holdout.
  std::optional<std::pair<Eigen::VectorXd, Eigen::VectorXd>> given_nuisance;
  int min_node_size = 8;      // 0: tuned by the R-loss (see ForestOptions)
  double min_split_gain = 2;  // ForestOptions::min_gain
  // A given leaf size too large for the data is refused; the default is reduced to fit.
  bool min_node_size_given = false;
  double budget = 0.3;  // share of customers the budget allows to treat
  // Share of customers held out: the forest is fitted on the rest and the targeting figures
  // (deciles, Qini, AUUC, budget) are computed on the held-out customers only. 0: none, and
  // the figures use cross-fitted rankings of every customer.
  double holdout = 0;
  std::uint64_t seed = 42;
  int threads = 0;
  std::function<void(int, int)> progress;  // (trees done, trees) while the forest grows
};

// A doubly robust average effect: "ate", "att" or "atc".
struct AverageEffect {
  std::string target;
  double estimate = 0, se = 0;
  std::size_t units = 0;  // customers it averages over
};

// One coefficient of the best linear projection of the effect ("(intercept)" first).
struct ProjectionTerm {
  std::string name;
  double estimate = 0, se = 0;
};

// The calibration test: coefficients on the mean prediction and on its differential part; 1 is
// ideal for both. p-values are one-sided (coefficient above 0).
struct Calibration {
  double mean = 0, mean_se = 0, mean_p = 1;
  double differential = 0, differential_se = 0, differential_p = 1;
};

struct UpliftDecile {
  int decile = 0;  // 1: the highest predicted uplift
  std::size_t customers = 0, treated = 0, control = 0;
  double predicted = 0;                   // mean predicted uplift
  std::optional<double> lift, low, high;  // doubly robust lift and its 95 % interval
  std::string note;                       // why there is no lift, when there is none
};

struct UpliftReport {
  std::string source, treatment, outcome;
  std::vector<std::string> features, controls;
  std::vector<std::string> ids;  // per analysed row: its id, or "row N"
  std::vector<double> tau, se;   // per row, out of bag
  std::vector<int>
      decile;  // per row, by predicted effect (tau) over all rows                 // per row
  std::vector<char> held_out;              // per row: 1 when held out of training (--holdout)
  double ate = 0, ate_se = 0;              // doubly robust average effect
  std::vector<AverageEffect> averages;     // ate, att, atc
  std::vector<ProjectionTerm> projection;  // the effect on the features, linearly
  Calibration calibration;                 // of the out-of-bag predictions
  std::vector<std::pair<std::string, double>> importance;  // per feature, summing to 1
  // Customers predicted to be hurt (effect below 0), and the range the intervals allow: from
  // those whose whole interval is below 0 to those whose interval reaches below 0. Without
  // intervals the range is the point.
  double share_hurt = 0, share_hurt_low = 0, share_hurt_high = 0;
  int trees = 0, min_node_size = 0;
  double min_split_gain = 0;
  std::string leaf_rule;  // how min_node_size was chosen: "default", "given", "tuned by R-loss"
  std::vector<UpliftDecile> deciles;
  // Targeting by predicted uplift, judged by the doubly robust scores: the Qini area is the mean
  // gap between the cumulative gain of treating the top share and of treating the same share
  // at random (above 0: the ranking helps), with its standard error; the budget figure is the
  // mean effect among the top `budget` share.
  double qini_area = 0, qini_se = 0;
  double auuc = 0, auuc_se = 0, auuc_random = 0;  // area under the gain curve; random's area
  std::size_t evaluated_rows = 0;                 // customers the targeting figures are computed on
  double evaluated_mean = 0;  // their mean doubly robust score (random targeting's lift)
  double holdout = 0;         // share held out for the targeting figures (0: none)
  std::string nuisance;       // the nuisance models used
  std::string method, base;   // as in UpliftOptions ("" base for the forest)
  bool intervals = true;      // per-customer intervals (the forest only); se is empty otherwise
  double budget = 0, budget_lift = 0, budget_se = 0;
  std::vector<std::pair<double, double>> gain_curve;  // (share treated, gain per customer)
  std::vector<std::string> warnings;
  std::shared_ptr<const CausalForest> forest;  // the fitted forest (for --save-model)
};

Result<UpliftReport> run_uplift(const AnalysisData& data, const UpliftOptions& options);

}  // namespace causeway
