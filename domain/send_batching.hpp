#pragma once

#include <chrono>
#include <cstddef>
#include <optional>

namespace schedulerd::domain {

/// How many due messages one sender of a connection takes at once, from how long its recent
/// batches took.
///
/// While batches come back quickly, the cores are the limit, not the platform: every batch costs
/// the same hand-offs between threads whatever its size, so a batch takes half the connection's
/// sends in flight. Once they take longer, a batch's slots wait for its slowest call, so a batch
/// takes a quarter: fewer slots idle behind one slow answer.
class send_batching {
 public:
  /// Batches that took this long or less, smoothed, count as quick.
  static constexpr std::chrono::milliseconds quick{50};

  /// Records that a batch took `elapsed`, from its start to its last answer.
  void record(std::chrono::milliseconds elapsed) noexcept;

  /// How many due messages the next batch takes, under a cap of `max_in_flight` sends (at least
  /// one); a quarter of it until a batch has been recorded.
  [[nodiscard]] std::size_t batch_size(int max_in_flight) const noexcept;

  /// The recent batches' time, smoothed (each new batch counts for a quarter); none before one.
  [[nodiscard]] std::optional<double> smoothed_ms() const noexcept { return smoothed_ms_; }

 private:
  std::optional<double> smoothed_ms_;
};

}  // namespace schedulerd::domain
