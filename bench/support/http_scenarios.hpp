#pragma once

#include "bench/support/run_context.hpp"

namespace schedulerd::bench {

/// Scenario 5: one bulk of 10,000 recipients (time), then single creates from 50 concurrent
/// connections (rate, p99).
void run_creation(const run_context& ctx);

/// Scenario 6: `wrk` with 50 connections on GET /api/auth/me and on a page of 25 of the user's
/// 100,000 messages, against GET /api/health measured in the same run as the ceiling.
void run_api(const run_context& ctx);

}  // namespace schedulerd::bench
