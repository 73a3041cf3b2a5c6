// The connector's leave to send: its own token bucket on a single node, or grants of the pacer
// that shares each connection's rate across nodes through Redis.

#include "actors/connector_state.hpp"

#include <caf/all.hpp>

#include <algorithm>

namespace schedulerd::actors::connector_detail {

namespace {

// How long to wait for the pacer before asking again (it answers in well under a millisecond).
constexpr std::chrono::seconds pacer_timeout{2};
// How long to wait after the pacer could not answer (it restarts under its supervisor).
constexpr std::int64_t pacer_failed_wait_ms = 100;

// Asks the pacer for leave to send: the current grant, or the next one while the current one
// still has sends left.
void ask_pacer(self_pointer self) {
  auto& state = self->state;
  state.delivery.grants.asked();
  // Enough for the sends that can run at once, no more: grants are budget the other nodes lose.
  const auto want = std::min<std::int64_t>(static_cast<std::int64_t>(state.delivery.queue.size()),
                                           state.settings.max_in_flight);
  self->request(state.settings.pacer, pacer_timeout, limit_atom::value, state.provider_id, want)
      .then(
          [self](std::int64_t granted, std::int64_t wait_ms) {
            self->state.delivery.grants.answered(granted, wait_ms, pacing_ms());
            pump(self);
          },
          [self](caf::error&) {
            // Meanwhile nothing is sent unpaced.
            self->state.delivery.grants.unanswered(pacer_failed_wait_ms, pacing_ms());
            pump(self);
          });
}

}  // namespace

std::optional<std::chrono::milliseconds> take_send_token(self_pointer self) {
  auto& state = self->state;
  const auto now = pacing_ms();
  if (!state.settings.pacer) {
    if (auto wait = state.bucket->take(now); wait > 0) {
      return std::chrono::milliseconds{wait};
    }
    return std::nullopt;
  }
  auto& grants = state.delivery.grants;
  if (grants.ready(now)) {
    // The node's own bucket still applies: it holds a platform's Retry-After pause.
    if (auto wait = state.bucket->take(now); wait > 0) {
      return std::chrono::milliseconds{wait};
    }
    grants.spend();
    // The claim this send takes is still at the queue's front.
    const auto queued = static_cast<std::int64_t>(state.delivery.queue.size()) - 1;
    if (grants.wants_next(now, queued, std::max(1, state.settings.max_in_flight / 2))) {
      ask_pacer(self);
    }
    return std::nullopt;
  }
  if (grants.asking()) {
    return std::chrono::milliseconds{0};
  }
  if (auto wait = grants.wait_ms(now); wait > 0) {
    return std::chrono::milliseconds{wait};
  }
  ask_pacer(self);
  return std::chrono::milliseconds{0};
}

}  // namespace schedulerd::actors::connector_detail
