#pragma once

#include "domain/message_records.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace schedulerd::actors {

/// The claims one connector holds, whether each one's attempt has started, and the outcomes it
/// knows but has not stored yet. It lives outside the connector, so that when a connector crashes
/// its registry can store what the connector knew and give the rest back at once, instead of
/// leaving the messages `processing` until their leases run out.
///
/// The connector alone uses it while it lives; the registry reads it only after the connector is
/// down, which the down message orders after the connector's last step.
class held_claims {
 public:
  /// What the attempt of a claim that never reached the provider is stored as.
  static constexpr const char* unstarted_reason =
      "not sent: its connector stopped unexpectedly before sending it; it waits without using "
      "an attempt";
  /// What an attempt that may have reached the provider is stored as.
  static constexpr const char* interrupted_reason =
      "its connector stopped unexpectedly during the send; whether the provider received it is "
      "unknown";

  /// Holds `claimed`, their attempts not started.
  void hold(const std::vector<domain::claimed_message>& claimed);

  /// Marks the attempt of claim `id` as started: from now on it may reach the provider.
  void start(std::int64_t id);

  /// Records how an attempt ended, before it is stored.
  void know(const domain::attempt_result& outcome);

  /// Lets go of claim `id` if it is still held for `attempt`.
  void settle(std::int64_t id, std::int32_t attempt);

  /// How many claims are held.
  [[nodiscard]] std::size_t size() const noexcept { return claims_.size(); }

  /// Empties the holder and answers what storing its claims takes at `now_ms`: each known outcome
  /// as it is; an attempt started without a known outcome as interrupted, tried again at once; an
  /// attempt never started as released, due when it was.
  std::vector<domain::attempt_result> abandon(std::int64_t now_ms);

 private:
  struct claim {
    domain::claimed_message message;
    bool started = false;
    std::optional<domain::attempt_result> outcome;
  };

  std::unordered_map<std::int64_t, claim> claims_;
};

}  // namespace schedulerd::actors
