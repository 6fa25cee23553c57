#include "causeway/uplift/evaluate.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "uplift/deciles.h"

namespace causeway {
namespace {

struct Arms {
  double yt = 0, yc = 0;
  std::size_t nt = 0, nc = 0;
  void add(double t, double y) { t == 1 ? (yt += y, ++nt) : (yc += y, ++nc); }
  std::optional<double> lift() const {
    if (nt == 0 || nc == 0) return std::nullopt;
    return yt / static_cast<double>(nt) - yc / static_cast<double>(nc);
  }
};

ScoreEvaluation evaluate(const Eigen::VectorXd& score, const Eigen::VectorXd& t,
                         const Eigen::VectorXd& y, const std::string& name, bool need_binary) {
  const std::size_t n = static_cast<std::size_t>(score.size());
  const bool binary = (y.array() == 0.0 || y.array() == 1.0).all();
  if (need_binary && !binary) {
    const std::set<double> values(y.data(), y.data() + y.size());
    if (values.size() == 2)
      throw Error(ErrorCode::kBadInput,
                  fmt::format("the Qini curve needs an outcome coded 0/1; '{}' is coded {}, {}: "
                              "recode it as 0/1",
                              name, *values.begin(), *values.rbegin()));
    throw Error(ErrorCode::kBadInput,
                fmt::format("the Qini coefficient and its perfect curve need a 0/1 outcome; '{}' "
                            "has {} distinct values",
                            name, values.size()));
  }
  ScoreEvaluation e;
  e.binary_outcome = binary;
  if (!binary) {
    const std::set<double> values(y.data(), y.data() + y.size());
    if (values.size() == 2)
      e.warnings.push_back(fmt::format(
          "'{}' is coded {}, {}, not 0/1: the lifts are differences in mean code, not in "
          "rates; recode it as 0/1 to read them as rates",
          name, *values.begin(), *values.rbegin()));
  }
  // Rows by descending score; decile[k] is the decile of the k-th (tied scores share one).
  const std::vector<double> values(score.data(), score.data() + score.size());
  const std::vector<std::size_t> order = descending_order(values);
  const std::vector<int> by_row = tied_deciles(order, values);
  std::vector<int> decile(n);
  for (std::size_t k = 0; k < n; ++k) decile[k] = by_row[order[k]];
  Arms all;
  for (std::size_t k = 0; k < n; ++k) {
    const auto i = static_cast<Eigen::Index>(order[k]);
    all.add(t[i], y[i]);
  }
  e.total_lift = all.lift().value_or(0.0);
  double weighted = 0, weight = 0;
  for (int d = 1; d <= 10; ++d) {
    Arms a;
    ScoreDecile row;
    row.decile = d;
    bool any = false;
    for (std::size_t k = 0; k < n; ++k) {
      if (decile[k] != d) continue;
      const auto i = static_cast<Eigen::Index>(order[k]);
      if (!any) row.score_high = score[i];
      row.score_low = score[i];
      any = true;
      a.add(t[i], y[i]);
    }
    if (!any) continue;
    row.treated = a.nt, row.control = a.nc;
    if (a.nt) row.rate_treated = a.yt / static_cast<double>(a.nt);
    if (a.nc) row.rate_control = a.yc / static_cast<double>(a.nc);
    row.lift = a.lift();
    if (row.lift)
      weighted += static_cast<double>(a.nt) * *row.lift, weight += static_cast<double>(a.nt);
    e.deciles.push_back(row);
  }
  if (weight > 0) e.weighted_lift = weighted / weight;
  // Was the treatment randomised with respect to the score? Compare each decile's treated share
  // with the whole sample's.
  double treated = 0;
  for (Eigen::Index i = 0; i < t.size(); ++i) treated += t[i];
  const double share = treated / static_cast<double>(n);
  double low = 1, high = 0;
  bool far = false;
  for (const auto& row : e.deciles) {
    const double m = static_cast<double>(row.treated + row.control);
    const double s = static_cast<double>(row.treated) / m;
    low = std::min(low, s), high = std::max(high, s);
    far = far || (std::abs(s - share) > 4 * std::sqrt(share * (1 - share) / m) &&
                  std::abs(s - share) > 0.05);
  }
  if (far)
    e.warnings.push_back(fmt::format(
        "the treated share moves with the score (from {:.0f} % to {:.0f} % across deciles, {:.0f} "
        "% overall): the treatment looks targeted rather than randomised, so these raw lifts "
        "mix its effect with how customers were chosen; fit `causeway uplift --features ...`, "
        "whose lifts are doubly robust",
        100 * low, 100 * high, 100 * share));
  // The top share q/10 is deciles 1 to q, so tied scores are never split by row order.
  for (int q = 1; q <= 10; ++q) {
    Arms a;
    for (std::size_t k = 0; k < n && decile[k] <= q; ++k) {
      const auto i = static_cast<Eigen::Index>(order[k]);
      a.add(t[i], y[i]);
    }
    e.cumulative.emplace_back(q / 10.0, a.lift());
  }
  if (binary) {
    // Q at the end of each run of tied scores, straight lines across the run: the curve does
    // not depend on the order of tied rows in the file.
    Arms a;
    e.qini.assign(n + 1, 0.0);
    const auto q_of = [](const Arms& a) {
      return a.yt - (a.nc ? a.yc * static_cast<double>(a.nt) / static_cast<double>(a.nc) : 0.0);
    };
    for (std::size_t start = 0; start < n;) {
      std::size_t end = start;
      const double s = score[static_cast<Eigen::Index>(order[start])];
      while (end < n && score[static_cast<Eigen::Index>(order[end])] == s) {
        const auto i = static_cast<Eigen::Index>(order[end++]);
        a.add(t[i], y[i]);
      }
      const double from = e.qini[start], to = q_of(a);
      const std::size_t run = end - start;
      for (std::size_t j = 1; j <= run; ++j)
        e.qini[start + j] = from + (to - from) * static_cast<double>(j) / static_cast<double>(run);
      start = end;
    }
    double area = 0;
    for (std::size_t k = 0; k <= n; ++k)
      area += e.qini[k] - static_cast<double>(k) / static_cast<double>(n) * e.qini[n];
    e.qini_coefficient = area / static_cast<double>(n);
  }
  return e;
}

}  // namespace

Result<ScoreEvaluation> evaluate_scores(const Eigen::VectorXd& score, const Eigen::VectorXd& t,
                                        const Eigen::VectorXd& y, const std::string& outcome_name,
                                        bool need_binary) {
  return guarded([&] { return evaluate(score, t, y, outcome_name, need_binary); });
}

}  // namespace causeway
