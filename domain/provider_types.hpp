#pragma once

#include <string>
#include <vector>

// How a provider type describes itself to the API (`GET /api/provider-types`).

namespace schedulerd::domain {

/// A field a provider type asks the user for.
struct field_spec {
  /// The JSON key.
  std::string name;
  /// What to show next to the input.
  std::string label;
  /// Whether the field must be given (some are required only in combination: see `description`).
  bool required = false;
  /// Whether the value is a secret (stored sealed, shown masked).
  bool secret = false;
  /// The accepted values, when the field is a choice.
  std::vector<std::string> choices;
  /// One sentence on what the field is for.
  std::string description;
};

/// How a provider type describes itself in `GET /api/provider-types`.
struct provider_type_info {
  /// The identifier stored with each connection (`huggy`).
  std::string type;
  /// The platform's display name.
  std::string name;
  /// What the credentials object holds.
  std::vector<field_spec> credential_fields;
  /// What the settings object holds.
  std::vector<field_spec> settings_fields;
  /// Whether connections can be authorised through the platform's OAuth (authorize + callback).
  bool supports_oauth = false;
};

}  // namespace schedulerd::domain
