#pragma once

// The one place where schedulerd's CAF message vocabulary is declared. CAF 0.17 has no type-ID
// blocks, so this holds the atoms (at most 10 characters each) and the opt-ins for local-only
// types.

#include "domain/account_records.hpp"
#include "domain/admin_records.hpp"
#include "domain/list_query.hpp"
#include "domain/message_records.hpp"
#include "domain/provider_records.hpp"
#include "domain/provider_types.hpp"
#include "providers/oauth/oauth_client.hpp"
#include "storage/oauth_store.hpp"

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
/// Gives one request back to a rate-limit budget (a spend that turned out not to count).
using refund_atom = caf::atom_constant<caf::atom("refund")>;
/// Tells a pool worker to drop its connection and reconnect on next use.
using reset_atom = caf::atom_constant<caf::atom("reset")>;

/// Tells a stand-in pool (in tests) that held work may run now.
using ready_atom = caf::atom_constant<caf::atom("ready")>;

/// Starts a child under a supervisor, or registers an actor in the directory.
using start_atom = caf::atom_constant<caf::atom("start")>;
/// Lists things: the long-lived actors the directory knows, a user's tokens.
using list_atom = caf::atom_constant<caf::atom("list")>;
/// Asks an actor for the size of its own mailbox (sent at high priority).
using mailbox_atom = caf::atom_constant<caf::atom("mailbox")>;
/// A supervisor's timer: start a crashed child again (carries the child's generation).
using restart_atom = caf::atom_constant<caf::atom("restart")>;
/// Points a child's stable handle at the child's current incarnation.
using target_atom = caf::atom_constant<caf::atom("target")>;
/// A deadline passed (a child did not stop in time, a flush did not finish).
using timeout_atom = caf::atom_constant<caf::atom("timeout")>;

/// Registers a new user with a password.
using register_atom = caf::atom_constant<caf::atom("register")>;
/// Signs a user in with a password.
using login_atom = caf::atom_constant<caf::atom("login")>;
/// Ends the session of the token a request came with.
using logout_atom = caf::atom_constant<caf::atom("logout")>;
/// Creates something a user owns (a personal API token).
using create_atom = caf::atom_constant<caf::atom("create")>;
/// Revokes something a user owns (a personal API token).
using revoke_atom = caf::atom_constant<caf::atom("revoke")>;
/// Starts an OAuth authorization: answers the URL to send the browser to.
using authorize_atom = caf::atom_constant<caf::atom("authorize")>;
/// Finishes an OAuth sign-in from the provider's callback.
using sign_in_atom = caf::atom_constant<caf::atom("sign_in")>;

/// Changes something a user owns (a provider connection).
using update_atom = caf::atom_constant<caf::atom("update")>;
/// Deletes something a user owns (a provider connection).
using delete_atom = caf::atom_constant<caf::atom("delete")>;
/// Tests a provider connection against its platform.
using test_atom = caf::atom_constant<caf::atom("test")>;
/// Starts (or drives, page by page) a connection's contact import.
using sync_atom = caf::atom_constant<caf::atom("sync")>;
/// Lists or searches a connection's contacts.
using contacts_atom = caf::atom_constant<caf::atom("contacts")>;
/// Lists the registered provider types.
using types_atom = caf::atom_constant<caf::atom("types")>;
/// Tells a connector its connection changed in storage (read it again), or that it is gone.
using reload_atom = caf::atom_constant<caf::atom("reload")>;
/// Stops a connector whose connection was deleted.
using forget_atom = caf::atom_constant<caf::atom("forget")>;
/// Finishes connecting a provider through its platform's OAuth callback.
using connect_atom = caf::atom_constant<caf::atom("connect")>;

