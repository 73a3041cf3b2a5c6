#include "storage/field_values_json.hpp"

#include <nlohmann/json.hpp>

#include "storage/connection.hpp"

namespace schedulerd::storage {

std::string field_values_to_json(const domain::field_values& fields) {
  // Values are validated as UTF-8 before they get here; replacing stray bytes keeps a bug from
  // becoming a throw in the middle of a transaction.
  return nlohmann::json(fields).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

domain::field_values field_values_from_json(std::string_view json) {
  const auto parsed = nlohmann::json::parse(json, nullptr, false);
  if (!parsed.is_object()) {
    throw storage_error(failure::other, "a field_values column does not hold a JSON object");
  }
  domain::field_values fields;
  for (const auto& [name, item] : parsed.items()) {
    if (!item.is_string()) {
      throw storage_error(failure::other, "field_values member " + name + " is not a string");
    }
    fields.emplace(name, item.get<std::string>());
  }
  return fields;
}

}  // namespace schedulerd::storage
