#include "estimate/matcher.h"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>

#include "core/parallel.h"
#include "core/radix_sort.h"

namespace causeway {
namespace {

bool tied(double a, double b) {
  if (!std::isfinite(a) || !std::isfinite(b)) return a == b;
  return std::abs(a - b) <= kTieTolerance * std::max(std::abs(a), std::abs(b));
}

// Union-find over buckets: the nearest bucket still holding units, to the left or right.
class Availability {
 public:
  explicit Availability(std::size_t n) : left_(n + 1), right_(n + 1) {
    std::iota(left_.begin(), left_.end(), 0);
    std::iota(right_.begin(), right_.end(), 0);
  }
  // Smallest available bucket >= b (n when none).
  std::size_t right(std::size_t b) { return find(right_, b); }
  // Largest available bucket <= b, as b + 1 (0 when none).
  std::size_t left_plus_one(std::size_t b_plus_one) { return find(left_, b_plus_one); }
  void remove(std::size_t b) {
    right_[b] = b + 1;
    left_[b + 1] = b;
  }

 private:
  static std::size_t find(std::vector<std::size_t>& parent, std::size_t x) {
    std::size_t root = x;
    while (parent[root] != root) root = parent[root];
    while (parent[x] != root) {
      const std::size_t next = parent[x];
      parent[x] = root;
      x = next;
    }
    return root;
  }
  std::vector<std::size_t> left_, right_;
};

}  // namespace

namespace {

// The first position of the run of values equal to value[p] (values sorted ascending): a look at
// the neighbour in the usual case, a galloping search through a long run of ties.
std::size_t run_first(const UninitializedVector<double>& value, std::size_t p) {
  if (p == 0 || value[p - 1] != value[p]) return p;
  std::size_t low = p, step = 1;  // value[low] equals value[p]
  while (low >= step && value[low - step] == value[p]) low -= step, step *= 2;
  const std::size_t from = low >= step ? low - step + 1 : 0;
  return static_cast<std::size_t>(std::lower_bound(value.begin() + static_cast<long>(from),
                                                   value.begin() + static_cast<long>(low),
                                                   value[p]) -
                                  value.begin());
}

// One past the last position of the run of values equal to value[p].
std::size_t run_end(const UninitializedVector<double>& value, std::size_t p) {
  const std::size_t n = value.size();
  if (p + 1 >= n || value[p + 1] != value[p]) return p + 1;
  std::size_t high = p, step = 1;  // value[high] equals value[p]
  while (high + step < n && value[high + step] == value[p]) high += step, step *= 2;
  const std::size_t to = std::min(n, high + step);
  return static_cast<std::size_t>(std::upper_bound(value.begin() + static_cast<long>(high + 1),
                                                   value.begin() + static_cast<long>(to),
                                                   value[p]) -
                                  value.begin());
}

// Widens the range [left, right) of the sorted `value` around x a run of equal values at a time,
// the nearer run first (the lower on equal distances), while fewer than k units are inside or the
// next run is as near as the k-th (within the tie tolerance), never to a run beyond `reach`.
// `inside` counts the units in the range, `kth` is the k-th distance (-1 until known), and
// on_run(from, to) is told each run added.
template <class OnRun>
void widen_by_runs(const UninitializedVector<double>& value, double x, double reach, std::size_t k,
                   std::size_t& left, std::size_t& right, std::size_t& inside, double& kth,
                   OnRun on_run) {
  const std::size_t n = value.size();
  while (left > 0 || right < n) {
    const double dl = left > 0 ? x - value[left - 1] : INFINITY;
    const double dr = right < n ? value[right] - x : INFINITY;
    const bool take_left = right >= n || (left > 0 && !(dr < dl));
    const double d = take_left ? dl : dr;
    if (d > reach) break;
    if (inside >= k && !(d == kth || tied(d, kth))) break;
    const std::size_t before = inside;
    if (take_left) {
      const std::size_t first = run_first(value, left - 1);
      on_run(first, left);
      inside += left - first;
      left = first;
    } else {
      const std::size_t last = run_end(value, right);
      on_run(right, last);
      inside += last - right;
      right = last;
    }
    if (before < k && inside >= k) kth = d;
  }
}

// What one part of a matching with replacement found besides the matches themselves.
struct PartSummary {
  std::size_t ties = 0, total = 0;                 // focal units matched among ties; matches
  std::size_t lowest = SIZE_MAX, highest_end = 0;  // the matches' span in the pool
};

// Focal units [begin, end) of a matching with replacement, into their places in m.begin and
// m.length (sized by the caller).
// The matches grow outwards from the focal unit's place in the pool, a run of equal values at a
// time, so they are always the positions [left, right).
PartSummary match_range(const MatchRequest& request, std::size_t begin, std::size_t end,
                        Matches& m) {
  const UninitializedVector<double>& pool_value = request.pool->value;
  const std::size_t n_pool = pool_value.size();
  const UnitValues& focal = *request.focal;
  const auto k = static_cast<std::size_t>(request.k);
  std::size_t cursor = 0;
  PartSummary part;
  double previous = INFINITY;  // the first unit searches
  for (std::size_t f = begin; f < end; ++f) {
    const double x = focal.value[f];
    // Focal units in ascending order (the usual case) walk the pool once; others search it.
    if (x >= previous) {
      while (cursor < n_pool && pool_value[cursor] < x) ++cursor;
    } else {
      cursor = static_cast<std::size_t>(std::lower_bound(pool_value.begin(), pool_value.end(), x) -
                                        pool_value.begin());
    }
    previous = x;
    std::size_t left = cursor, right = cursor;  // candidates are pool[left-1] and pool[right]
    std::size_t taken = 0;
    double kth = -1;
    // Units of one value are equally near: all are taken, or none.
    widen_by_runs(pool_value, x, request.caliper, k, left, right, taken, kth,
                  [](std::size_t, std::size_t) {});
    part.ties += taken > k;
    part.total += taken;
    if (taken > 0)
      part.lowest = std::min(part.lowest, left),
      part.highest_end = std::max(part.highest_end, right);
    m.begin[f] = static_cast<std::uint32_t>(left);
    m.length[f] = static_cast<std::uint32_t>(taken);
  }
  return part;
}

// From this many focal units, two threads each match a share of them.
constexpr std::size_t kParallelFocal = 100000;

// Where the focal units are cut between the two threads. A share's work is its focal units and
// the pool units its walk passes: for focal units in ascending order (the usual case) the cut
// balances the two sums, wherever the arms' values lie. (Any cut gives the same matches.)
std::size_t balanced_cut(const MatchRequest& request) {
  const UninitializedVector<double>& focal = request.focal->value;
  const UninitializedVector<double>& pool = request.pool->value;
  const std::size_t n = focal.size();
  // The work before focal unit f: f, plus the pool units below its value.
  const auto work_before = [&](std::size_t f) {
    return f + static_cast<std::size_t>(std::lower_bound(pool.begin(), pool.end(), focal[f]) -
                                        pool.begin());
  };
  const std::size_t half = (n + pool.size()) / 2;
  std::size_t low = 0, high = n;  // the first f whose work before reaches half
  while (low < high) {
    const std::size_t mid = low + (high - low) / 2;
    if (work_before(mid) < half)
      low = mid + 1;
    else
      high = mid;
  }
  return low;
}

}  // namespace

Matches match_with_replacement(const MatchRequest& request) {
  const std::size_t n = request.focal->size();
  Matches m;
  m.begin.resize(n);
  m.length.resize(n);
  // Each focal unit's matches depend on it alone: the shares are matched apart, each into its
  // own part of the result, which is the one-thread result.
  PartSummary part[2];
  const bool parallel = n >= kParallelFocal;
  const std::size_t cut = parallel ? balanced_cut(request) : n;
#pragma omp parallel for num_threads(std::min(2, omp_get_max_threads())) \
    schedule(static, 1) if (parallel)
  for (int h = 0; h < 2; ++h) part[h] = match_range(request, h ? cut : 0, h ? n : cut, m);
  m.focal_with_ties = part[0].ties + part[1].ties;
  m.begin_total = part[0].total + part[1].total;
  m.cut = cut;
  m.first_part_end = part[0].highest_end;
  m.second_part_begin = std::min(part[1].lowest, request.pool->size());
  return m;
}

Matches match_greedy(const MatchRequest& request) {
  const UninitializedVector<std::uint32_t>& pool = request.pool->unit;
  const UninitializedVector<double>& pool_value = request.pool->value;
  // Buckets of pool units with identical values, each a queue in row order.
  std::vector<std::size_t> bucket_start, bucket_front;
  UninitializedVector<double> bucket_value;
  for (std::size_t i = 0; i < pool.size(); ++i) {
    if (i == 0 || pool_value[i] != bucket_value.back()) {
      bucket_start.push_back(i);
      bucket_front.push_back(i);
      bucket_value.push_back(pool_value[i]);
    }
  }
  const std::size_t buckets = bucket_value.size();
  bucket_start.push_back(pool.size());
  Availability available(buckets);

  const std::size_t nf = request.focal->size();
  const std::size_t k = static_cast<std::size_t>(request.k);
  std::vector<std::size_t> chosen(nf *
                                  k);  // positions in the pool  // focal f's matches at f * k ...
  std::vector<std::size_t> got(nf, 0);
  std::size_t ties = 0;
  for (int round = 0; round < request.k; ++round) {
    for (std::size_t f = 0; f < nf; ++f) {
      if (got[f] < static_cast<std::size_t>(round)) continue;
      const double x = request.focal->value[f];
      const std::size_t pos = static_cast<std::size_t>(
          std::lower_bound(bucket_value.begin(), bucket_value.end(), x) - bucket_value.begin());
      const std::size_t r = available.right(pos);
      const std::size_t l1 = available.left_plus_one(pos);
      const double dr = r < buckets ? bucket_value[r] - x : INFINITY;
      const double dl = l1 > 0 ? x - bucket_value[l1 - 1] : INFINITY;
      if (std::isinf(dl) && std::isinf(dr) && (r >= buckets && l1 == 0)) break;  // pool used up
      std::size_t b;
      if (dl == dr || tied(dl, dr)) {
        ties += std::isfinite(dl) ? 1 : 0;
        b = (l1 > 0 && (r >= buckets || pool[bucket_front[l1 - 1]] < pool[bucket_front[r]]))
                ? l1 - 1
                : r;
      } else {
        b = dl < dr ? l1 - 1 : r;
      }
      if (std::min(dl, dr) > request.caliper) continue;
      // Several unused pool units at exactly this value: row order decided among them.
      if (bucket_start[b + 1] - bucket_front[b] > 1) ++ties;
      chosen[f * k + got[f]++] = bucket_front[b]++;
      if (bucket_front[b] == bucket_start[b + 1]) available.remove(b);
    }
  }
  Matches m;
  m.focal_with_ties = ties;
  m.offsets.push_back(0);
  for (std::size_t f = 0; f < nf; ++f) {
    for (std::size_t i = 0; i < got[f]; ++i)
      m.position.push_back(static_cast<std::uint32_t>(chosen[f * k + i]));
    m.offsets.push_back(m.position.size());
  }
  return m;
}

Matches match_below_first(const MatchRequest& request, bool replace) {
  const UninitializedVector<std::uint32_t>& pool = request.pool->unit;
  const UninitializedVector<double>& pool_value = request.pool->value;
  Availability available(pool.size());
  const std::size_t k = static_cast<std::size_t>(request.k);
  Matches m;
  m.offsets.push_back(0);
  std::vector<std::vector<std::size_t>> chosen(request.focal->size());  // positions in the pool
  for (std::size_t round = 0; round < k; ++round) {
    for (std::size_t f = 0; f < request.focal->size(); ++f) {
      if (chosen[f].size() < round) continue;
      const std::size_t unit = request.focal->unit[f];
      const double x = request.focal->value[f];
      // First pool position after every (value, unit) pair below the focal unit's.
      std::size_t p = static_cast<std::size_t>(
          std::lower_bound(pool_value.begin(), pool_value.end(), x) - pool_value.begin());
      while (p < pool.size() && pool_value[p] == x && pool[p] < unit) ++p;
      // With replacement, skip the units this focal unit already has.
      std::size_t left = replace ? p : available.left_plus_one(p);
      std::size_t right = replace ? p : available.right(p);
      if (replace) {
        const std::size_t have = chosen[f].size();
        const std::size_t below = std::min(have, p);
        left = p - below;
        right = p + (have - below);
      }
      std::size_t pick;
      if (left > 0)
        pick = left - 1;
      else if (right < pool.size())
        pick = right;
      else
        continue;
      const double d = std::abs(pool_value[pick] - x);
      if (d > request.caliper) continue;
      chosen[f].push_back(pick);
      if (!replace) available.remove(pick);
    }
  }
  for (const auto& c : chosen) {
    for (std::size_t position : c) m.position.push_back(static_cast<std::uint32_t>(position));
    m.offsets.push_back(m.position.size());
  }
  return m;
}

void ArmOutcomes::gather(const UninitializedVector<std::uint32_t>& unit, const Eigen::VectorXd& y) {
  if (narrow_.empty()) {
    for (std::size_t i = 0; i < wide_.size(); ++i) wide_[i] = y[unit[i]];
    return;
  }
  std::uint8_t* const out = narrow_.data();  // bytes may alias anything: keep the pointer local
  for (std::size_t i = 0; i < narrow_.size(); ++i) out[i] = y[unit[i]] != 0;
}

void ArmOutcomes::unpack(UninitializedVector<std::uint32_t>& unit) {
  std::uint8_t* const out = narrow_.data();  // bytes may alias anything: keep the pointers local
  std::uint32_t* const u = unit.data();
  for (std::size_t i = 0; i < narrow_.size(); ++i) out[i] = u[i] >> 31, u[i] &= ~kOutcomeBit;
}

// Runs of equal values longer than this are summed through running sums, not unit by unit.
constexpr std::size_t kLongRun = 64;

ConditionalVariance::ConditionalVariance(const UnitValues& arm, const ArmOutcomes& y, int j)
    : value_(arm.value), y_(y), j_(j) {
  // The values are sorted: a run longer than kLongRun exists where a value equals the one
  // kLongRun places before it.
  bool long_run = false;
  const std::size_t n = value_.size();
#pragma omp parallel for schedule(static) reduction(|| : long_run) if (n >= kParallelRows)
  for (std::size_t p = kLongRun; p < n; ++p)
    long_run = long_run || value_[p] == value_[p - kLongRun];
  if (!long_run) return;
  running_.resize(value_.size() + 1);
  running_[0] = 0;
  for (std::size_t p = 0; p < value_.size(); ++p) running_[p + 1] = running_[p] + y_[p];
}

double ConditionalVariance::sum(std::size_t from, std::size_t to) const {
  if (!running_.empty()) return running_[to] - running_[from];
  double total = 0;
  for (std::size_t p = from; p < to; ++p) total += y_[p];
  return total;
}

double ConditionalVariance::tie_inclusive(std::size_t i, std::size_t take,
                                          std::size_t& count) const {
  std::size_t left = run_first(value_, i), right = run_end(value_, i);
  count = right - left - 1;  // the unit's own run, without it: all at distance 0
  double total = sum(left, right) - y_[i];
  double kth = count >= take ? 0.0 : -1.0;
  widen_by_runs(value_, value_[i], INFINITY, take, left, right, count, kth,
                [&](std::size_t from, std::size_t to) { total += sum(from, to); });
  return total / static_cast<double>(count);
}

double ConditionalVariance::operator()(std::size_t i) const {
  const std::size_t n = value_.size();
  if (n < 2) return 0.0;
  const auto take = std::min<std::size_t>(static_cast<std::size_t>(j_), n - 1);
  const double x = value_[i];
  // The j nearest, nearest first; then whether the next is tied with the j-th.
  std::size_t left = i, right = i + 1;
  double total = 0, kth = 0;
  for (std::size_t c = 0; c < take; ++c) {
    const double dl = left > 0 ? x - value_[left - 1] : INFINITY;
    const double dr = right < n ? value_[right] - x : INFINITY;
    const bool take_left = right >= n || (left > 0 && !(dr < dl));
    kth = take_left ? dl : dr;
    total += y_[take_left ? --left : right++];
  }
  const double next = std::min(left > 0 ? x - value_[left - 1] : INFINITY,
                               right < n ? value_[right] - x : INFINITY);
  std::size_t count = take;
  double mean = total / static_cast<double>(take);
  if (next == kth || tied(next, kth)) mean = tie_inclusive(i, take, count);
  const double m = static_cast<double>(count);
  return m / (m + 1.0) * (y_[i] - mean) * (y_[i] - mean);
}

UnitValues gather_values(const std::vector<std::size_t>& units, const Eigen::VectorXd& value) {
  UnitValues out{{units.begin(), units.end()}, UninitializedVector<double>(units.size())};
  for (std::size_t i = 0; i < units.size(); ++i)
    out.value[i] = value[static_cast<Eigen::Index>(units[i])];
  return out;
}

UnitValues sorted_by_value(const std::vector<std::size_t>& units, const Eigen::VectorXd& value) {
  std::vector<std::size_t> ascending = units;
  if (!std::is_sorted(ascending.begin(), ascending.end()))
    std::sort(ascending.begin(), ascending.end());
  return gather_values(sort_by_value(ascending, value), value);
}

}  // namespace causeway
