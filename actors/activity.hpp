#pragma once

#include "actors/type_ids.hpp"

#include <caf/allowed_unsafe_message_type.hpp>

#include <cstdint>
#include <ctime>
#include <memory>
#include <utility>

namespace schedulerd::actors {

/// What a long-lived actor tells the directory about itself when probed.
struct actor_probe {
  /// Messages waiting in its mailbox.
  std::int64_t mailbox = 0;
  /// Messages it handled since it started (the probes themselves not counted).
  std::int64_t processed = 0;
  /// When it last handled one, in ms since the epoch (0: never).
  std::int64_t last_activity = 0;
};

}  // namespace schedulerd::actors

// A probe's answer never leaves the process.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(schedulerd::actors::actor_probe)

namespace schedulerd::actors {

/// Counts the messages one actor handles and when it handled the last. Only that actor touches
/// it (its handlers count, its probe reads), so the hot path is an increment and a coarse clock
/// read: no lock, no atomic.
class activity_meter {
 public:
  /// Counts one handled message.
  void record() noexcept {
    ++processed_;
    timespec now{};
    // The coarse clock is a memory read (no system call); its few ms of resolution are plenty
    // for "last active".
    clock_gettime(CLOCK_REALTIME_COARSE, &now);
    last_activity_ = static_cast<std::int64_t>(now.tv_sec) * 1000 + now.tv_nsec / 1'000'000;
  }

  /// Messages counted so far.
  [[nodiscard]] std::int64_t processed() const noexcept { return processed_; }

  /// When the last one was counted (ms since the epoch; 0: never).
  [[nodiscard]] std::int64_t last_activity() const noexcept { return last_activity_; }

 private:
  std::int64_t processed_ = 0;
  std::int64_t last_activity_ = 0;
};

namespace detail {

// `f` wrapped with the same parameters and result (so CAF still sees its signature), counting
// each call with `meter` first; one overload for const call operators, one for mutable lambdas.
template <class F, class C, class R, class... Ts>
auto metered_as(std::shared_ptr<activity_meter> meter, F f, R (C::* /*call*/)(Ts...) const) {
  return [meter = std::move(meter), f = std::move(f)](Ts... xs) -> R {
    meter->record();
    return f(std::forward<Ts>(xs)...);
  };
}

template <class F, class C, class R, class... Ts>
auto metered_as(std::shared_ptr<activity_meter> meter, F f, R (C::* /*call*/)(Ts...)) {
  return [meter = std::move(meter), f = std::move(f)](Ts... xs) mutable -> R {
    meter->record();
    return f(std::forward<Ts>(xs)...);
  };
}

/// A handler `introspected` leaves uncounted.
template <class F>
struct unmetered_handler {
  F handler;
};

// A handler to count, or one marked `unmetered` (the more specialised overload wins).
template <class F>
auto meter_handler(std::shared_ptr<activity_meter> meter, F handler) {
  return metered_as(std::move(meter), std::move(handler), &F::operator());
}

template <class F>
F meter_handler(const std::shared_ptr<activity_meter>& /*meter*/, unmetered_handler<F> marked) {
  return std::move(marked.handler);
}

}  // namespace detail

/// Marks a handler `introspected` must not count: questions about the actor itself (reports for
/// the console), which would otherwise make an idle actor look busy while someone watches it.
template <class F>
detail::unmetered_handler<F> unmetered(F handler) {
  return {std::move(handler)};
}

/// The messages already in `self`'s queues, not those still arriving: CAF 0.17's
/// `mailbox().size()` would move those over first, through a sentinel downcast UBSan rejects.
template <class Self>
std::int64_t queued_messages(Self& self) {
  return static_cast<std::int64_t>(self.mailbox().queue().total_task_size());
}

/// The behaviour of a long-lived actor: each of `handlers` counted by one meter, plus the
/// `(get_atom, mailbox_atom) -> actor_probe` handler the directory asks (CAF 0.17 counts
/// nothing itself, and only the owner may look at its mailbox).
template <class Behavior, class Self, class... Handlers>
Behavior introspected(Self* self, Handlers... handlers) {
  auto meter = std::make_shared<activity_meter>();
  auto probe = [self, meter](get_atom, mailbox_atom) {
    return actor_probe{queued_messages(*self), meter->processed(), meter->last_activity()};
  };
  return Behavior{detail::meter_handler(meter, std::move(handlers))..., std::move(probe)};
}

}  // namespace schedulerd::actors
