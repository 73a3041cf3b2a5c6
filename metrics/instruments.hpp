#pragma once

#include "metrics/sample.hpp"

#include <atomic>
#include <cstdint>
#include <vector>

// The instruments the hot path updates: each observation is a few relaxed atomic operations,
// never a lock.

namespace schedulerd::metrics {

/// A count that only goes up.
class counter {
 public:
  /// Counters need no options.
  struct options {};

  explicit counter(const options& /*unused*/ = {}) {}

  /// Adds `by` to the count.
  void add(std::uint64_t by = 1) noexcept { count_.fetch_add(by, std::memory_order_relaxed); }

  /// The count now.
  [[nodiscard]] std::uint64_t value() const noexcept {
    return count_.load(std::memory_order_relaxed);
  }

  /// Appends this counter's sample, labelled `labels`, to `out`.
  void collect(const label_set& labels, std::vector<sample>& out) const;

 private:
  std::atomic<std::uint64_t> count_{0};
};

/// A value that goes up and down.
class gauge {
 public:
  /// Gauges need no options.
  struct options {};

  explicit gauge(const options& /*unused*/ = {}) {}

  /// Replaces the value.
  void set(double value) noexcept;

  /// Adds `by` (negative to subtract).
  void add(double by) noexcept;

  /// The value now.
  [[nodiscard]] double value() const noexcept;

  /// Appends this gauge's sample, labelled `labels`, to `out`.
  void collect(const label_set& labels, std::vector<sample>& out) const;

 private:
  std::atomic<std::uint64_t> bits_{0};
};

/// Counts observations into cumulative buckets (`le`), with their sum and count.
class histogram {
 public:
  /// The buckets' upper bounds, strictly increasing; `+Inf` is implied.
  struct options {
    std::vector<double> bounds;
  };

  /// Latency buckets in seconds, from 5 ms to 10 s (Prometheus' client defaults).
  static std::vector<double> default_seconds();

  explicit histogram(const options& shape);

  /// Counts `value` into the first bucket whose bound is at least `value`.
  void observe(double value) noexcept;

  /// Appends `_bucket` lines (cumulative, `+Inf` last), `_sum` and `_count` to `out`.
  void collect(const label_set& labels, std::vector<sample>& out) const;

 private:
  std::vector<double> bounds_;
  // Per bucket, not cumulative, so `_count` (their total) always equals the `+Inf` bucket.
  std::vector<std::atomic<std::uint64_t>> counts_;
  std::atomic<std::uint64_t> sum_bits_{0};
};

}  // namespace schedulerd::metrics
