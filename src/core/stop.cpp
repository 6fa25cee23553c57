#include "core/stop.h"

#include <atomic>

#include "causeway/status.h"

namespace causeway {
namespace {

std::atomic<bool> stop{false};

}  // namespace

void request_stop() {
  stop = true;
}
void clear_stop() {
  stop = false;
}
bool stop_requested() {
  return stop.load(std::memory_order_relaxed);
}

void throw_if_stopped() {
  if (stop_requested()) throw Error(ErrorCode::kBadInput, "interrupted");
}

}  // namespace causeway
