#pragma once

#include "domain/message_records.hpp"
#include "storage/connection.hpp"

#include <cstddef>
#include <vector>

// How a message row is read, shared by the user's reads (message_queries.cpp) and the admin's.

namespace schedulerd::storage {

/// The columns of a message with its contact: `m` is the message and `c` its contact.
inline constexpr auto message_columns =
    "m.id, m.user_id, m.provider_id, m.contact_id, c.name, c.phone, m.batch_id, m.content,"
    " m.send_at, m.status, m.attempts, m.next_attempt_at, m.last_error, m.provider_message_id,"
    " m.sent_at, m.created_at, m.updated_at";

/// How many columns `message_columns` names.
inline constexpr std::size_t message_column_count = 17;

/// The tables `message_columns` come from when the message is a stored row.
inline constexpr auto message_tables =
    " FROM scheduled_messages m JOIN contacts c ON c.id = m.contact_id";

/// A row of `message_columns` as a message.
domain::message_record to_message(const std::vector<value>& row);

}  // namespace schedulerd::storage
