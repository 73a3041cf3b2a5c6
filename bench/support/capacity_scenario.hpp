#pragma once

#include "bench/support/run_context.hpp"

namespace schedulerd::bench {

/// Scenario 7 (PostgreSQL only): 1,000,000 far-future pending messages seeded with SQL; the
/// service's start-up time and RSS on them, the list's p99, and the burst again on top.
void run_capacity(const run_context& ctx);

}  // namespace schedulerd::bench
