// The connector's leave to send: its own token bucket on a single node, or grants of the pacer
// that shares each connection's rate across nodes through Redis.

#include "actors/connector_state.hpp"

#include <caf/all.hpp>

#include <algorithm>

namespace schedulerd::actors::connector_detail {

namespace {

using steady = std::chrono::steady_clock;

// Grants are spent within a second of being given, or dropped.
constexpr std::chrono::seconds grant_lifetime{1};
// How long to wait for the pacer before asking again (it answers in well under a millisecond).
constexpr std::chrono::seconds pacer_timeout{2};

void ask_pacer(self_pointer self) {
  auto& state = self->state;
  state.delivery.allowance.asking = true;
  // Enough for the sends that can run at once, no more: grants are budget the other nodes lose.
  const auto want = std::min<std::int64_t>(static_cast<std::int64_t>(state.delivery.queue.size()),
                                           state.settings.max_in_flight);
  self->request(state.settings.pacer, pacer_timeout, limit_atom::value, state.provider_id, want)
      .then(
          [self](std::int64_t granted, std::int64_t wait_ms) {
            auto& allowance = self->state.delivery.allowance;
            allowance.asking = false;
            allowance.granted = granted;
            allowance.granted_at = steady::now();
            allowance.retry_at =
                steady::now() + std::chrono::milliseconds{granted > 0 ? 0 : wait_ms};
            pump(self);
          },
          [self](caf::error&) {
            // The pacer restarts under its supervisor; meanwhile nothing is sent unpaced.
            auto& allowance = self->state.delivery.allowance;
            allowance.asking = false;
            allowance.retry_at = steady::now() + std::chrono::milliseconds{100};
            pump(self);
          });
}

}  // namespace

std::optional<std::chrono::milliseconds> take_send_token(self_pointer self) {
  auto& state = self->state;
  if (!state.settings.pacer) {
    if (auto wait = state.bucket->take(pacing_ms()); wait > 0) {
      return std::chrono::milliseconds{wait};
    }
    return std::nullopt;
  }
  auto& allowance = state.delivery.allowance;
  const auto now = steady::now();
  if (allowance.granted > 0 && now - allowance.granted_at < grant_lifetime) {
    // The node's own bucket still applies: it holds a platform's Retry-After pause.
    if (auto wait = state.bucket->take(pacing_ms()); wait > 0) {
      return std::chrono::milliseconds{wait};
    }
    --allowance.granted;
    return std::nullopt;
  }
  allowance.granted = 0;
  if (allowance.asking) {
    return std::chrono::milliseconds{0};
  }
  if (now < allowance.retry_at) {
    return std::max(std::chrono::milliseconds{1},
                    std::chrono::ceil<std::chrono::milliseconds>(allowance.retry_at - now));
  }
  ask_pacer(self);
  return std::chrono::milliseconds{0};
}

}  // namespace schedulerd::actors::connector_detail
