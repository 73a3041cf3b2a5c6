#pragma once

#include "domain/message_records.hpp"
#include "storage/connection.hpp"

#include <vector>

// How a message row is read, shared by the user's reads (message_queries.cpp) and the admin's.

namespace schedulerd::storage {

/// The columns of a message with its contact, and the tables they come from: `m` is
/// scheduled_messages and `c` its contact.
inline constexpr auto message_columns_from =
    "m.id, m.user_id, m.provider_id, m.contact_id, c.name, c.phone, m.batch_id, m.content,"
    " m.send_at, m.status, m.attempts, m.next_attempt_at, m.last_error, m.provider_message_id,"
    " m.sent_at, m.created_at, m.updated_at"
    " FROM scheduled_messages m JOIN contacts c ON c.id = m.contact_id";

/// A row of `message_columns_from` as a message.
domain::message_record to_message(const std::vector<value>& row);

}  // namespace schedulerd::storage
