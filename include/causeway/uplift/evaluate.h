// Judging a given uplift score on data where the treatment was randomised: the observed lift by
// decile of the score, cumulative lift of the top shares, and the Qini curve.
//
// Customers are ranked jointly (treated and control together) by descending score; decile 1
// holds the highest scores, and a run of tied scores stays in the decile of its first row.
// A decile without treated or without control customers has no lift ("n/a"), never a number.
// The Qini curve is Radcliffe's: Q(k) = Y_t(k) - Y_c(k) n_t(k) / n_c(k) over the top k; its
// coefficient is the area between it and the straight line to Q(n), divided by n. It needs a
// 0/1 outcome. When the treated share of some decile is far from the overall share (more than
// 4 binomial standard errors and 5 points), the treatment looks targeted by something the score
// tracks, and a warning says that the raw lifts then mix the effect with that targeting.
#pragma once

#include <Eigen/Dense>
#include <optional>
#include <string>
#include <vector>

#include "causeway/status.h"

namespace causeway {

struct ScoreDecile {
  int decile = 0;
  double score_high = 0, score_low = 0;
  std::size_t treated = 0, control = 0;
  std::optional<double> rate_treated, rate_control, lift;
};

struct ScoreEvaluation {
  std::vector<ScoreDecile> deciles;
  double total_lift = 0;                // whole sample: treated mean minus control mean
  std::optional<double> weighted_lift;  // decile lifts weighted by treated counts
  std::vector<std::pair<double, std::optional<double>>> cumulative;  // (top share, lift)
  std::vector<double> qini;  // Q(0) .. Q(n); empty for a non-binary outcome
  double qini_coefficient = 0;
  bool binary_outcome = true;  // rates for a 0/1 outcome, means otherwise
  std::vector<std::string> warnings;
};

// `outcome_name` names the outcome in messages. With `need_binary`, a non-0/1 outcome is an
// Error(kBadInput) saying what was found.
Result<ScoreEvaluation> evaluate_scores(const Eigen::VectorXd& score, const Eigen::VectorXd& t,
                                        const Eigen::VectorXd& y, const std::string& outcome_name,
                                        bool need_binary);

}  // namespace causeway
