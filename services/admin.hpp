#pragma once

#include "actors/activity.hpp"
#include "actors/connector_registry.hpp"
#include "actors/metrics_collector.hpp"
#include "actors/scheduler.hpp"
#include "actors/type_ids.hpp"
#include "domain/admin_records.hpp"
#include "domain/list_query.hpp"
#include "domain/message_records.hpp"
#include "services/context.hpp"

#include <caf/fwd.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace schedulerd::services {

/// What the admin service needs beyond the shared context.
struct admin_settings {
  /// Lower-cased emails of the admins (ADMIN_EMAILS).
  std::vector<std::string> admin_emails;
  /// Told about retried and cancelled messages.
  actors::scheduler_actor scheduler;
  /// Told when a connection's dispatch is paused or resumed, so its connector reads it again.
  actors::connector_registry_actor connectors;
  /// Takes the engine's snapshot.
  actors::metrics_actor introspection;
};

/// The operators' use cases across users. Every request names the calling user first; one who is
/// not an admin gets `forbidden` and changes nothing. Each action writes an audit entry in the
/// same transaction. It lists failed messages (`list_atom`), retries one message or every failed
/// message of a connection or batch (`retry_atom`, answers how many), pauses or resumes a
/// connection's dispatch (`pause_atom`, true to pause), lists connections (`connections_atom`),
/// cancels the pending rest of any batch (`batch_atom, cancel_atom`), reads the audit trail
/// (`audit_atom`) and takes the engine's snapshot (`get_atom, report_atom`). Unknown targets are
/// `not_found`; retrying a message that has not failed is a `conflict`.
using admin_actor = caf::typed_actor<
    caf::replies_to<list_atom, std::int64_t,
                    domain::failed_filter>::with<domain::page<domain::message_record>>,
    caf::replies_to<retry_atom, std::int64_t, domain::retry_scope>::with<std::int64_t>,
    caf::replies_to<pause_atom, std::int64_t, std::int64_t, bool>::with<domain::admin_connection>,
    caf::replies_to<connections_atom, std::int64_t,
                    domain::list_query>::with<domain::page<domain::admin_connection>>,
    caf::replies_to<batch_atom, cancel_atom, std::int64_t,
                    std::int64_t>::with<domain::batch_record>,
    caf::replies_to<audit_atom, std::int64_t,
                    domain::list_query>::with<domain::page<domain::audit_entry>>,
    caf::replies_to<get_atom, report_atom, std::int64_t>::with<actors::engine_snapshot>,
    caf::replies_to<get_atom, mailbox_atom>::with<actors::actor_probe>>;

/// Spawns the admin service over `context`.
admin_actor spawn_admin(caf::actor_system& system, service_context context,
                        admin_settings settings);

}  // namespace schedulerd::services
