#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace schedulerd::domain {

/// The most recent measurements of something (lateness, latency), kept in a fixed ring so that
/// its percentiles cost nothing to record and little to read.
class sample_window {
 public:
  /// A window of the last `capacity` samples.
  explicit sample_window(std::size_t capacity = 4096);

  /// Records one sample, replacing the oldest once full.
  void add(std::int64_t sample);

  /// The nearest-rank percentile `p` (0..100] of the samples held; 0 when empty.
  [[nodiscard]] std::int64_t percentile(double p) const;

  /// How many samples are held.
  [[nodiscard]] std::size_t size() const noexcept { return samples_.size(); }

 private:
  std::vector<std::int64_t> samples_;
  std::size_t capacity_;
  std::size_t next_ = 0;
};

}  // namespace schedulerd::domain
