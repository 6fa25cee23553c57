// How well a ranking of customers targets the treatment, judged by doubly robust scores: the lift
// by decile, the Qini area, AUUC, the gain curve and the value of treating the top share.
//
// Each customer's doubly robust score is an unbiased reading of their own effect (noisy alone,
// exact on average), so the mean score of any group ranked without its outcomes estimates the
// group's mean effect, with the usual standard error of a mean.
#pragma once

#include <vector>

#include "causeway/uplift/uplift.h"

namespace causeway {

struct Ranked {
  std::vector<double> rank;       // the ranking value (higher: treat first)
  std::vector<double> predicted;  // the predicted effect shown per decile
  std::vector<double> scores;     // doubly robust scores
  std::vector<int> treated;       // 1 treated, 0 control
};

// Fills r.deciles, the Qini area, AUUC, the gain curve and the budget figures.
void evaluate_targeting(const Ranked& ranked, double budget, UpliftReport& r);

}  // namespace causeway
