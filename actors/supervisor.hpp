#pragma once

// An OTP-style supervisor for CAF 0.17, which has none: one-for-one restarts with restart
// intensity (at most N restarts in T; one more stops the supervisor with an error, which its owner
// sees as a down message and logs), jittered exponential backoff between restarts, and a stable
// handle per child.
//
// Stable handles: clients never hold a child itself but the child's *front*, a small actor that
// delegates every message to the child's current incarnation, so replies go straight to the
// original requester. While the child is being restarted the front queues what arrives (at most
// `front_queue_limit` messages, more answer `errc::unavailable` at once) and hands the queue to
// the new incarnation: a restart costs clients a delay, not an error. A request that was already
// inside the dying child's mailbox fails with CAF's `request_receiver_down`, which the HTTP layer
// answers as a retryable 503. Once a child stopped for good, its front answers `unavailable`.
//
// A normal exit (`normal`, `user_shutdown`) is not a crash and is not restarted. Stopping the
// supervisor (any exit message except `kill`) stops its children one at a time in reverse start
// order, each with `user_shutdown` and `stop_timeout` to finish (then `kill`), and only then
// stops itself: a child may flush what it holds to an earlier child before that one goes away.

#include "actors/restart_policy.hpp"
#include "actors/type_ids.hpp"
#include "log/logger.hpp"

#include <caf/actor.hpp>
#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/expected.hpp>
#include <caf/fwd.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace schedulerd::actors {

/// What a supervisor needs to start one child, and to start it again after a crash.
struct child_spec {
  /// Unique within the supervisor; the directory lists the child as `<supervisor>.<name>`.
  std::string name;
  /// What the child is ("pool", "service", "handler", ...), for the directory.
  std::string kind;
  /// Spawns a fresh incarnation; an invalid handle or an exception counts as a crash.
  std::function<caf::actor(caf::actor_system&)> start;
  /// Whether the child answers `(get_atom, mailbox_atom)` (see directory.hpp).
  bool reports_mailbox = false;
};

}  // namespace schedulerd::actors

// A child spec carries a closure: it never leaves the process.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(schedulerd::actors::child_spec)

namespace schedulerd::actors {

/// How a supervisor behaves; every field has a production default.
struct supervisor_settings {
  std::string name = "supervisor";
  restart_intensity intensity;
  backoff_policy backoff;
  /// Jitter of the backoff, in [0, 1).
  jitter_fn jitter = random_jitter();
  /// The clock of the intensity window.
  steady_clock_fn clock = [] { return std::chrono::steady_clock::now(); };
  /// How long a child may take to stop before it is killed.
  std::chrono::milliseconds stop_timeout{5000};
  /// How many messages a front holds while its child restarts.
  std::size_t front_queue_limit = 1024;
  /// Where children are registered (optional).
  caf::actor directory;
  std::shared_ptr<log::logger> logger;
};

/// Spawns a supervisor without children. It accepts `(start_atom, child_spec) -> caf::actor`
/// (starts the child and answers its stable handle), `(get_atom, std::string) -> caf::actor` (the
/// stable handle of a child) and `(get_atom, mailbox_atom)`.
caf::actor spawn_supervisor(caf::actor_system& system, supervisor_settings settings);

/// Starts `spec` under `supervisor` and waits (up to `timeout`) for its stable handle; for start-up
/// code on a plain thread, never for a request path.
caf::expected<caf::actor> start_child(caf::actor_system& system, const caf::actor& supervisor,
                                      child_spec spec,
                                      std::chrono::milliseconds timeout = std::chrono::seconds(10));

/// Stops `target` as a supervisor would (user_shutdown) and waits up to `timeout` for it to be
/// gone; returns whether it was.
bool stop_and_wait(caf::actor_system& system, const caf::actor& target,
                   std::chrono::milliseconds timeout);

}  // namespace schedulerd::actors
