#pragma once

#include "actors/activity.hpp"
#include "actors/connector_registry.hpp"
#include "actors/type_ids.hpp"
#include "domain/credential_cipher.hpp"
#include "domain/list_query.hpp"
#include "domain/provider_records.hpp"
#include "domain/provider_types.hpp"
#include "providers/registry.hpp"
#include "services/context.hpp"

#include <caf/fwd.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace schedulerd::services {

/// What the providers service needs beyond the shared context.
struct providers_settings {
  /// The registered provider types.
  std::shared_ptr<const providers::registry> types;
  /// Seals and opens credentials.
  std::shared_ptr<const domain::credential_cipher> cipher;
  /// Where the connections' connector actors are found or started.
  actors::connector_registry_actor connectors;
  /// Base of the OAuth callback URLs.
  std::string public_base_url;
  /// A running import whose progress is older than this counts as dead (its node stopped).
  std::chrono::milliseconds sync_stale_after{std::chrono::minutes{2}};
};

/// A user's provider connections: list, create (validated, credentials sealed, tested at once),
/// get, update (new credentials are tested again), delete (`conflict` while messages are pending
/// unless forced, which cancels them), test, start a contact import (`conflict` while one runs),
/// list or search contacts (locally, or on the platform, storing what it finds), and connect
/// through the platform's OAuth. Another user's connection is `not_found`. Every outbound call
/// goes through the connection's connector actor.
using providers_actor = caf::typed_actor<
    caf::replies_to<types_atom>::with<std::vector<domain::provider_type_info>>,
    caf::replies_to<list_atom, std::int64_t,
                    domain::list_query>::with<domain::page<domain::provider_record>>,
    caf::replies_to<create_atom, std::int64_t,
                    domain::provider_draft>::with<domain::provider_record>,
    caf::replies_to<get_atom, std::int64_t, std::int64_t>::with<domain::provider_record>,
    caf::replies_to<update_atom, std::int64_t, std::int64_t,
                    domain::provider_patch>::with<domain::provider_record>,
    caf::replies_to<delete_atom, std::int64_t, std::int64_t, bool>::with<bool>,
    caf::replies_to<test_atom, std::int64_t, std::int64_t>::with<domain::connection_test>,
    caf::replies_to<sync_atom, std::int64_t, std::int64_t>::with<domain::sync_state>,
    caf::replies_to<contacts_atom, std::int64_t, std::int64_t,
                    domain::contact_query>::with<domain::page<domain::contact_record>>,
    caf::replies_to<authorize_atom, std::int64_t, std::int64_t>::with<std::string>,
    caf::replies_to<connect_atom, std::int64_t,
                    domain::oauth_callback>::with<domain::provider_record>,
    caf::replies_to<get_atom, mailbox_atom>::with<actors::actor_probe>>;

/// Spawns the providers service over `context`.
providers_actor spawn_providers(caf::actor_system& system, service_context context,
                                providers_settings settings);

}  // namespace schedulerd::services
