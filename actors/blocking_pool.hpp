#pragma once

#include "actors/type_ids.hpp"

#include <caf/actor.hpp>
#include <caf/expected.hpp>
#include <caf/fwd.hpp>
#include <caf/make_message.hpp>
#include <caf/result.hpp>

#include <chrono>
#include <functional>

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
/// cooperative threads. Accepts `(run_atom, blocking_work)`.
caf::actor spawn_blocking_pool(caf::actor_system& system, int size);

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
