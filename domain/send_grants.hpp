#pragma once

#include <cstdint>

namespace schedulerd::domain {

/// The sends a shared pacer granted one connection on this node. A grant is spent within
/// `lifetime_ms` of being given or dropped, so a connection that paused cannot spend an old
/// second's budget on top of the current one; the next grant is asked for while the current one
/// runs low, so a burst never waits for the pacer's answer. Times are a steady clock's
/// milliseconds, passed in by the caller.
class send_grants {
 public:
  /// Grants that live `lifetime_ms` (> 0).
  explicit send_grants(std::int64_t lifetime_ms);

  /// Whether a send may start at `now_ms`: the current grant has sends left (the next grant
  /// becomes the current one once the current one is spent or too old).
  bool ready(std::int64_t now_ms);

  /// Spends one send of the current grant; call only after `ready` said yes.
  void spend();

  /// Whether to ask for the next grant at `now_ms`: the current one is down to `low_water`
  /// sends, `queued` sends wait beyond it, no answer is awaited or stored, and the pacer has
  /// not just said to wait.
  [[nodiscard]] bool wants_next(std::int64_t now_ms, std::int64_t queued,
                                std::int64_t low_water) const;

  /// Notes that a request to the pacer is on its way.
  void asked();

  /// Whether a request to the pacer is on its way.
  [[nodiscard]] bool asking() const;

  /// Takes the pacer's answer at `now_ms`: `granted` sends, the current grant or, while the
  /// current one has sends left, the next; with none, the pacer is asked again only after
  /// `wait_ms`.
  void answered(std::int64_t granted, std::int64_t wait_ms, std::int64_t now_ms);

  /// The pacer gave no answer: it is asked again only after `wait_ms`.
  void unanswered(std::int64_t wait_ms, std::int64_t now_ms);

  /// Milliseconds until the pacer may be asked again (0: now).
  [[nodiscard]] std::int64_t wait_ms(std::int64_t now_ms) const;

 private:
  [[nodiscard]] bool fresh(std::int64_t granted_at_ms, std::int64_t now_ms) const;

  std::int64_t lifetime_ms_;
  std::int64_t granted_ = 0;
  std::int64_t granted_at_ms_ = 0;
  std::int64_t next_granted_ = 0;
  std::int64_t next_granted_at_ms_ = 0;
  bool asking_ = false;
  std::int64_t retry_at_ms_ = 0;
};

}  // namespace schedulerd::domain
