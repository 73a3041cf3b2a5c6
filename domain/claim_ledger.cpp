#include "domain/claim_ledger.hpp"

#include <algorithm>

namespace schedulerd::domain {

void claim_ledger::add(std::int64_t count, std::int64_t lease_until) {
  if (count <= 0) {
    return;
  }
  batches_.push_back({count, lease_until});
  held_ += count;
}

void claim_ledger::settle(std::int64_t count) {
  while (count > 0 && !batches_.empty()) {
    auto& oldest = batches_.front();
    const auto taken = std::min(count, oldest.count);
    oldest.count -= taken;
    held_ -= taken;
    count -= taken;
    if (oldest.count == 0) {
      batches_.pop_front();
    }
  }
}

std::int64_t claim_ledger::held(std::int64_t now) {
  while (!batches_.empty() && batches_.front().lease_until <= now) {
    held_ -= batches_.front().count;
    batches_.pop_front();
  }
  return held_;
}

}  // namespace schedulerd::domain
