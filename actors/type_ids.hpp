#pragma once

// The one place where schedulerd's CAF message vocabulary is declared. CAF 0.17 has no type-ID
// blocks, so this holds the atoms (at most 10 characters each) and the opt-ins for local-only
// types.

#include "storage/token_store.hpp"
#include "storage/user_store.hpp"

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>

#include <optional>
#include <vector>

namespace schedulerd {

/// Runs a unit of work on a pooled database connection.
using run_atom = caf::atom_constant<caf::atom("run")>;
/// Asks a component whether it can serve (database ping, Redis ping, ...).
using ping_atom = caf::atom_constant<caf::atom("ping")>;
/// Asks an actor for a snapshot of its state (health, introspection).
using get_atom = caf::atom_constant<caf::atom("get")>;
/// Tells an actor to stop taking new work and finish what it has.
using drain_atom = caf::atom_constant<caf::atom("drain")>;
/// A periodic self-message that drives housekeeping.
using tick_atom = caf::atom_constant<caf::atom("tick")>;

/// Resolves a bearer token to the user it belongs to.
using authenticate_atom = caf::atom_constant<caf::atom("authn")>;
/// Spends one request from a rate-limit budget.
using limit_atom = caf::atom_constant<caf::atom("limit")>;
/// Tells a pool worker to drop its connection and reconnect on next use.
using reset_atom = caf::atom_constant<caf::atom("reset")>;

/// Tells the pool dispatcher that a worker finished its unit of work.
using ready_atom = caf::atom_constant<caf::atom("ready")>;

}  // namespace schedulerd

// Records that travel from pool workers to handlers inside the process only (never serialised).
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(schedulerd::storage::user_record)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::optional<schedulerd::storage::user_record>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(schedulerd::storage::token_record)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<schedulerd::storage::token_record>)
