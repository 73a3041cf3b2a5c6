#pragma once

#include "domain/admin_records.hpp"
#include "domain/message_records.hpp"

#include <nlohmann/json.hpp>

namespace schedulerd::http {

/// A failed message as the admin API lists it: the message, plus its owner's id.
nlohmann::json admin_message_json(const domain::message_record& message);

/// A connection as the admin API shows it (owner, dispatch paused or not, its queue).
nlohmann::json admin_connection_json(const domain::admin_connection& connection);

/// One entry of the admin audit trail.
nlohmann::json audit_entry_json(const domain::audit_entry& entry);

}  // namespace schedulerd::http
