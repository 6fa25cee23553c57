// Google Benchmark micro-benchmarks of causeway's hot loops, on simulated inputs.
// Built when Google Benchmark is installed (libbenchmark-dev): build/bench/causeway_micro_bench.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <numeric>

#include "causeway/data/csv.h"
#include "causeway/learn/logistic.h"
#include "causeway/rng.h"
#include "core/radix_sort.h"
#include "estimate/matcher.h"

namespace causeway {
namespace {

Eigen::VectorXd uniform_values(std::size_t n) {
  Rng rng(1);
  Eigen::VectorXd v(static_cast<Eigen::Index>(n));
  for (auto& x : v) x = rng.uniform();
  return v;
}

void BM_RadixSortByValue(benchmark::State& state) {
  const std::size_t n = static_cast<std::size_t>(state.range(0));
  const Eigen::VectorXd v = uniform_values(n);
  std::vector<std::size_t> rows(n);
  std::iota(rows.begin(), rows.end(), 0);
  for (auto _ : state) benchmark::DoNotOptimize(sort_by_value(rows, v));
  state.SetItemsProcessed(state.iterations() * static_cast<long>(n));
}
BENCHMARK(BM_RadixSortByValue)->Arg(1 << 20);

void BM_StableSortByValue(benchmark::State& state) {  // the comparator sort radix replaced
  const std::size_t n = static_cast<std::size_t>(state.range(0));
  const Eigen::VectorXd v = uniform_values(n);
  for (auto _ : state) {
    std::vector<std::size_t> rows(n);
    std::iota(rows.begin(), rows.end(), 0);
    std::stable_sort(rows.begin(), rows.end(), [&](std::size_t a, std::size_t b) {
      return v[static_cast<Eigen::Index>(a)] < v[static_cast<Eigen::Index>(b)];
    });
    benchmark::DoNotOptimize(rows);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<long>(n));
}
BENCHMARK(BM_StableSortByValue)->Arg(1 << 20);

void BM_MatchWithReplacement(benchmark::State& state) {
  const std::size_t n = static_cast<std::size_t>(state.range(0));
  const Eigen::VectorXd v = uniform_values(n);
  std::vector<std::size_t> all(n);
  std::iota(all.begin(), all.end(), 0);
  std::vector<std::size_t> focal, pool;
  for (std::size_t r : sort_by_value(all, v)) (r % 2 ? focal : pool).push_back(r);
  const UnitValues f = gather_values(focal, v), p = sorted_by_value(pool, v);
  for (auto _ : state) benchmark::DoNotOptimize(match_with_replacement({&f, &p, 1, INFINITY}));
  state.SetItemsProcessed(state.iterations() * static_cast<long>(n));
}
BENCHMARK(BM_MatchWithReplacement)->Arg(1 << 20);

void BM_GreedyMatch(benchmark::State& state) {
  const std::size_t n = static_cast<std::size_t>(state.range(0));
  const Eigen::VectorXd v = uniform_values(n);
  std::vector<std::size_t> focal, pool;
  for (std::size_t r = 0; r < n; ++r) (r % 3 ? pool : focal).push_back(r);
  const UnitValues f = gather_values(focal, v), p = sorted_by_value(pool, v);
  for (auto _ : state) benchmark::DoNotOptimize(match_greedy({&f, &p, 1, INFINITY}));
  state.SetItemsProcessed(state.iterations() * static_cast<long>(n));
}
BENCHMARK(BM_GreedyMatch)->Arg(1 << 20);

void BM_LogisticFit(benchmark::State& state) {
  const Eigen::Index n = state.range(0);
  Rng rng(2);
  Eigen::MatrixXd x(n, 1);
  Eigen::VectorXd y(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    x(i, 0) = rng.normal();
    y[i] = rng.bernoulli(logistic(0.2 + 1.1 * x(i, 0)));
  }
  LogisticOptions o;
  o.threads = static_cast<int>(state.range(1));
  for (auto _ : state) benchmark::DoNotOptimize(fit_logistic(x, y, o));
  state.SetItemsProcessed(state.iterations() * n);
}
BENCHMARK(BM_LogisticFit)->Args({1 << 20, 1})->Args({1 << 20, 2});

void BM_ParseCsv(benchmark::State& state) {
  Rng rng(3);
  std::string text = "call,renew,motivation_proxy\n";
  for (long i = 0; i < state.range(0); ++i)
    text += fmt::format("{},{},{:.6f}\n", rng.below(2), rng.below(2), rng.normal());
  for (auto _ : state) benchmark::DoNotOptimize(parse_csv(text, "bench.csv", {}));
  state.SetBytesProcessed(state.iterations() * static_cast<long>(text.size()));
}
// A first pass split across two threads at line ends measured no faster (241 vs 227 MB/s):
// page faults on the new column vectors, not parsing, bound it. It was taken out again.
BENCHMARK(BM_ParseCsv)->Arg(1 << 20);

}  // namespace
}  // namespace causeway

BENCHMARK_MAIN();
