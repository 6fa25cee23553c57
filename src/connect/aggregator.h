// Per-customer accumulators of a mapping's columns: one small state per customer and column,
// whatever the number of records.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "causeway/connect/mapping.h"
#include "causeway/connect/signals.h"

namespace causeway {

class SignalAggregator {
 public:
  explicit SignalAggregator(const SignalMapping& mapping);

  // One accepted record: a value per column (nullopt: none), and its time for `last`.
  void add(std::string_view id, const std::vector<std::optional<double>>& values, double time);
  std::size_t customers() const { return ids_.size(); }
  // The table, rows sorted by id; counts each column's empty cells into `columns`.
  SignalTable table(std::vector<SignalColumnCounts>& columns) const;

 private:
  struct State {
    double value = 0;
    double time = 0;
    std::uint64_t n = 0;  // values seen
  };
  static void update(State& s, Aggregation a, double v, double time);
  static double result(const State& s, Aggregation a);

  const SignalMapping& mapping_;
  std::unordered_map<std::string, std::size_t> index_;
  std::vector<std::string> ids_;
  std::vector<State> states_;  // customers x columns
};

}  // namespace causeway
