#include "actors/dispatch_metrics.hpp"

#include <string_view>

namespace schedulerd::actors {

namespace {

std::string_view outcome_label(domain::attempt_outcome outcome) noexcept {
  switch (outcome) {
    case domain::attempt_outcome::sent:
      return "sent";
    case domain::attempt_outcome::retry:
      return "retry";
    case domain::attempt_outcome::failed:
      return "failed";
    case domain::attempt_outcome::released:
      return "released";
  }
  return "other";
}

}  // namespace

dispatch_metrics::dispatch_metrics(const std::shared_ptr<metrics::registry>& registry)
    : registry_(registry),
      outcomes_(registry->add_counter(
          "schedulerd_dispatch_outcomes_total",
          "Attempt outcomes stored by this node: sent, retry (another attempt follows), failed "
          "(given up), released (never started, back to pending without using the attempt).",
          {"outcome"})),
      call_duration_(registry->add_histogram(
          "schedulerd_dispatch_call_duration_seconds",
          "How long the provider took to answer a send, for attempts that made a call.", {},
          metrics::histogram::default_seconds())) {
  // Every outcome shows from the start, at 0, so a rate over it exists before the first one.
  for (const auto outcome : {domain::attempt_outcome::sent, domain::attempt_outcome::retry,
                             domain::attempt_outcome::failed, domain::attempt_outcome::released}) {
    outcomes_.with({outcome_label(outcome)});
  }
}

void dispatch_metrics::record(const std::vector<domain::attempt_result>& stored) noexcept {
  try {
    for (const auto& result : stored) {
      outcomes_.with({outcome_label(result.outcome)}).add();
      if (result.outcome != domain::attempt_outcome::released && result.http_status != 0) {
        call_duration_.with({}).observe(static_cast<double>(result.latency_ms) / 1000.0);
      }
    }
  } catch (...) {
    // Only creating a series allocates; an outcome is stored whether or not it was counted.
  }
}

}  // namespace schedulerd::actors
