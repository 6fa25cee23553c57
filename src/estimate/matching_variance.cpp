// The matches' tally (the estimate's differences and each pool unit's usage) and the standard
// error: Abadie-Imbens (2006) with replacement, paired differences of matched sets without.
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <optional>

#include "core/block_sums.h"
#include "estimate/match_run.h"

namespace causeway {
namespace {

constexpr int kVarianceNeighbours = 2;

// Beyond this many matches per focal and pool unit (ties shared by thousands), the tally goes a
// run of equal pool values at a time instead of a match at a time.
constexpr std::size_t kMatchesPerUnit = 4;

// A pool's runs of equal values, for tallying matches given as neighbours (Matches::begin) a run
// at a time: each run's outcome sum is formed once, its usage summed once per focal unit and
// handed to its units at the end, each unit receiving the weights in the order a match-by-match
// tally gives them.
struct PoolRuns {
  std::vector<std::uint32_t> start;  // of each run, and the pool's size last
  std::vector<double> y_sum, k, k2;

  PoolRuns(const UninitializedVector<double>& value, const ArmOutcomes& y) {
    for (std::size_t p = 0; p < value.size(); ++p)
      if (p == 0 || value[p] != value[p - 1]) start.push_back(static_cast<std::uint32_t>(p));
    start.push_back(static_cast<std::uint32_t>(value.size()));
    y_sum.assign(start.size() - 1, 0.0);
    k = k2 = y_sum;
    for (std::size_t r = 0; r + 1 < start.size(); ++r)
      for (std::size_t p = start[r]; p < start[r + 1]; ++p) y_sum[r] += y[p];
  }
  // The imputed outcome of the matches at positions [first, end), each weighing `weight`.
  double take(std::size_t first, std::size_t end, double weight) {
    auto r = static_cast<std::size_t>(std::upper_bound(start.begin(), start.end(), first) -
                                      start.begin()) -
             1;
    double imputed = 0;
    for (; start[r] < end; ++r) {
      imputed += weight * y_sum[r];
      k[r] += weight;
      k2[r] += weight * weight;
    }
    return imputed;
  }
  void hand_out(UninitializedVector<double>& unit_k, UninitializedVector<double>& unit_k2) const {
    for (std::size_t r = 0; r + 1 < start.size(); ++r)
      for (std::size_t p = start[r]; p < start[r + 1]; ++p) unit_k[p] += k[r], unit_k2[p] += k2[r];
  }
};

double paired_se(const std::vector<double>& diffs, double mean) {
  double ss = 0;
  for (double x : diffs) ss += (x - mean) * (x - mean);
  const double n = static_cast<double>(diffs.size());
  return std::sqrt(ss / (n - 1) / n);
}

}  // namespace

namespace {

// From this many focal units matched with replacement, two threads each tally half of them.
constexpr std::size_t kParallelFocal = 100000;

// Focal units [begin, end) into `t`, each(f, weight) giving focal unit f's imputed outcome (and
// counting its matches' usage).
template <class Each>
void tally_range(const SortedArms& sorted, const Direction& dir, std::size_t begin, std::size_t end,
                 Tally& t, bool keep_diffs, Each each) {
  const Matches& m = dir.matches;
  const ArmOutcomes& own_y = sorted.y[dir.focal_treated];
  for (std::size_t f = begin; f < end; ++f) {
    if (m.count(f) == 0) {
      t.unmatched.push_back(dir.focal().unit[f]);
      continue;
    }
    const double imputed = each(f, m.weight(f));
    const double own = own_y[dir.position(f)];
    t.add(dir.focal_treated ? own - imputed : imputed - own, keep_diffs);
  }
}

}  // namespace

Tally tally(const SortedArms& sorted, const Direction& dir, Usage& usage, bool keep_diffs) {
  Tally t;
  const int pool_arm = !dir.focal_treated;
  const ArmOutcomes& pool_y = sorted.y[pool_arm];
  UninitializedVector<double>&k = usage.k[pool_arm], &k2 = usage.k2[pool_arm];
  const Matches& m = dir.matches;
  const std::size_t n = dir.focal().size();
  if (keep_diffs) t.diffs.reserve(n);
  if (!m.begin.empty() && m.total() > kMatchesPerUnit * (n + dir.pool->size())) {
    PoolRuns runs(dir.pool->value, pool_y);
    tally_range(sorted, dir, 0, n, t, keep_diffs, [&](std::size_t f, double weight) {
      return runs.take(m.begin[f], m.begin[f] + m.count(f), weight);
    });
    runs.hand_out(k, k2);
    return t;
  }
  // Each match's outcome into the imputed value, its weight into the usage counts.
  const auto use = [&](std::size_t f, double weight, std::size_t side_from,
                       std::vector<double>* side_k, std::vector<double>* side_k2) {
    double imputed = 0;
    for (std::size_t i = 0; i < m.count(f); ++i) {
      const std::size_t p = m.at(f, i);
      imputed += weight * pool_y[p];
      const bool side = side_k && p < side_from + side_k->size();
      (side ? (*side_k)[p - side_from] : k[p]) += weight;
      (side ? (*side_k2)[p - side_from] : k2[p]) += weight * weight;
    }
    return imputed;
  };
  if (m.begin.empty() || n < kParallelFocal) {
    tally_range(sorted, dir, 0, n, t, keep_diffs,
                [&](std::size_t f, double w) { return use(f, w, 0, nullptr, nullptr); });
    return t;
  }
  // Matches with replacement are ranges of the pool that move up with the focal units: the two
  // parts the matcher cut touch the same pool units only between the first match of the second
  // part and the last of the first (which the matcher noted). The second part's weights there
  // are summed apart and added after the first part's, so the counts are the same with one
  // thread or two.
  const std::size_t half = m.cut > 0 && m.cut < n ? m.cut : n / 2;
  std::size_t first_end = m.first_part_end, second_begin = m.second_part_begin;
  if (half != m.cut) {  // not cut by the matcher: found here
    first_end = 0, second_begin = dir.pool->size();
    for (std::size_t f = 0; f < half; ++f)
      if (m.count(f) > 0) first_end = std::max<std::size_t>(first_end, m.begin[f] + m.count(f));
    for (std::size_t f = half; f < n; ++f)
      if (m.count(f) > 0) second_begin = std::min<std::size_t>(second_begin, m.begin[f]);
  }
  const std::size_t shared = first_end > second_begin ? first_end - second_begin : 0;
  std::vector<double> side_k(shared, 0.0), side_k2(shared, 0.0);
  Tally second;
  if (keep_diffs) second.diffs.reserve(n - half);
#pragma omp parallel for num_threads(std::min(2, omp_get_max_threads())) schedule(static, 1)
  for (int h = 0; h < 2; ++h) {
    if (h == 0)
      tally_range(sorted, dir, 0, half, t, keep_diffs,
                  [&](std::size_t f, double w) { return use(f, w, 0, nullptr, nullptr); });
    else
      tally_range(sorted, dir, half, n, second, keep_diffs, [&](std::size_t f, double w) {
        return use(f, w, second_begin, &side_k, &side_k2);
      });
  }
  for (std::size_t i = 0; i < shared; ++i)
    k[second_begin + i] += side_k[i], k2[second_begin + i] += side_k2[i];
  t.merge(std::move(second));
  return t;
}

void set_standard_error(const MatchRun& run, Estimate& e) {
  if (!run.o.replace && run.matched >= 2) {
    e.se = paired_se(run.tallies[0].diffs, e.estimate);
    e.se_method = "paired differences of matched sets";
    return;
  }
  const Usage& usage = run.usage;
  // Units never used as a match (K = 0) add nothing: their variance is not computed, nor set up
  // for an arm no unit of which is a match (the treated, for the ATT), but with one pair.
  std::optional<ConditionalVariance> arm_variance[2];
  for (int a = 0; a < 2; ++a)
    if (!usage.k[a].empty() || run.matched < 2)
      arm_variance[a].emplace(run.sorted.arm[a], run.sorted.y[a], kVarianceNeighbours);
  const auto sigma2 = [&arm_variance](int a, std::size_t i) { return (*arm_variance[a])(i); };
  double v = 0;
  if (run.matched >= 2) {
    for (const auto& t : run.tallies) v += t.squared_deviations(e.estimate);
    const double ate = run.dirs.size() == 2 ? 2.0 : 0.0;
    for (int a = 0; a < 2; ++a)
      v += block_sum(usage.k[a].size(), [&](std::size_t i) {
        const double k = usage.k[a][i];
        return k != 0 ? (k * k - usage.k2[a][i] + ate * k) * sigma2(a, i) : 0.0;
      });
  } else {  // one pair: only the conditional variance of its outcomes is estimable
    for (int a = 0; a < 2; ++a)
      for (std::size_t i = 0; i < usage.k2[a].size(); ++i)
        if (usage.k2[a][i] != 0) v += usage.k2[a][i] * sigma2(a, i);
    for (const auto& dir : run.dirs)
      for (std::size_t f = 0; f < dir.focal().size(); ++f)
        if (dir.matches.count(f) > 0) v += sigma2(dir.focal_treated, dir.position(f));
    e.warnings.push_back(
        "a single matched unit: the interval uses only the within-arm outcome variance and is "
        "unreliable");
  }
  e.se = std::sqrt(v) / static_cast<double>(run.matched);
  e.se_method =
      "Abadie-Imbens (conditional variance from 2 same-arm neighbours, and any tied with them)";
}

}  // namespace causeway
