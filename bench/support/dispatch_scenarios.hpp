#pragma once

#include "bench/support/node.hpp"
#include "bench/support/remote_user.hpp"
#include "bench/support/run_context.hpp"

#include <cstdint>
#include <string>

namespace schedulerd::bench {

/// Scenario 1: 20,000 messages created in bulks, all due 5 s later, concurrency 50.
void run_burst(const run_context& ctx);

/// The burst on a running node whose user has at least min(messages, 10,000) contacts; reports
/// under `scenario`.
void measure_burst(const run_context& ctx, node& service, const remote_user& user,
                   std::int64_t messages, const std::string& scenario);

/// Scenario 2: 200 messages due one after another over 10 s; pickup lateness.
void run_trickle(const run_context& ctx);

/// Scenario 3: 10 % of first attempts answered 503; every message sent, attempts exactly 1.1 N.
void run_retry(const run_context& ctx);

/// Scenario 4: 200 ms per send, 5,000 messages, concurrency 50: throughput against 250/s.
void run_slow_provider(const run_context& ctx);

}  // namespace schedulerd::bench
