#include "domain/send_batching.hpp"

#include <algorithm>
#include <cstdint>

namespace schedulerd::domain {

void send_batching::record(std::chrono::milliseconds elapsed) noexcept {
  const auto ms = static_cast<double>(std::max<std::int64_t>(0, elapsed.count()));
  smoothed_ms_ = smoothed_ms_ ? (*smoothed_ms_ * 3 + ms) / 4 : ms;
}

std::size_t send_batching::batch_size(int max_in_flight) const noexcept {
  const bool batches_are_quick =
      smoothed_ms_ && *smoothed_ms_ <= static_cast<double>(quick.count());
  return static_cast<std::size_t>(std::max(1, max_in_flight / (batches_are_quick ? 2 : 4)));
}

}  // namespace schedulerd::domain
