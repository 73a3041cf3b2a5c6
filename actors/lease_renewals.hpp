#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>

namespace schedulerd::actors {

/// How far this node has renewed the leases of its claims: the scheduler renews them while the
/// node lives (so a slow send or a slow store never lets another node take a claim over), and the
/// connectors read it to start a send only while its claim's lease still leaves the margin. A
/// claim is renewed only while younger than `max_hold`, so one a crashed connector lost still runs
/// out. Shared by reference between those actors; the value only grows.
class lease_renewals {
 public:
  /// Renewals keep a claim at most `max_hold` past its first lease.
  explicit lease_renewals(std::chrono::milliseconds max_hold) : max_hold_{max_hold} {}

  /// Records that every claim young enough now holds its lease until `lease_until` at least.
  void renewed(std::int64_t lease_until) noexcept {
    auto known = renewed_until_.load(std::memory_order_relaxed);
    while (known < lease_until &&
           !renewed_until_.compare_exchange_weak(known, lease_until, std::memory_order_relaxed)) {
    }
  }

  /// When the lease of a claim first held until `lease_until` ends, counting the renewals.
  [[nodiscard]] std::int64_t lease_end(std::int64_t lease_until) const noexcept {
    const auto renewed = renewed_until_.load(std::memory_order_relaxed);
    return std::min(std::max(lease_until, renewed), lease_until + max_hold_.count());
  }

  /// How long past its first lease a claim may be renewed.
  [[nodiscard]] std::chrono::milliseconds max_hold() const noexcept { return max_hold_; }

 private:
  std::chrono::milliseconds max_hold_;
  std::atomic<std::int64_t> renewed_until_{0};
};

}  // namespace schedulerd::actors
