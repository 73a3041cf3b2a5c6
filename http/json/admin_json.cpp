#include "http/json/admin_json.hpp"

#include "domain/rfc3339.hpp"
#include "http/json/json_values.hpp"
#include "http/json/messages_json.hpp"

#include <string>

namespace schedulerd::http {

void write_admin_message(json_writer& out, const domain::message_record& message) {
  out.begin_object();
  write_message_fields(out, message);
  out.key("user_id").id(message.user_id);
  out.end_object();
}

nlohmann::json admin_connection_json(const domain::admin_connection& connection) {
  return {{"id", std::to_string(connection.id)},
          {"user_id", std::to_string(connection.user_id)},
          {"user_email", connection.user_email},
          {"type", connection.type},
          {"name", connection.name},
          {"status", connection.status},
          {"dispatch_paused", connection.dispatch_paused_at.has_value()},
          {"dispatch_paused_at", optional_time(connection.dispatch_paused_at)},
          {"counts", {{"pending", connection.pending}, {"failed", connection.failed}}}};
}

nlohmann::json audit_entry_json(const domain::audit_entry& entry) {
  return {{"id", std::to_string(entry.id)},
          {"at", domain::format_rfc3339(entry.at)},
          {"admin_id", optional_id(entry.admin_id)},
          {"admin_email", entry.admin_email},
          {"action", entry.action},
          {"target", entry.target},
          {"affected", entry.affected},
          {"detail", entry.detail}};
}

}  // namespace schedulerd::http
