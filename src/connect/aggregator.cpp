#include "connect/aggregator.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace causeway {

SignalAggregator::SignalAggregator(const SignalMapping& mapping) : mapping_(mapping) {}

void SignalAggregator::add(std::string_view id, const std::vector<std::optional<double>>& values,
                           double time) {
  const std::size_t columns = mapping_.columns.size();
  auto [it, fresh] = index_.try_emplace(std::string(id), ids_.size());
  if (fresh) {
    ids_.emplace_back(id);
    states_.resize(states_.size() + columns);
  }
  State* row = &states_[it->second * columns];
  for (std::size_t c = 0; c < columns; ++c)
    if (values[c]) update(row[c], mapping_.columns[c].aggregation, *values[c], time);
}

void SignalAggregator::update(State& s, Aggregation a, double v, double time) {
  const bool first = s.n++ == 0;
  switch (a) {
    case Aggregation::kMax:
      s.value = first ? v : std::max(s.value, v);
      break;
    case Aggregation::kMin:
      s.value = first ? v : std::min(s.value, v);
      break;
    case Aggregation::kMean:
    case Aggregation::kSum:
      s.value += v;
      break;
    case Aggregation::kCount:
      s.value += v != 0;
      break;
    case Aggregation::kAny:
      s.value = std::max(s.value, v != 0 ? 1.0 : 0.0);
      break;
    case Aggregation::kLast:  // a tie goes to the record read later
      if (first || time >= s.time) s.value = v, s.time = time;
      break;
  }
}

double SignalAggregator::result(const State& s, Aggregation a) {
  if (a == Aggregation::kCount) return s.value;  // no records counted is a count of 0
  if (s.n == 0) return std::numeric_limits<double>::quiet_NaN();
  return a == Aggregation::kMean ? s.value / static_cast<double>(s.n) : s.value;
}

SignalTable SignalAggregator::table(std::vector<SignalColumnCounts>& counts) const {
  const std::size_t columns = mapping_.columns.size();
  SignalTable t;
  t.id_column = mapping_.id_column;
  for (const auto& c : mapping_.columns) t.columns.push_back(c.name);
  std::vector<std::size_t> order(ids_.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return ids_[a] < ids_[b]; });
  t.cells.reserve(order.size() * columns);
  for (std::size_t k : order) {
    t.ids.push_back(ids_[k]);
    for (std::size_t c = 0; c < columns; ++c) {
      const double v = result(states_[k * columns + c], mapping_.columns[c].aggregation);
      if (std::isnan(v)) ++counts[c].empty_cells;
      t.cells.push_back(v);
    }
  }
  return t;
}

}  // namespace causeway
