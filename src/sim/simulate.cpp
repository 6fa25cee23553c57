#include "causeway/sim/simulate.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <vector>

#include "causeway/learn/logistic.h"
#include "causeway/rng.h"
#include "core/atomic_file.h"

namespace causeway {
namespace {

struct Process {
  std::vector<std::string> columns;             // without true_effect
  std::vector<bool> integer;                    // printed without decimals
  std::function<void(Rng&, double* row)> draw;  // fills columns, then the true effect
};

void draw_retention(Rng& rng, double* row) {
  const double m = rng.normal();
  const double call = rng.bernoulli(logistic(0.2 + 1.1 * m));
  const double renew = rng.bernoulli(logistic(-0.2 + 1.3 * m + 0.18 * call));
  row[0] = call, row[1] = renew, row[2] = m;
  row[3] = logistic(-0.02 + 1.3 * m) - logistic(-0.2 + 1.3 * m);
}

void draw_uplift(Rng& rng, double* row) {
  const double m = rng.normal(), u = rng.normal();
  const double tenure = 1.0 + static_cast<double>(rng.below(47));
  const double call = rng.bernoulli(logistic(0.2 + 1.1 * m - 0.1 * u));
  const double tau = tenure < 6 ? 0.30 : tenure < 18 ? 0.05 : -0.02;
  const double p = std::clamp(0.5 + 0.2 * m + 0.1 * u + tau * call, 0.01, 0.99);
  row[0] = m, row[1] = u, row[2] = tenure, row[3] = call, row[4] = rng.bernoulli(p);
  row[5] = tau;
}

Process process_for(const std::string& scenario) {
  if (scenario == "retention")
    return {{"call", "renew", "motivation_proxy"}, {true, true, false}, draw_retention};
  if (scenario == "uplift")
    return {{"motivation", "usage_depth", "tenure_months", "call", "renew"},
            {false, false, true, true, true},
            draw_uplift};
  throw Error(
      ErrorCode::kBadInput,
      fmt::format("unknown simulation '{}'; the simulations are: retention, uplift", scenario));
}

void check(const SimulationOptions& o) {
  if (o.rows < 2) throw Error(ErrorCode::kBadInput, "--n must be at least 2");
}

}  // namespace

Result<Table> simulate(const SimulationOptions& options) {
  return guarded([&]() -> Table {
    check(options);
    const Process p = process_for(options.scenario);
    const std::size_t width = p.columns.size() + 1;
    Table table;
    table.source = fmt::format("<simulated {}, seed {}>", options.scenario, options.seed);
    table.rows = options.rows;
    for (std::size_t j = 0; j < width; ++j) {
      if (j == p.columns.size() && !options.with_truth) break;
      Column c;
      c.name = j < p.columns.size() ? p.columns[j] : "true_effect";
      const bool binary = j < p.columns.size() && (c.name == "call" || c.name == "renew");
      c.kind = binary ? ColumnKind::kBoolean : ColumnKind::kNumeric;
      if (binary) c.levels = {"0", "1"};
      c.values.reserve(options.rows);
      c.missing = 0;  // a simulation leaves no cell empty
      table.columns.push_back(std::move(c));
    }
    Rng rng(options.seed);
    std::vector<double> row(width);
    for (std::size_t i = 0; i < options.rows; ++i) {
      p.draw(rng, row.data());
      for (std::size_t j = 0; j < table.columns.size(); ++j)
        table.columns[j].values.push_back(row[j]);
    }
    return table;
  });
}

Result<SampleTruth> sample_truth(const Table& simulated) {
  return guarded([&]() -> SampleTruth {
    const Column* call = simulated.find("call");
    const Column* truth = simulated.find("true_effect");
    if (!call || !truth)
      throw Error(ErrorCode::kBadInput, "the table was not simulated with --with-truth");
    double att = 0, ate = 0, treated = 0;
    for (std::size_t i = 0; i < simulated.rows; ++i) {
      ate += truth->values[i];
      att += call->values[i] * truth->values[i];
      treated += call->values[i];
    }
    return {att / treated, ate / static_cast<double>(simulated.rows)};
  });
}

Result<std::size_t> write_simulation(const SimulationOptions& options, const std::string& path) {
  return guarded([&]() -> std::size_t {
    check(options);
    const Process p = process_for(options.scenario);
    AtomicFile file(path);
    fmt::memory_buffer buf;
    for (std::size_t j = 0; j < p.columns.size(); ++j)
      fmt::format_to(std::back_inserter(buf), "{}{}", j ? "," : "", p.columns[j]);
    fmt::format_to(std::back_inserter(buf), "{}\n", options.with_truth ? ",true_effect" : "");
    Rng rng(options.seed);
    std::vector<double> row(p.columns.size() + 1);
    for (std::size_t i = 0; i < options.rows; ++i) {
      p.draw(rng, row.data());
      for (std::size_t j = 0; j < p.columns.size(); ++j) {
        if (j) buf.push_back(',');
        if (p.integer[j])
          fmt::format_to(std::back_inserter(buf), "{}", static_cast<long>(row[j]));
        else
          fmt::format_to(std::back_inserter(buf), "{:.6f}", row[j]);
      }
      if (options.with_truth)
        fmt::format_to(std::back_inserter(buf), ",{:.6f}", row[p.columns.size()]);
      buf.push_back('\n');
      if (buf.size() > (1 << 20)) {
        file.write(std::string_view(buf.data(), buf.size()));
        buf.clear();
      }
    }
    file.write(std::string_view(buf.data(), buf.size()));
    file.commit();
    return options.rows;
  });
}

}  // namespace causeway
