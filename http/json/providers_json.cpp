#include "http/json/providers_json.hpp"

#include "domain/rfc3339.hpp"
#include "http/json/json_values.hpp"

namespace schedulerd::http {

namespace {

nlohmann::json fields_json(const domain::field_values& values) {
  auto object = nlohmann::json::object();
  for (const auto& [name, value] : values) {
    object[name] = value;
  }
  return object;
}

nlohmann::json field_spec_json(const domain::field_spec& field) {
  nlohmann::json out{{"name", field.name},
                     {"label", field.label},
                     {"required", field.required},
                     {"secret", field.secret},
                     {"description", field.description}};
  if (!field.choices.empty()) {
    out["choices"] = field.choices;
  }
  return out;
}

}  // namespace

nlohmann::json sync_json(const domain::sync_state& sync) {
  return {{"status", optional_text(sync.status)},
          {"started_at", optional_time(sync.started_at)},
          {"finished_at", optional_time(sync.finished_at)},
          {"imported", sync.imported},
          {"error", optional_text(sync.error)}};
}

nlohmann::json provider_json(const domain::provider_record& provider) {
  return {{"id", std::to_string(provider.id)},
          {"type", provider.type},
          {"name", provider.name},
          {"status", provider.status},
          {"enabled", provider.enabled},
          {"last_error", optional_text(provider.last_error)},
          {"last_checked_at", optional_time(provider.last_checked_at)},
          {"contacts_count", provider.contacts_count},
          {"contacts_synced_at", optional_time(provider.contacts_synced_at)},
          {"sync", sync_json(provider.sync)},
          {"settings", fields_json(provider.settings)},
          {"credentials", fields_json(provider.credentials_hint)},
          {"created_at", domain::format_rfc3339(provider.created_at)},
          {"updated_at", domain::format_rfc3339(provider.updated_at)},
          {"dispatch_paused_at", optional_time(provider.dispatch_paused_at)}};
}

nlohmann::json contact_json(const domain::contact_record& contact) {
  return {{"id", std::to_string(contact.id)},
          {"provider_id", std::to_string(contact.provider_id)},
          {"external_id", contact.external_id},
          {"name", contact.name},
          {"email", optional_text(contact.email)},
          {"phone", optional_text(contact.phone)},
          {"synced_at", domain::format_rfc3339(contact.synced_at)}};
}

nlohmann::json connection_test_json(const domain::connection_test& test) {
  return {{"status", test.status},
          {"checked_at", domain::format_rfc3339(test.checked_at)},
          {"latency_ms", test.latency_ms},
          {"error", optional_text(test.error)}};
}

nlohmann::json provider_type_json(const domain::provider_type_info& type) {
  auto credentials = nlohmann::json::array();
  for (const auto& field : type.credential_fields) {
    credentials.push_back(field_spec_json(field));
  }
  auto settings = nlohmann::json::array();
  for (const auto& field : type.settings_fields) {
    settings.push_back(field_spec_json(field));
  }
  return {{"type", type.type},
          {"name", type.name},
          {"credential_fields", std::move(credentials)},
          {"settings_fields", std::move(settings)},
          {"oauth", type.supports_oauth}};
}

}  // namespace schedulerd::http
