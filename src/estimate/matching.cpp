// Propensity-score matching: 1:k nearest neighbours, with or without replacement, optional
// caliper: the arms sorted, the matches found, the estimate described and its balance table.
// The tally of the matches and the standard errors are in matching_variance.cpp.
#include <fmt/format.h>
#include <omp.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "causeway/estimate/balance.h"
#include "core/parallel.h"
#include "core/radix_sort.h"
#include "core/text.h"
#include "estimate/match_run.h"
#include "estimate/matcher.h"
#include "estimate/method.h"
#include "estimate/positivity.h"

namespace causeway {
namespace {

// v sized to n zeros, written by all threads over fixed blocks: the page faults of fresh memory
// (most of the time of filling it) are shared.
void zeros(UninitializedVector<double>& v, std::size_t n) {
  v.resize(n);
  double* const at = v.data();
  constexpr std::size_t kBlock = 1 << 16;
#pragma omp parallel for schedule(static) if (n >= kParallelRows)
  for (std::size_t b = 0; b < (n + kBlock - 1) / kBlock; ++b)
    std::fill(at + b * kBlock, at + std::min(n, (b + 1) * kBlock), 0.0);
}

double absolute_caliper(const MatchingOptions& o, const Distance& value) {
  if (o.caliper <= 0) return INFINITY;
  if (o.caliper_scale == CaliperScale::kAbsolute) return o.caliper;
  double sum = 0, sum_sq = 0;
  std::size_t n = 0;
  for (Eigen::Index i = 0; i < value.size(); ++i)
    if (const double v = value(i); std::isfinite(v)) sum += v, sum_sq += v * v, ++n;
  const double mean = sum / static_cast<double>(n);
  return o.caliper *
         std::sqrt(std::max(0.0, (sum_sq - n * mean * mean) / static_cast<double>(n - 1)));
}

std::string caliper_words(const MatchingOptions& o, double absolute) {
  if (o.caliper <= 0) return "no caliper";
  const char* scale =
      o.distance == MatchDistance::kLogit ? "logit of the propensity" : "propensity";
  if (o.caliper_scale == CaliperScale::kAbsolute)
    return fmt::format("caliper {} (absolute, on the {})", o.caliper, scale);
  return fmt::format("caliper {} SD of the {} = {:.6g}", o.caliper, scale, absolute);
}

// The value at which each arm is cut in two parts of about equal size (the median of every 64th
// row's), so that two threads sort equal shares whatever the arms' sizes: the units below the cut
// go first, each part is sorted on its own, and the parts in turn are the arm sorted (a stable
// sort of each keeps row order among equal values, as a sort of the arm would). -inf, one part,
// for a small sample or a logit distance (whose logarithm would be computed twice per unit).
std::array<double, 2> arm_cuts(const AnalysisData& d, const Distance& value, bool parallel) {
  std::array<double, 2> cut = {-INFINITY, -INFINITY};
  if (!parallel || value.logit) return cut;
  std::vector<double> sample[2];
  for (Eigen::Index i = 0; i < value.size(); i += 64) sample[d.t[i] == 1].push_back(value(i));
  for (int a = 0; a < 2; ++a)
    if (auto& s = sample[a]; !s.empty()) {
      std::nth_element(s.begin(), s.begin() + static_cast<long>(s.size() / 2), s.end());
      cut[a] = s[s.size() / 2];
    }
  return cut;
}

// Splits the units by arm, and each arm at its cut, block by block (each block's units go after
// those of the blocks before it, so the split is the same with any number of threads), then sorts
// each arm's two parts at the same time.
SortedArms sort_arms(const AnalysisData& d, const Distance& value, Eigen::VectorXd* spent) {
  constexpr std::size_t kBlock = 1 << 16;
  const std::size_t n = static_cast<std::size_t>(value.size()), blocks = (n + kBlock - 1) / kBlock;
  const bool parallel = n > 50000;
  const std::array<double, 2> cut = arm_cuts(d, value, parallel);
  // Part p of arm a is slot 2a + p; its units in the blocks before each block.
  using Slots = std::array<std::size_t, 4>;
  // `v` gives the unit's value; it is asked for only in an arm that is cut (the count's pass
  // would compute a logit twice per unit).
  const auto slot = [&](std::size_t i, auto v) {
    const int a = d.t[static_cast<Eigen::Index>(i)] == 1.0;
    return 2 * a + (cut[a] > -INFINITY && !(v() < cut[a]));
  };
  std::vector<Slots> before(blocks + 1, Slots{});
#pragma omp parallel for schedule(static) if (n >= kParallelRows)
  for (std::size_t b = 0; b < blocks; ++b)
    for (std::size_t i = b * kBlock; i < std::min(n, (b + 1) * kBlock); ++i)
      ++before[b + 1][slot(i, [&] { return value(static_cast<Eigen::Index>(i)); })];
  for (std::size_t b = 0; b < blocks; ++b)
    for (int k = 0; k < 4; ++k) before[b + 1][k] += before[b][k];
  const Slots& size = before[blocks];
  const Slots start = {0, size[0], 0, size[2]};  // in its arm
  SortedArms s;
  UninitializedVector<std::uint32_t> rows[2];
  for (int a = 0; a < 2; ++a) s.arm[a].value.resize(size[2 * a] + size[2 * a + 1]);
  for (int a = 0; a < 2; ++a) rows[a].resize(s.arm[a].value.size());
  // A 0/1 outcome rides through the sort in the top bit of its unit's row (when rows leave it
  // free), so that it comes out in sorted order without a read at random per unit.
  const bool carried = d.binary_outcome && n <= ArmOutcomes::kOutcomeBit;
#pragma omp parallel for schedule(static) if (n >= kParallelRows)
  for (std::size_t b = 0; b < blocks; ++b) {
    Slots next;
    for (int k = 0; k < 4; ++k) next[k] = start[k] + before[b][k];
    for (std::size_t i = b * kBlock; i < std::min(n, (b + 1) * kBlock); ++i) {
      const auto at = static_cast<Eigen::Index>(i);
      const double v = value(at);
      const int k = slot(i, [v] { return v; }), a = k / 2;
      s.arm[a].value[next[k]] = v;
      rows[a][next[k]++] =
          static_cast<std::uint32_t>(i) | (carried && d.y[at] != 0 ? ArmOutcomes::kOutcomeBit : 0);
    }
  }
  // The scores are in the arms now: when nothing reads them after matching, their memory takes
  // the sort's scratch arrays (`value` reads them no more).
  if (spent) Eigen::VectorXd().swap(*spent);
  // Every array here is allocated by this thread, so that it comes from the memory the table's
  // columns have left (a worker thread's allocations come from its own, fresh, heap).
  UninitializedVector<double> tmp[2];
  UninitializedVector<std::uint32_t> rows_tmp[2];
  for (int a = 0; a < 2; ++a) tmp[a].resize(rows[a].size());
  for (int a = 0; a < 2; ++a) rows_tmp[a].resize(rows[a].size());
  for (int a = 0; a < 2; ++a) {
    sort_pairs_in_two(s.arm[a].value, rows[a], tmp[a], rows_tmp[a], size[2 * a], parallel);
    s.arm[a].unit = std::move(rows[a]);
    UninitializedVector<double>().swap(tmp[a]);
    UninitializedVector<std::uint32_t>().swap(rows_tmp[a]);
    // in the memory the sort's buffers have just left; binary_outcome: every outcome is 0 or 1
    s.y[a] = ArmOutcomes(s.arm[a].size(), d.binary_outcome);
  }
#pragma omp parallel for num_threads(std::min(2, omp_get_max_threads())) \
    schedule(static, 1) if (parallel)
  for (int a = 0; a < 2; ++a) {
    if (carried)
      s.y[a].unpack(s.arm[a].unit);
    else
      s.y[a].gather(s.arm[a].unit, d.y);
  }
  return s;
}

Direction run_direction(const SortedArms& sorted, bool focal_treated, const MatchingOptions& o,
                        double caliper) {
  Direction dir{focal_treated, &sorted.arm[focal_treated], {}, {}, &sorted.arm[!focal_treated], {}};
  // Greedy order: hardest units first (largest propensity for treated, smallest for controls),
  // ties in row order. With replacement the order does not matter; ascending is cache-friendly.
  if (focal_treated && !o.replace) {
    const UninitializedVector<double>& value = dir.arm->value;
    const std::size_t n = value.size();
    dir.reorder.resize(n);
    for (std::size_t f = 0; f < n; ++f) dir.reorder[f] = n - 1 - f;
    for (std::size_t i = 0; i < n;) {  // restore row order within equal values
      std::size_t j = i + 1;
      while (j < n && value[dir.reorder[j]] == value[dir.reorder[i]]) ++j;
      std::reverse(dir.reorder.begin() + static_cast<long>(i),
                   dir.reorder.begin() + static_cast<long>(j));
      i = j;
    }
    UnitValues r;
    r.unit.reserve(n);
    r.value.reserve(n);
    for (std::size_t p : dir.reorder)
      r.unit.push_back(dir.arm->unit[p]), r.value.push_back(value[p]);
    dir.reordered = std::move(r);
  }
  const MatchRequest req{&dir.focal(), dir.pool, o.k, caliper};
  dir.matches = o.below_first ? match_below_first(req, o.replace)
                : o.replace   ? match_with_replacement(req)
                              : match_greedy(req);
  return dir;
}

std::string unit_list(const AnalysisData& d, const std::vector<std::size_t>& units) {
  return list_first(units.size(), 10, [&](std::size_t k) { return d.row_name(units[k]); });
}

void add_capacity_warnings(const AnalysisData& d, const Direction& dir, const Tally& t,
                           const MatchingOptions& o, double caliper, Estimate& e) {
  const char* focal = dir.focal_treated ? "treated" : "control";
  const char* pool = dir.focal_treated ? "controls" : "treated";
  if (t.unmatched.empty()) return;
  if (o.caliper <= 0 && !o.replace &&
      dir.pool->size() < dir.focal().size() * static_cast<std::size_t>(o.k))
    e.warnings.push_back(
        fmt::format("{} {} for {} {} units: the estimate refers to the {} "
                    "matched {} units, not all of them; unmatched: {}",
                    dir.pool->size(), pool, dir.focal().size(), focal, t.matched_focal, focal,
                    unit_list(d, t.unmatched)));
  else
    e.warnings.push_back(fmt::format(
        "the {} dropped {} {} units with no {}{} within reach: the "
        "estimate refers to the {} retained {} units; dropped: {}",
        caliper_words(o, caliper), t.unmatched.size(), focal, o.replace ? "" : "unused ", pool,
        t.matched_focal, focal, unit_list(d, t.unmatched)));
}

[[noreturn]] void refuse_no_match(const MatchRun& run) {
  double nearest = INFINITY;
  const auto& dir = run.dirs[0];
  const Matches any = match_with_replacement({&dir.focal(), dir.pool, 1, INFINITY});
  for (std::size_t f = 0; f < dir.focal().size(); ++f)
    if (any.count(f) > 0)  // all its matches are equally near
      nearest = std::min(nearest, std::abs(dir.focal().value[f] - dir.pool->value[any.at(f, 0)]));
  throw Error(
      ErrorCode::kNotIdentifiable,
      fmt::format(
          "matching: no {} unit has a match within the {}; the smallest "
          "distance is {}. Widen --caliper or drop it",
          dir.focal_treated ? "treated" : "control", caliper_words(run.o, run.caliper),
          // six decimals, or three digits where six decimals would show 0
          nearest >= 1e-4 ? fmt::format("{:.6f}", nearest) : fmt::format("{:.3g}", nearest)));
}

std::string matches_per_focal(const MatchRun& run) {
  const std::size_t k = static_cast<std::size_t>(run.o.k);
  std::vector<std::size_t> by_count(k + 1, 0);
  for (const auto& dir : run.dirs)
    for (std::size_t f = 0; f < dir.focal().size(); ++f)
      ++by_count[std::min(dir.matches.count(f), k)];
  std::string counts;
  for (std::size_t c = k + 1; c-- > 0;)
    if (by_count[c] > 0 || k <= 10)  // beyond 1:10, only the counts that occur
      counts += fmt::format("{}{} got {}", counts.empty() ? "" : ", ", by_count[c], c);
  return "matches per focal unit: " + counts;
}

// What the steps after the standard error do not read (values, outcomes, squared weights,
// differences), freed so that the balance weights can take their memory.
void release_variance_inputs(MatchRun& run) {
  for (int a = 0; a < 2; ++a) {
    UninitializedVector<double>().swap(run.sorted.arm[a].value);
    run.sorted.y[a] = ArmOutcomes();
    UninitializedVector<double>().swap(run.usage.k2[a]);
  }
  for (auto& t : run.tallies) std::vector<double>().swap(t.diffs);
}

// Counts, notes on the rule applied, and warnings about what the matched sample is.
void describe_run(const MatchRun& run, Estimate& e) {
  const MatchingOptions& o = run.o;
  std::size_t distinct_pool = 0, dropped = 0, ties = 0;
  for (const auto& k : run.usage.k)
    distinct_pool +=
        static_cast<std::size_t>(std::count_if(k.begin(), k.end(), [](double w) { return w > 0; }));
  for (const auto& t : run.tallies) dropped += t.unmatched.size();
  for (const auto& dir : run.dirs) ties += dir.matches.focal_with_ties;
  const Direction& first = run.dirs[0];
  const std::size_t focal_matched = run.tallies[0].matched_focal;
  e.n_treated = run.dirs.size() == 2  ? focal_matched
                : first.focal_treated ? focal_matched
                                      : distinct_pool;
  e.n_control = run.dirs.size() == 2  ? run.tallies[1].matched_focal
                : first.focal_treated ? distinct_pool
                                      : focal_matched;
  e.details["matched_focal"] = run.matched;
  e.details["distinct_matches_used"] = distinct_pool;
  e.details["unmatched_focal"] = dropped;
  e.details["ties"] = ties;
  e.notes.push_back(fmt::format(
      "1:{} nearest neighbour on the {}, {}, {}; {} focal units matched, {} distinct matches "
      "used, {} unmatched",
      o.k, o.distance == MatchDistance::kLogit ? "logit of the propensity" : "propensity score",
      o.replace ? "with replacement" : "without replacement (greedy, largest propensity first)",
      caliper_words(o, run.caliper), run.matched, distinct_pool, dropped));
  if (!o.replace && !o.below_first && ties > 0)
    e.warnings.push_back(fmt::format(
        "{} matches were chosen among equally near units by row order: reordering the rows can "
        "change the estimate; --replace shares tied matches instead",
        ties));
  if (o.k > 1) e.notes.push_back(matches_per_focal(run));
  if (o.below_first)
    e.notes.push_back(
        "neighbour rule: below-first (the nearest unit at or below the score, "
        "else above), as MatchIt 4.5.1 computes; not the true nearest neighbour");
  else
    e.notes.push_back(
        fmt::format("tie rule: {}; {} ties (distances equal within {} relative)",
                    o.replace ? "matches tied at the k-th distance share it equally (Abadie-Imbens)"
                              : "equal distances go to the unit first in row order",
                    ties, kTieTolerance));
  if (!o.replace && dropped == 0 &&
      first.pool->size() == first.focal().size() * static_cast<std::size_t>(o.k) &&
      distinct_pool == first.pool->size())
    e.warnings.push_back(
        "no units were discarded: every unit of both arms is in the matched "
        "sample, so the matched estimate equals the unadjusted difference; add a "
        "caliper (e.g. --caliper 0.2) or use --replace");
}

// Of the matched focal units of a matching without replacement, how many have a match farther than
// their k-th nearest pool unit (beyond the tie tolerance): units whose near matches an earlier
// focal unit had taken.
std::size_t displaced(const Direction& dir, std::size_t k) {
  const UninitializedVector<double>& pool = dir.pool->value;
  const UnitValues& focal = dir.focal();
  std::size_t count = 0;
  for (std::size_t f = 0; f < focal.size(); ++f) {
    if (dir.matches.count(f) == 0) continue;
    const double x = focal.value[f];
    // the k-th nearest distance, walking out from x's place in the sorted pool
    std::size_t right =
        static_cast<std::size_t>(std::lower_bound(pool.begin(), pool.end(), x) - pool.begin());
    std::size_t left = right;
    double kth = 0;
    for (std::size_t taken = 0; taken < k && (left > 0 || right < pool.size()); ++taken) {
      const double dl = left > 0 ? x - pool[left - 1] : INFINITY;
      const double dr = right < pool.size() ? pool[right] - x : INFINITY;
      kth = dl <= dr ? dl : dr;
      dl <= dr ? --left : ++right;
    }
    double farthest = 0;
    for (std::size_t i = 0; i < dir.matches.count(f); ++i)
      farthest = std::max(farthest, std::abs(pool[dir.matches.at(f, i)] - x));
    count += farthest > kth + kTieTolerance * std::max(std::abs(x), 1.0);
  }
  return count;
}

// Balance of the matched sample: each unit weighs 1 if matched as focal plus its use as a match.
void add_matched_balance(const MatchRun& run, Estimate& e, Eigen::VectorXd* weights) {
  // Each arm's matched focal units flagged in its sorted order first, so that each unit's weight
  // is one store to its row (at random: the units are in the order of their values), not a store
  // and then a read and a store.
  std::vector<std::uint8_t> matched[2];
  for (const auto& dir : run.dirs) {
    auto& flag = matched[dir.focal_treated];
    flag.assign(dir.focal().size(), 0);
    for (std::size_t f = 0; f < dir.focal().size(); ++f)
      flag[dir.position(f)] = dir.matches.count(f) > 0;
  }
  // Every row is a unit of one arm, so every weight is written below, one thread per arm. (No
  // zeroing ahead to share page faults: the weights take the memory the sorted values left, see
  // sort_arms.)
  Eigen::VectorXd weight(run.d.y.size());
  const auto n = static_cast<std::size_t>(weight.size());
#pragma omp parallel for num_threads(std::min(2, omp_get_max_threads())) \
    schedule(static, 1) if (n >= kParallelRows)
  for (int a = 0; a < 2; ++a) {
    const auto& unit = run.sorted.arm[a].unit;
    const auto& k = run.usage.k[a];
    for (std::size_t i = 0; i < unit.size(); ++i)
      weight[static_cast<Eigen::Index>(unit[i])] =
          (k.empty() ? 0.0 : k[i]) + (matched[a].empty() ? 0.0 : matched[a][i]);
  }
  const std::size_t warnings_before = e.warnings.size();
  attach_balance(run.d, weight, e);
  if (weights) *weights = weight;
  // Imbalance left by matching without replacement: said to come from used-up matches only
  // where it does (a unit matched farther than its nearest, taken by an earlier one).
  if (run.o.replace || e.warnings.size() == warnings_before || run.displaced == 0) return;
  const Direction& first = run.dirs[0];
  const char* focal = first.focal_treated ? "treated" : "control";
  const char* pool = first.focal_treated ? "control" : "treated";
  e.warnings.push_back(fmt::format(
      "without replacement each {} unit is used once: {} of the {} matched {} units got a "
      "farther match than their nearest {} (an earlier one had taken it), so the matched "
      "sample is less alike than it could be and the estimate biased; use --replace or a --caliper",
      pool, run.displaced, run.matched, focal,
      run.o.k == 1 ? std::string(pool) : fmt::format("{} {}s", run.o.k, pool)));
}

}  // namespace

Estimate estimate_matching(const MethodInput& in) {
  const AnalysisData& d = in.data;
  const MatchingOptions& o = in.options.matching;
  const Target target = in.options.target;
  if (o.k < 1) throw Error(ErrorCode::kBadInput, "--k must be at least 1");
  if (in.options.trim > 0) return with_trimming(in, estimate_matching);
  require_positivity(d, *in.propensity, target, "matching");
  if (target == Target::kAte && !o.replace)
    throw Error(ErrorCode::kBadInput,
                "matching without replacement estimates the ATT or the ATC; pass --replace to "
                "estimate the ATE, or --target att");
  MatchRun run{d,  o, {in.propensity->score, o.distance == MatchDistance::kLogit}, 0, {}, {},
               {}, {}};
  run.caliper = absolute_caliper(o, run.value);
  run.sorted =
      sort_arms(d, run.value, in.spent_scores == &in.propensity->score ? in.spent_scores : nullptr);
  for (int pool = 0; pool < 2; ++pool) {
    if (target == (pool ? Target::kAtt : Target::kAtc)) continue;
    zeros(run.usage.k[pool], run.sorted.arm[pool].size());
    zeros(run.usage.k2[pool], run.sorted.arm[pool].size());
  }
  if (target != Target::kAtc) run.dirs.push_back(run_direction(run.sorted, true, o, run.caliper));
  if (target != Target::kAtt) run.dirs.push_back(run_direction(run.sorted, false, o, run.caliper));

  Estimate e;
  e.target = target;
  double sum = 0;
  for (const auto& dir : run.dirs) {
    run.tallies.push_back(tally(run.sorted, dir, run.usage, !o.replace || in.differences));
    sum += run.tallies.back().sum_diff;
    run.matched += run.tallies.back().matched_focal;
    add_capacity_warnings(d, dir, run.tallies.back(), o, run.caliper, e);
  }
  if (run.matched == 0) refuse_no_match(run);
  if (in.differences)
    for (const auto& t : run.tallies)
      in.differences->insert(in.differences->end(), t.diffs.begin(), t.diffs.end());
  e.estimate = sum / static_cast<double>(run.matched);
  set_standard_error(run, e);
  // Under the below-first rule a farther match can be the rule's own choice: not counted.
  if (!o.replace && !o.below_first)
    run.displaced = displaced(run.dirs[0], static_cast<std::size_t>(o.k));
  release_variance_inputs(run);
  e.estimand = target == Target::kAtt   ? "ATT: the effect on the treated units that were matched"
               : target == Target::kAtc ? "ATC: the effect on the control units that were matched"
                                        : "ATE: the average effect over all matched units";
  e.answers = "the effect among units paired with similar propensity in the other arm";
  e.misses = "confounders not in the propensity model; units without a close match";
  describe_run(run, e);
  add_matched_balance(run, e, in.balance_weights);
  set_normal_interval(e);
  return e;
}

}  // namespace causeway
