#pragma once

#include <string_view>

namespace schedulerd::actors {

/// Names the calling thread after `pool` (its part after the last dot, cut to the 15 characters
/// Linux keeps), so that `top -H`, `perf` and `/proc/<pid>/task/*/comm` tell a pool's workers
/// from CAF's other threads, which all read `caf.actor`.
void name_this_thread(std::string_view pool);

}  // namespace schedulerd::actors
