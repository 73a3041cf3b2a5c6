#include "http/json/messages_json.hpp"

#include "domain/rfc3339.hpp"
#include "http/json/json_values.hpp"

#include <string>

namespace schedulerd::http {

nlohmann::json message_json(const domain::message_record& message) {
  return {{"id", std::to_string(message.id)},
          {"provider_id", std::to_string(message.provider_id)},
          {"contact",
           {{"id", std::to_string(message.contact.id)},
            {"name", message.contact.name},
            {"phone", optional_text(message.contact.phone)}}},
          {"batch_id", optional_id(message.batch_id)},
          {"content", message.content},
          {"send_at", domain::format_rfc3339(message.send_at)},
          {"status", message.status},
          {"attempts", message.attempts},
          {"last_error", optional_text(message.last_error)},
          {"provider_message_id", optional_text(message.provider_message_id)},
          {"sent_at", optional_time(message.sent_at)},
          {"created_at", domain::format_rfc3339(message.created_at)},
          {"updated_at", domain::format_rfc3339(message.updated_at)}};
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
