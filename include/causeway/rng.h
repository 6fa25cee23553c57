// A small deterministic random number generator (xoshiro256**, seeded by splitmix64).
//
// causeway implements its own draws instead of using <random>'s distributions, whose output is
// not specified by the standard: the same seed must give the same numbers on every platform and
// whatever the thread count. A parallel replicate i uses Rng(seed + i). Not thread-safe: one
// generator per thread.
#pragma once

#include <cstdint>

namespace causeway {

class Rng {
 public:
  explicit Rng(std::uint64_t seed);
  std::uint64_t next();
  double uniform();                          // in [0, 1)
  double normal();                           // standard normal (polar Box-Muller)
  std::uint64_t below(std::uint64_t bound);  // uniform integer in [0, bound)
  bool bernoulli(double p) { return uniform() < p; }

 private:
  std::uint64_t s_[4];
  double spare_ = 0.0;
  bool has_spare_ = false;
};

}  // namespace causeway
