#pragma once

#include "actors/activity.hpp"
#include "actors/type_ids.hpp"

#include <caf/actor.hpp>
#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/fwd.hpp>
#include <caf/meta/type_name.hpp>

#include <cstdint>
#include <string>

namespace schedulerd::actors {

/// One long-lived actor as the admin console shows it.
struct actor_info {
  std::string name;
  /// What it is: "supervisor", "pool", "worker", "service", "handler", ...
  std::string kind;
  /// How often it was started again after a crash.
  std::int64_t restarts = 0;
  /// Messages waiting in its mailbox, as it reported itself; -1 when it does not report (see
  /// directory.cpp) or did not answer the probe in time.
  std::int64_t mailbox = -1;
  bool alive = false;
  /// Messages it handled, as it reported itself; -1 when it does not report.
  std::int64_t processed = -1;
  /// When it last handled one, in ms since the epoch; 0 when unknown or never.
  std::int64_t last_activity = 0;
};

/// Tells the directory about a long-lived actor (its current incarnation under its name).
struct actor_registration {
  std::string name;
  std::string kind;
  std::int64_t restarts = 0;
  caf::actor handle;
  /// Whether the actor answers `(get_atom, mailbox_atom) -> actor_probe` (see `introspected`).
  bool reports_mailbox = false;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, actor_info& x) {
  return f(caf::meta::type_name("actor_info"), x.name, x.kind, x.restarts, x.mailbox, x.alive,
           x.processed, x.last_activity);
}

}  // namespace schedulerd::actors

// A registration carries a live handle: it never leaves the process.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(schedulerd::actors::actor_registration)

namespace schedulerd::actors {

/// Accepts `(start_atom, actor_registration)` (a name registered again names the new incarnation),
/// `(list_atom) -> std::vector<actor_info>` and `(get_atom, std::string name) -> caf::actor`
/// (the current incarnation, an invalid handle when unknown or dead). It holds weak references
/// only, so it never keeps an actor alive.
caf::actor spawn_directory(caf::actor_system& system);

/// Registers `handle` under `name` from any thread or actor; does nothing without a directory.
void register_actor(const caf::actor& directory, actor_registration entry);

}  // namespace schedulerd::actors
