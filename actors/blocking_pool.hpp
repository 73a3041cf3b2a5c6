#pragma once

#include "actors/pool_options.hpp"
#include "actors/type_ids.hpp"
#include "log/logger.hpp"

#include <caf/actor.hpp>
#include <caf/expected.hpp>
#include <caf/fwd.hpp>
#include <caf/make_message.hpp>
#include <caf/result.hpp>

#include <chrono>
#include <functional>
#include <memory>

namespace schedulerd::actors {

/// A blocking computation (password hashing, an outbound HTTP call) whose message is the reply.
struct blocking_work {
  std::function<caf::result<caf::message>()> run;
};

}  // namespace schedulerd::actors

// Work items carry closures: they never leave the process, so they need no serialisation.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(schedulerd::actors::blocking_work)

namespace schedulerd::actors {

/// Spawns `size` detached workers behind a dispatcher, for work that must never run on CAF's
/// cooperative threads; a work item that throws answers `internal` and is logged to `logger`.
/// Accepts `(run_atom, blocking_work)` and `(get_atom, mailbox_atom)`; replaces a worker that dies
/// (see idle_dispatcher.hpp).
caf::actor spawn_blocking_pool(caf::actor_system& system, int size,
                               std::shared_ptr<log::logger> logger, pool_options options = {});

/// Runs `fn() -> caf::expected<T>` on the pool from `self`; chain `.then(on_value, on_error)`.
template <class Self, class F>
auto run_blocking(Self* self, const caf::actor& pool, F fn, std::chrono::milliseconds timeout) {
  blocking_work work{[fn = std::move(fn)]() -> caf::result<caf::message> {
    auto outcome = fn();
    if (!outcome) {
      return std::move(outcome.error());
    }
    return caf::make_message(std::move(*outcome));
  }};
  return self->request(pool, timeout, run_atom::value, std::move(work));
}

}  // namespace schedulerd::actors
