// Simulated samples shared by the forest and meta-learner tests.
#pragma once

#include <Eigen/Dense>
#include <cmath>
#include <cstdint>

#include "causeway/rng.h"
#include "causeway/sim/simulate.h"

namespace causeway::testing {

// The uplift simulation (DESIGN.md) as matrices: x = motivation, usage_depth, tenure_months.
struct UpliftSample {
  Eigen::MatrixXd x;
  Eigen::VectorXd y, w, tau;
};

inline UpliftSample uplift_sample(std::size_t rows, std::uint64_t seed = 7) {
  SimulationOptions so;
  so.scenario = "uplift";
  so.rows = rows;
  so.seed = seed;
  so.with_truth = true;
  const Table t = simulate(so).value();
  const auto col = [&](const char* name) {
    const Column* c = t.find(name);
    return Eigen::Map<const Eigen::VectorXd>(c->values.data(), static_cast<Eigen::Index>(t.rows))
        .eval();
  };
  UpliftSample u;
  u.x.resize(static_cast<Eigen::Index>(t.rows), 3);
  u.x.col(0) = col("motivation");
  u.x.col(1) = col("usage_depth");
  u.x.col(2) = col("tenure_months");
  u.y = col("renew");
  u.w = col("call");
  u.tau = col("true_effect");
  return u;
}

// An effect that grows with a feature which also drives treatment: x1, x2 ~ N(0,1),
// P(t = 1) = logistic(x1), y = x1 + x2 + tau t + N(0,1), tau = 0.5 + slope x1. Every linear
// model of it is correctly specified.
struct LinearEffectSample {
  Eigen::MatrixXd x;
  Eigen::VectorXd y, t, tau;
};

inline LinearEffectSample linear_effect_sample(Eigen::Index n, std::uint64_t seed, double slope) {
  Rng rng(seed);
  LinearEffectSample s{Eigen::MatrixXd(n, 2), Eigen::VectorXd(n), Eigen::VectorXd(n),
                       Eigen::VectorXd(n)};
  for (Eigen::Index i = 0; i < n; ++i) {
    const double x1 = rng.normal(), x2 = rng.normal();
    s.x(i, 0) = x1, s.x(i, 1) = x2;
    s.t[i] = rng.bernoulli(1 / (1 + std::exp(-x1))) ? 1 : 0;
    s.tau[i] = 0.5 + slope * x1;
    s.y[i] = x1 + x2 + s.tau[i] * s.t[i] + rng.normal();
  }
  return s;
}

}  // namespace causeway::testing
