#pragma once

#include "bench/support/fake_provider.hpp"
#include "bench/support/run_context.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace schedulerd::bench {

/// What the provider saw of a scheduled set of messages once it was delivered or time ran out.
struct delivery {
  /// Messages never accepted.
  std::int64_t lost = 0;
  /// Accepted sends beyond the first, over all messages.
  std::int64_t repeated = 0;
  /// Send requests, refused ones included.
  std::int64_t attempts = 0;
  /// Accepted time minus due time of each accepted message, in ms.
  std::vector<double> lateness_ms;
  /// First-attempt time minus due time of each message, in ms.
  std::vector<double> pickup_ms;
  /// The last acceptance minus the earliest due time, in ms.
  double drain_ms = 0;
};

/// The due time (epoch ms) of the message whose text is `text`.
using due_of_text = std::function<std::int64_t(const std::string& text)>;

/// Waits until `provider` accepted `expected` messages (or `deadline` passed), lets 300 ms pass
/// to catch late duplicates, and measures what it saw.
delivery await_delivery(const fake_provider& provider, std::int64_t expected,
                        const due_of_text& due_of, std::chrono::seconds deadline);

/// Adds the exactly-once figure to the report, and marks the run broken unless every one of
/// `expected` messages was accepted exactly once.
void check_exactly_once(const run_context& ctx, const std::string& scenario, const delivery& seen,
                        std::int64_t expected);

}  // namespace schedulerd::bench
