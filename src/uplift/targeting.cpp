#include "uplift/targeting.h"

#include <fmt/format.h>

#include <cmath>

#include "core/spread.h"
#include "uplift/deciles.h"

namespace causeway {
namespace {

constexpr double kZ = 1.959963984540054;

}  // namespace

void evaluate_targeting(const Ranked& in, double budget, UpliftReport& r) {
  const std::size_t n = in.rank.size();
  const std::vector<std::size_t> order = descending_order(in.rank);
  const std::vector<int> decile = deciles_of_order(order);
  r.deciles.clear();
  for (int dec = 1; dec <= 10; ++dec) {
    UpliftDecile row;
    row.decile = dec;
    std::vector<double> scores;
    for (std::size_t i = 0; i < n; ++i) {
      if (decile[i] != dec) continue;
      ++row.customers;
      (in.treated[i] == 1 ? row.treated : row.control) += 1;
      row.predicted += in.predicted[i];
      scores.push_back(in.scores[i]);
    }
    if (row.customers == 0) continue;
    row.predicted /= static_cast<double>(row.customers);
    if (row.treated == 0 || row.control == 0) {
      row.note = fmt::format("no {} customer in this decile: no lift can be measured",
                             row.treated == 0 ? "treated" : "control");
    } else if (scores.size() >= 2) {
      const auto [m, se] = mean_and_se(scores);
      row.lift = m, row.low = m - kZ * se, row.high = m + kZ * se;
    }
    r.deciles.push_back(row);
  }
  // AUUC: the mean over k = 1..N of the gain of treating the top k, per customer, which is a
  // weighted mean of the scores, weight (N - rank + 1)/N for rank 1..N. Random targeting gains
  // k/N of the total, an area of mean score x (N + 1)/(2N); the Qini area is the difference.
  const double nn = static_cast<double>(n);
  std::vector<double> auuc(n), qini(n);
  for (std::size_t k = 0; k < n; ++k) {
    const double w = (nn - static_cast<double>(k)) / nn;
    auuc[k] = in.scores[order[k]] * w;
    qini[k] = in.scores[order[k]] * (w - (nn + 1) / (2 * nn));
  }
  std::tie(r.auuc, r.auuc_se) = mean_and_se(auuc);
  std::tie(r.qini_area, r.qini_se) = mean_and_se(qini);
  r.auuc_random = r.auuc - r.qini_area;
  r.gain_curve.clear();
  double gain = 0;
  for (std::size_t k = 0; k < n; ++k) {
    gain += in.scores[order[k]];
    const std::size_t next = k + 1;
    if (next * 10 % n < 10 || next == n)  // about every tenth
      r.gain_curve.emplace_back(static_cast<double>(next) / nn, gain / nn);
  }
  r.budget = budget;
  const std::size_t top =
      std::max<std::size_t>(2, static_cast<std::size_t>(std::llround(budget * nn)));
  std::vector<double> chosen;
  for (std::size_t k = 0; k < top && k < n; ++k) chosen.push_back(in.scores[order[k]]);
  std::tie(r.budget_lift, r.budget_se) = mean_and_se(chosen);
  r.evaluated_rows = n;
  r.evaluated_mean = mean_and_se(in.scores).first;
}

}  // namespace causeway
