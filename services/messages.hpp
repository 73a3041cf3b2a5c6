#pragma once

#include "actors/activity.hpp"
#include "actors/scheduler.hpp"
#include "actors/type_ids.hpp"
#include "domain/message_records.hpp"
#include "domain/message_rules.hpp"
#include "services/context.hpp"

#include <caf/fwd.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace schedulerd::services {

/// What the messages service needs beyond the shared context.
struct messages_settings {
  /// Told about every create, edit and cancel.
  actors::scheduler_actor scheduler;
  /// What a schedule may ask for.
  domain::schedule_limits limits;
  /// How long an `Idempotency-Key` is remembered.
  std::chrono::milliseconds idempotency_ttl{std::chrono::hours{24}};
};

/// A user's scheduled messages: list, schedule one or a batch (validated all or nothing, in one
/// transaction, replayed when an `Idempotency-Key` (the string; empty for none) comes again with
/// the same body, `conflict` with another), get, edit and cancel while pending (`conflict`
/// otherwise), read the history, read a batch and cancel its pending rest. Writes go through the
/// user's session actor; the scheduler hears of every change. Another user's message or batch
/// is `not_found`.
using messages_actor = caf::typed_actor<
    caf::replies_to<list_atom, std::int64_t,
                    domain::message_filter>::with<domain::page<domain::message_record>>,
    caf::replies_to<create_atom, std::int64_t, domain::message_draft,
                    std::string>::with<domain::created_message>,
    caf::replies_to<bulk_atom, std::int64_t, domain::bulk_draft,
                    std::string>::with<domain::created_batch>,
    caf::replies_to<get_atom, std::int64_t, std::int64_t>::with<domain::message_record>,
    caf::replies_to<update_atom, std::int64_t, std::int64_t,
                    domain::message_patch>::with<domain::message_record>,
    caf::replies_to<cancel_atom, std::int64_t, std::int64_t>::with<domain::message_record>,
    caf::replies_to<logs_atom, std::int64_t,
                    std::int64_t>::with<std::vector<domain::message_event>>,
    caf::replies_to<batch_atom, std::int64_t, std::int64_t>::with<domain::batch_record>,
    caf::replies_to<batch_atom, cancel_atom, std::int64_t,
                    std::int64_t>::with<domain::batch_record>,
    caf::replies_to<get_atom, mailbox_atom>::with<actors::actor_probe>>;

/// Spawns the messages service over `context`.
messages_actor spawn_messages(caf::actor_system& system, service_context context,
                              messages_settings settings);

}  // namespace schedulerd::services
