#pragma once

#include "domain/message_records.hpp"
#include "metrics/registry.hpp"

#include <memory>
#include <vector>

namespace schedulerd::actors {

/// The series the connectors update as they store their attempts' outcomes (docs/metrics.md):
/// `schedulerd_dispatch_outcomes_total{outcome}` and the provider call latency of the attempts
/// that made a call, `schedulerd_dispatch_call_duration_seconds`.
class dispatch_metrics {
 public:
  /// Registers both families in `registry`, which this object keeps alive.
  explicit dispatch_metrics(const std::shared_ptr<metrics::registry>& registry);

  /// Counts outcomes just stored.
  void record(const std::vector<domain::attempt_result>& stored) noexcept;

 private:
  std::shared_ptr<metrics::registry> registry_;
  metrics::labelled<metrics::counter>& outcomes_;
  metrics::labelled<metrics::histogram>& call_duration_;
};

}  // namespace schedulerd::actors
