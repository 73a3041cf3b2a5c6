#pragma once

#include "actors/activity.hpp"
#include "actors/db_pool.hpp"
#include "actors/joint_work.hpp"
#include "actors/type_ids.hpp"

#include <caf/actor.hpp>
#include <caf/fwd.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include <chrono>
#include <cstdint>

namespace schedulerd::actors {

/// Finds or spawns the session actor of a user. A session actor accepts `(run_atom, db_work)` and
/// `(run_atom, db_work, joint_work_ptr)` and runs one unit of work at a time, so each user's
/// writes are serialised (the units that arrive while one runs go to the pool together, run back
/// to back, and joint units of one kind side by side run as one); it stops after an idle
/// timeout, and a crash in one user's session affects no other user.
using session_registry_actor =
    caf::typed_actor<caf::replies_to<get_atom, std::int64_t>::with<caf::actor>,
                     caf::replies_to<get_atom>::with<std::int64_t>,
                     caf::replies_to<get_atom, mailbox_atom>::with<actor_probe>>;

/// Spawns the registry; sessions run their work on `db_pool` and stop after `idle_timeout`.
session_registry_actor spawn_session_registry(caf::actor_system& system, caf::actor db_pool,
                                              std::chrono::milliseconds idle_timeout);

/// Runs `fn(storage::connection&) -> caf::expected<T>` in the session of `user_id`, then calls
/// `on_value(T&)` or `on_error(caf::error&)` in `self`. With `joint`, the same write in a form that
/// the session may run together with the joint writes of its kind queued beside it (see
/// joint_work).
template <class Self, class F, class OnValue, class OnError>
void in_session(Self* self, const session_registry_actor& registry, std::int64_t user_id, F fn,
                joint_work_ptr joint, OnValue on_value, OnError on_error) {
  self->request(registry, db_timeout, get_atom::value, user_id)
      .then(
          [self, fn = std::move(fn), joint = std::move(joint), on_value,
           on_error](caf::actor& session) mutable {
            // cppcheck-suppress accessMoved ; the lambda's own capture, moved once
            auto work = make_db_work(std::move(fn));
            // cppcheck-suppress accessMoved ; the lambda's own capture, moved once
            self->request(session, db_timeout, run_atom::value, std::move(work), std::move(joint))
                .then(on_value, on_error);
          },
          on_error);
}

/// in_session for a write without a joint form.
template <class Self, class F, class OnValue, class OnError>
void in_session(Self* self, const session_registry_actor& registry, std::int64_t user_id, F fn,
                OnValue on_value, OnError on_error) {
  in_session(self, registry, user_id, std::move(fn), nullptr, std::move(on_value),
             std::move(on_error));
}

}  // namespace schedulerd::actors
