#include "http/json/messages_json.hpp"

#include "domain/rfc3339.hpp"
#include "http/json/json_values.hpp"

#include <string>

namespace schedulerd::http {

void write_message_fields(json_writer& out, const domain::message_record& message) {
  out.key("id").id(message.id);
  out.key("provider_id").id(message.provider_id);
  out.key("contact").begin_object();
  out.key("id").id(message.contact.id);
  out.key("name").string(message.contact.name);
  out.key("phone").optional_string(message.contact.phone);
  out.end_object();
  out.key("batch_id").optional_id(message.batch_id);
  out.key("content").string(message.content);
  out.key("send_at").time(message.send_at);
  out.key("status").string(message.status);
  out.key("attempts").number(message.attempts);
  out.key("last_error").text_or_null(message.last_error);
  out.key("provider_message_id").text_or_null(message.provider_message_id);
  out.key("sent_at").optional_time(message.sent_at);
  out.key("created_at").time(message.created_at);
  out.key("updated_at").time(message.updated_at);
}

void write_message(json_writer& out, const domain::message_record& message) {
  out.begin_object();
  write_message_fields(out, message);
  out.end_object();
}

nlohmann::json batch_json(const domain::batch_record& batch) {
  const auto& counts = batch.counts;
  return {{"id", std::to_string(batch.id)},
          {"provider_id", std::to_string(batch.provider_id)},
          {"total", batch.total},
          {"counts",
           {{"pending", counts.pending},
            {"processing", counts.processing},
            {"sent", counts.sent},
            {"failed", counts.failed},
            {"cancelled", counts.cancelled}}},
          {"send_at", domain::format_rfc3339(batch.send_at)},
          {"created_at", domain::format_rfc3339(batch.created_at)}};
}

nlohmann::json message_event_json(const domain::message_event& event) {
  return {{"at", domain::format_rfc3339(event.at)},
          {"event", event.event},
          {"attempt", event.attempt},
          {"detail", optional_text(event.detail)},
          {"http_status",
           event.http_status ? nlohmann::json(*event.http_status) : nlohmann::json(nullptr)},
          {"latency_ms",
           event.latency_ms ? nlohmann::json(*event.latency_ms) : nlohmann::json(nullptr)}};
}

}  // namespace schedulerd::http
