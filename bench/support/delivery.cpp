#include "bench/support/delivery.hpp"

#include "tests/support/polling.hpp"

#include <algorithm>
#include <limits>
#include <thread>

namespace schedulerd::bench {

delivery await_delivery(const fake_provider& provider, std::int64_t expected,
                        const due_of_text& due_of, std::chrono::seconds deadline) {
  static_cast<void>(testing::eventually([&] { return provider.accepted() >= expected; }, deadline,
                                        std::chrono::milliseconds{10}));
  std::this_thread::sleep_for(std::chrono::milliseconds{300});
  delivery seen;
  std::int64_t earliest_due = std::numeric_limits<std::int64_t>::max();
  std::int64_t last_accepted = 0;
  for (const auto& [key, receipts] : provider.receipts()) {
    const auto due = due_of(key.substr(key.find('|') + 1));
    earliest_due = std::min(earliest_due, due);
    seen.attempts += receipts.attempts;
    seen.pickup_ms.push_back(static_cast<double>(receipts.first_at_ms - due));
    if (receipts.accepted == 0) continue;
    seen.repeated += receipts.accepted - 1;
    seen.lateness_ms.push_back(static_cast<double>(receipts.accepted_at_ms - due));
    last_accepted = std::max(last_accepted, receipts.accepted_at_ms);
  }
  seen.lost =
      std::max<std::int64_t>(0, expected - static_cast<std::int64_t>(seen.lateness_ms.size()));
  seen.drain_ms = seen.lateness_ms.empty() ? 0 : static_cast<double>(last_accepted - earliest_due);
  return seen;
}

void check_exactly_once(const run_context& ctx, const std::string& scenario, const delivery& seen,
                        std::int64_t expected) {
  const bool exact = seen.lost == 0 && seen.repeated == 0 &&
                     static_cast<std::int64_t>(seen.lateness_ms.size()) == expected;
  ctx.out.add(scenario, ctx.backend, ctx.run, "exactly once (lost / repeated)",
              std::to_string(seen.lost) + " / " + std::to_string(seen.repeated), "0 / 0", exact);
  if (!exact) {
    ctx.out.broken(scenario, ctx.backend, ctx.run,
                   std::to_string(seen.lost) + " of " + std::to_string(expected) +
                       " messages never delivered, " + std::to_string(seen.repeated) +
                       " sent more than once");
  }
}

}  // namespace schedulerd::bench
