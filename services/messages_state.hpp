#pragma once

// The messages service's state and the steps its files share (services/message*.cpp); nothing
// outside the service includes this.

#include "services/messages.hpp"
#include "storage/connection.hpp"

#include <caf/typed_event_based_actor.hpp>

#include <cstdint>
#include <vector>

namespace schedulerd::services::message_use_cases {

/// What the messages service holds.
struct messages_state {
  /// The shared context.
  service_context context;
  /// The service's own settings.
  messages_settings settings;
};

/// The service's self pointer.
using self_pointer = messages_actor::stateful_pointer<messages_state>;

/// Tells the scheduler when messages are due (it keeps those of the near future).
void notify_due(self_pointer self, std::vector<domain::due_entry> entries);

/// Schedules one message.
caf::result<domain::created_message> create(self_pointer self, std::int64_t user_id,
                                            domain::message_draft& draft, const std::string& key);

/// Schedules a batch.
caf::result<domain::created_batch> bulk(self_pointer self, std::int64_t user_id,
                                        domain::bulk_draft& draft, const std::string& key);

/// Checks, in the request's transaction, that connection `provider_id` is the user's and
/// enabled and that every contact is one of its contacts; errors keyed `provider_id` and
/// `contact_key` (suffixed `.<index>` for lists).
field_errors check_recipients(storage::connection& db, std::int64_t user_id,
                              std::int64_t provider_id, const std::vector<std::int64_t>& contacts,
                              const std::string& contact_key, bool indexed);

}  // namespace schedulerd::services::message_use_cases
