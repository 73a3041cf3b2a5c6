#pragma once

#include "domain/admin_records.hpp"
#include "domain/field_errors.hpp"
#include "domain/list_query.hpp"
#include "domain/message_records.hpp"

#include <variant>

namespace schedulerd::domain {

/// What a message list may be sorted by, and its default order (`send_at` ascending).
const list_query_rules& message_list_rules();

/// The message filter a list request asks for: `status` (one or a comma list), `provider_id`,
/// `contact_id`, `batch_id`, `send_at_from`, `send_at_to` (RFC 3339 with an offset) and `q`;
/// errors name each bad or unknown parameter.
std::variant<message_filter, field_errors> to_message_filter(const list_query& query);

/// The filter of the admins' failed-messages list: `user_id`, `provider_id` and `batch_id`;
/// errors name each bad or unknown parameter.
std::variant<failed_filter, field_errors> to_failed_filter(const list_query& query);

}  // namespace schedulerd::domain
