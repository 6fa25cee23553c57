// When a pass over rows is worth sharing between the threads.
#pragma once

#include <cstddef>

namespace causeway {

// From this many rows, a simple pass over them (a copy, a count, a sum, a scan) is shared by the
// threads; below it, waking them costs more than the pass saves.
constexpr std::size_t kParallelRows = 200000;

}  // namespace causeway