/// Schedules messages in one request (a batch).
using bulk_atom = caf::atom_constant<caf::atom("bulk")>;
/// Cancels something a user owns that has not happened yet (a message, a batch's rest).
using cancel_atom = caf::atom_constant<caf::atom("cancel")>;
/// Reads a message's history.
using logs_atom = caf::atom_constant<caf::atom("logs")>;
/// Names a batch (with get_atom or cancel_atom).
using batch_atom = caf::atom_constant<caf::atom("batch")>;
/// An admin puts failed messages back to pending.
using retry_atom = caf::atom_constant<caf::atom("retry")>;
/// An admin pauses or resumes a connection's dispatch.
using pause_atom = caf::atom_constant<caf::atom("pause")>;
/// Names the admin audit trail.
using audit_atom = caf::atom_constant<caf::atom("audit")>;
/// Names every user's connections, as the admin API lists them.
using connections_atom = caf::atom_constant<caf::atom("conns")>;
/// Tells the scheduler about due times (created, edited or retried messages).
using schedule_atom = caf::atom_constant<caf::atom("schedule")>;
/// Tells the scheduler that messages will not be due after all (cancelled).
using unschedule_atom = caf::atom_constant<caf::atom("unschedule")>;
/// Hands claimed messages to a connection's connector.
using deliver_atom = caf::atom_constant<caf::atom("deliver")>;
/// A connector tells the scheduler that claims it held are settled (their outcomes stored).
using settled_atom = caf::atom_constant<caf::atom("settled")>;
/// The scheduler's timer: load the next due window from storage.
using refill_atom = caf::atom_constant<caf::atom("refill")>;
/// The scheduler's timer: extend the leases of the claims this node holds.
using renew_atom = caf::atom_constant<caf::atom("renew")>;
/// The scheduler's timer: give expired leases (of nodes that died) back.
using recover_atom = caf::atom_constant<caf::atom("recover")>;
/// A connector's timer: start the sends that waited for the rate limit.
using pump_atom = caf::atom_constant<caf::atom("pump")>;
/// The housekeeper's timer: fold the message counts' pending changes in.
using fold_atom = caf::atom_constant<caf::atom("fold")>;
/// The housekeeper's timer: fold again the contacts' search text that older rules wrote.
using refold_atom = caf::atom_constant<caf::atom("refold")>;
/// Asks for a component's state as the admin console shows it (a connector's delivery, the
/// engine's whole snapshot).
using report_atom = caf::atom_constant<caf::atom("report")>;

}  // namespace schedulerd

// Records and requests that travel between actors inside the process only (never serialised).
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(schedulerd::domain::user_record)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::optional<schedulerd::domain::user_record>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(schedulerd::domain::token_record)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(schedulerd::domain::page<schedulerd::domain::token_record>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(schedulerd::domain::list_query)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(schedulerd::domain::session_grant)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(schedulerd::domain::issued_token)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(schedulerd::domain::registration)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(schedulerd::domain::credentials)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(schedulerd::domain::token_request)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(schedulerd::domain::oauth_callback)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::optional<schedulerd::storage::oauth_state_record>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(schedulerd::providers::oauth_identity)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(schedulerd::domain::provider_record)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(schedulerd::domain::page<schedulerd::domain::provider_record>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(schedulerd::domain::provider_draft)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(schedulerd::domain::provider_patch)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(schedulerd::domain::connection_test)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(schedulerd::domain::contact_query)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(schedulerd::domain::contact_record)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(schedulerd::domain::page<schedulerd::domain::contact_record>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<schedulerd::domain::contact_record>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(schedulerd::domain::sync_state)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<schedulerd::domain::provider_type_info>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(schedulerd::domain::message_record)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(schedulerd::domain::page<schedulerd::domain::message_record>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(schedulerd::domain::message_draft)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(schedulerd::domain::bulk_draft)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(schedulerd::domain::message_patch)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(schedulerd::domain::message_filter)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(schedulerd::domain::failed_filter)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(schedulerd::domain::retry_scope)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(schedulerd::domain::admin_connection)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(schedulerd::domain::page<schedulerd::domain::admin_connection>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(schedulerd::domain::page<schedulerd::domain::audit_entry>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(schedulerd::domain::batch_record)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(schedulerd::domain::created_message)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(schedulerd::domain::created_batch)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<schedulerd::domain::message_event>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<schedulerd::domain::due_entry>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<schedulerd::domain::claimed_message>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<schedulerd::domain::attempt_result>)
