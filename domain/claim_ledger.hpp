#pragma once

#include <cstdint>
#include <deque>

namespace schedulerd::domain {

/// Counts the claims a node handed to its connectors and has not heard settled, batch by batch
/// with each batch's lease end: a claim whose lease ended is no longer held whatever happened to
/// it (a connector that crashed never reports), so a lost report cannot stop a node claiming.
class claim_ledger {
 public:
  /// Records `count` claims handed off, held at most until `lease_until`.
  void add(std::int64_t count, std::int64_t lease_until);

  /// Forgets `count` settled claims, oldest batches first (leases end in the order they began).
  void settle(std::int64_t count);

  /// The claims still held at `now`; batches whose lease ended are dropped.
  [[nodiscard]] std::int64_t held(std::int64_t now);

 private:
  struct batch {
    std::int64_t count;
    std::int64_t lease_until;
  };
  std::deque<batch> batches_;
  std::int64_t held_ = 0;
};

}  // namespace schedulerd::domain
