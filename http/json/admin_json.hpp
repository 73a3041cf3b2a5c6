#pragma once

#include "domain/admin_records.hpp"
#include "domain/message_records.hpp"
#include "http/json/json_writer.hpp"

#include <nlohmann/json.hpp>

namespace schedulerd::http {

/// Writes a failed message as the admin API lists it: the message, plus its owner's id.
void write_admin_message(json_writer& out, const domain::message_record& message);

/// A connection as the admin API shows it (owner, dispatch paused or not, its queue).
nlohmann::json admin_connection_json(const domain::admin_connection& connection);

/// One entry of the admin audit trail.
nlohmann::json audit_entry_json(const domain::audit_entry& entry);

}  // namespace schedulerd::http
