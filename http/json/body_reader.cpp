#include "http/json/body_reader.hpp"

#include "domain/ids.hpp"
#include "domain/rfc3339.hpp"

namespace schedulerd::http {

body_reader::body_reader(const std::string& text)
    : body_(nlohmann::json::parse(text.empty() ? "{}" : text, nullptr, false)) {
  if (!body_.is_object()) {
    add_error("body", "must be a JSON object");
    body_ = nlohmann::json::object();
  }
}

bool body_reader::has(const std::string& field) const {
  return body_.contains(field);
}

void body_reader::add_error(const std::string& field, std::string message) {
  errors_[field].push_back(std::move(message));
}

std::optional<std::string> body_reader::required_string(const std::string& field) {
  auto found = body_.find(field);
  if (found == body_.end() || found->is_null()) {
    add_error(field, "is required");
    return std::nullopt;
  }
  if (!found->is_string()) {
    add_error(field, "must be a string");
    return std::nullopt;
  }
  return found->get<std::string>();
}

std::optional<std::string> body_reader::optional_string(const std::string& field) {
  auto found = body_.find(field);
  if (found == body_.end() || found->is_null()) {
    return std::nullopt;
  }
  if (!found->is_string()) {
    add_error(field, "must be a string");
    return std::nullopt;
  }
  return found->get<std::string>();
}

std::optional<std::int64_t> body_reader::optional_time(const std::string& field) {
  auto text = optional_string(field);
  if (!text) {
    return std::nullopt;
  }
  auto parsed = domain::parse_rfc3339(*text);
  if (!parsed) {
    add_error(field, "must be an RFC 3339 date-time with an offset, e.g. 2026-12-01T13:00:00Z");
  }
  return parsed;
}

namespace {

constexpr const char* id_problem = "must be an id (a string of digits)";

// An id from a JSON string of digits or a positive integer.
std::optional<std::int64_t> id_of(const nlohmann::json& value) {
  if (value.is_string()) {
    return domain::parse_id(value.get_ref<const std::string&>());
  }
  if (value.is_number_integer()) {
    const auto id = value.get<std::int64_t>();
    return id > 0 ? std::optional<std::int64_t>{id} : std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::int64_t> body_reader::optional_id(const std::string& field) {
  auto found = body_.find(field);
  if (found == body_.end() || found->is_null()) {
    return std::nullopt;
  }
  auto id = id_of(*found);
  if (!id) {
    add_error(field, id_problem);
  }
  return id;
}

std::optional<std::int64_t> body_reader::required_id(const std::string& field) {
  if (!has(field) || body_[field].is_null()) {
    add_error(field, "is required");
    return std::nullopt;
  }
  return optional_id(field);
}

std::optional<std::vector<std::int64_t>> body_reader::required_ids(const std::string& field) {
  auto found = body_.find(field);
  if (found == body_.end() || found->is_null()) {
    add_error(field, "is required");
    return std::nullopt;
  }
  if (!found->is_array()) {
    add_error(field, "must be an array of ids");
    return std::nullopt;
  }
  std::vector<std::int64_t> ids;
  ids.reserve(found->size());
  bool usable = true;
  for (std::size_t index = 0; index < found->size(); ++index) {
    if (auto id = id_of((*found)[index])) {
      ids.push_back(*id);
      continue;
    }
    std::string name = field;
    name += '.';
    name += std::to_string(index);
    add_error(name, id_problem);
    usable = false;
  }
  if (!usable) {
    return std::nullopt;
  }
  return ids;
}

std::optional<std::int64_t> body_reader::required_time(const std::string& field) {
  if (!has(field) || body_[field].is_null()) {
    add_error(field, "is required");
    return std::nullopt;
  }
  return optional_time(field);
}

std::optional<bool> body_reader::optional_bool(const std::string& field) {
  auto found = body_.find(field);
  if (found == body_.end() || found->is_null()) {
    return std::nullopt;
  }
  if (!found->is_boolean()) {
    add_error(field, "must be true or false");
    return std::nullopt;
  }
  return found->get<bool>();
}

std::optional<domain::field_values> body_reader::optional_fields(const std::string& field) {
  auto found = body_.find(field);
  if (found == body_.end() || found->is_null()) {
    return std::nullopt;
  }
  if (!found->is_object()) {
    add_error(field, "must be an object of strings");
    return std::nullopt;
  }
  domain::field_values values;
  bool usable = true;
  for (const auto& [key, value] : found->items()) {
    if (value.is_string()) {
      values.emplace(key, value.get<std::string>());
    } else if (!value.is_null()) {
      std::string name = field;
      name += '.';
      name += key;
      add_error(name, "must be a string");
      usable = false;
    }
  }
  if (!usable) {
    return std::nullopt;
  }
  return values;
}

}  // namespace schedulerd::http
